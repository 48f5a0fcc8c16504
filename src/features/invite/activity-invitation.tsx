import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { useActivityStore } from '@/stores/activity-store';
import { invitationLoading, invitationState } from './invitation-view';
import './activity-invitation.scss';

/**
 * The customer's invitation to a store event (H5). Its words come from invitation-view, which the
 * native weapp page (invite/pages/activity/index.ts) shares. Built from the shared components only,
 * without the app's stylesheet or NutUI.
 */
export function ActivityInvitation({ activityId }: { activityId?: string }) {
  const { activity, status, error, load, reload } = useActivityStore(useShallow((s) => s));

  useEffect(() => {
    void load(activityId);
  }, [activityId, load]);

  const state = status === 'error' && error
    ? invitationState({ error })
    : status === 'ready' ? invitationState({ activity }) : invitationLoading;

  if (state.status === 'error') {
    return <ErrorState title={state.title} message={state.message} onRetry={() => void reload()} />;
  }
  if (state.status === 'loading') return <LoadingState rows={2} label={state.label} />;
  if (state.status === 'empty') return <EmptyState title={state.title} description={state.description} />;

  const invitation = state.invitation;
  return (
    <View className='sk-invite'>
      <View className='sk-invite__hero'>
        <Text className='sk-invite__kicker'>{invitation.kicker}</Text>
        <Text className='sk-invite__title'>{invitation.title}</Text>
      </View>
      <View className='sk-invite__card sk-invite__card--lifted'>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>时间</Text>
          <Text className='sk-invite__value'>{invitation.time}</Text>
        </View>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>地点</Text>
          <View className='sk-invite__value'>
            <Text className='sk-invite__place'>{invitation.storeName}</Text>
            <Text className='sk-invite__address'>{invitation.address}</Text>
          </View>
        </View>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>名额</Text>
          <Text className='sk-invite__value'>{invitation.capacity}</Text>
        </View>
      </View>
      {invitation.description ? (
        <View className='sk-invite__card'>
          <Text className='sk-invite__heading'>活动介绍</Text>
          <Text className='sk-invite__text'>{invitation.description}</Text>
        </View>
      ) : null}
      {invitation.perks.length ? (
        <View className='sk-invite__card'>
          <Text className='sk-invite__heading'>到店礼遇</Text>
          {invitation.perks.map((perk) => (
            <View key={perk} className='sk-invite__perk'>
              <Text className='sk-invite__tick'>✓</Text>
              <Text className='sk-invite__text'>{perk}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

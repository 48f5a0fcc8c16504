import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { formatTimeRange } from '@/lib/time';
import { useActivityStore } from '@/stores/activity-store';
import './activity-invitation.scss';

/**
 * The customer's invitation to a store event. Built from the shared components only: it lives in
 * the independent invite package, which loads without the app's stylesheet or NutUI.
 */
export function ActivityInvitation({ activityId }: { activityId?: string }) {
  const { activity, status, error, load, reload } = useActivityStore(useShallow((s) => s));

  useEffect(() => {
    void load(activityId);
  }, [activityId, load]);

  if (status === 'error' && error) {
    return <ErrorState title='邀请函打开失败' message={error.userMessage} onRetry={() => void reload()} />;
  }
  if (status !== 'ready') return <LoadingState rows={2} label='正在打开邀请函…' />;
  if (!activity) {
    return <EmptyState title='近期没有活动' description='门店发布新活动后，你会在这里看到邀请' />;
  }

  return (
    <View className='sk-invite'>
      <View className='sk-invite__hero'>
        <Text className='sk-invite__kicker'>{`${activity.storeName} 诚邀您参加`}</Text>
        <Text className='sk-invite__title'>{activity.title}</Text>
      </View>
      <View className='sk-invite__card sk-invite__card--lifted'>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>时间</Text>
          <Text className='sk-invite__value'>{formatTimeRange(activity.startAt, activity.endAt)}</Text>
        </View>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>地点</Text>
          <View className='sk-invite__value'>
            <Text className='sk-invite__place'>{activity.storeName}</Text>
            <Text className='sk-invite__address'>{activity.address}</Text>
          </View>
        </View>
        <View className='sk-invite__row'>
          <Text className='sk-invite__key'>名额</Text>
          <Text className='sk-invite__value'>{`共 ${activity.capacity} 个名额`}</Text>
        </View>
      </View>
      {activity.description ? (
        <View className='sk-invite__card'>
          <Text className='sk-invite__heading'>活动介绍</Text>
          <Text className='sk-invite__text'>{activity.description}</Text>
        </View>
      ) : null}
      {activity.perks.length ? (
        <View className='sk-invite__card'>
          <Text className='sk-invite__heading'>到店礼遇</Text>
          {activity.perks.map((perk) => (
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

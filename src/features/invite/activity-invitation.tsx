import { useEffect } from 'react';
import { View } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { useActivityStore } from '@/stores/activity-store';
import { InvitationCard } from './invitation-card';
import { invitationLoading, invitationState } from './invitation-view';

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

  return (
    <View className='sk-invite'>
      <InvitationCard invitation={state.invitation} kicker={state.invitation.kicker} places='capacity' />
    </View>
  );
}

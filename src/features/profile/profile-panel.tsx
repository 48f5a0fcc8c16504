import { useEffect, type ReactNode } from 'react';
import { View } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { ErrorState, LoadingState } from '@/components/state-view';
import { restartAt, routes } from '@/platform/navigation';
import { useWhileVisible } from '@/platform/visibility';
import { useProfileStore } from '@/stores/profile-store';
import { useSessionStore } from '@/stores/session-store';
import { FollowUpsSection } from './follow-ups-section';
import { LIVE_INTERVAL_MS, startPolling } from './live-poll';
import { ProfileHeader } from './profile-header';
import { StoresVisitedSection, TagsSection, VehiclesSection } from './profile-sections';
import { ScoreCard } from './score-card';
import { SyncCard } from './sync-card';
import { TimelineSection } from './timeline-section';
import './profile.scss';

/**
 * A customer's live profile: who they are, why to work them now, what happened. The customer
 * page and the sidebar both show it; while it is on screen it checks for news every 3 s. The page
 * puts its own `actions` (call, 下次跟进, 发送) under the header.
 */
export function ProfilePanel({ customerId, actions }: { customerId: string; actions?: ReactNode }) {
  const { profile, status, error, gradeError, open, reload, setGrade, withdrawing, withdrawError, withdrawSharing } = useProfileStore(
    useShallow((s) => ({
      profile: s.profile,
      status: s.status,
      error: s.error,
      gradeError: s.gradeError,
      open: s.open,
      reload: s.reload,
      setGrade: s.setGrade,
      withdrawing: s.withdrawing,
      withdrawError: s.withdrawError,
      withdrawSharing: s.withdrawSharing,
    })),
  );
  const me = useSessionStore((s) => s.me);

  useEffect(() => {
    void open(customerId);
  }, [customerId, open]);

  useWhileVisible(() => startPolling(() => useProfileStore.getState().checkPulse(), LIVE_INTERVAL_MS));

  const now = Date.now();
  if (!profile || status === 'error') {
    if (status === 'error' && error && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) {
      // Someone else's customer (or one merged away): trying again cannot help, going back can.
      const manager = me?.role === 'manager';
      return (
        <ErrorState
          title='无法查看这位客户'
          message={manager ? '这位客户不在你的门店，或已与其他客户档案合并。' : '这位客户不在你的线索中：可能已转给其他顾问、退回公海，或与其他客户档案合并。'}
          action={{ text: manager ? '回到门店概览' : '回到我的线索', onPress: () => restartAt(manager ? routes.managerHome : routes.leads) }}
        />
      );
    }
    if (status === 'error' && error) {
      return <ErrorState title='客户资料加载失败' message={error.userMessage} onRetry={() => void reload()} />;
    }
    return <LoadingState rows={3} label='正在加载客户资料…' />;
  }

  const canGrade = me?.role === 'consultant' && profile.owner?.id === me.id;
  const canWithdraw = canGrade || me?.role === 'manager';
  return (
    <View className='sk-profile'>
      <ProfileHeader profile={profile} now={now} canGrade={canGrade} gradeError={gradeError?.userMessage} onSetGrade={(grade) => void setGrade(grade)} />
      {actions}
      <ScoreCard score={profile.score} />
      <FollowUpsSection now={now} />
      <VehiclesSection profile={profile} />
      <TagsSection tags={profile.tags} />
      <StoresVisitedSection profile={profile} now={now} />
      <SyncCard profile={profile} now={now} canWithdraw={canWithdraw} busy={withdrawing} error={withdrawError?.userMessage} onWithdraw={() => void withdrawSharing()} />
      <TimelineSection now={now} />
    </View>
  );
}

/** For the page's scroll-to-bottom. */
export const loadMoreTimeline = (): Promise<void> => useProfileStore.getState().loadMoreTimeline();

import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { LoadMore } from '@/components/load-more';
import { ErrorState, LoadingState } from '@/components/state-view';
import { useProfileStore } from '@/stores/profile-store';
import { ProfileHeader } from './profile-header';
import { Section, StoresVisitedSection, TagsSection, VehiclesSection } from './profile-sections';
import { TimelineEntry } from './timeline-item';
import './profile.scss';

/** A customer's live profile and timeline; the customer page and the sidebar both show this. */
export function ProfilePanel({ customerId }: { customerId: string }) {
  const { profile, status, error, timeline, open, reload, loadMoreTimeline, retryTimeline } = useProfileStore(
    useShallow((s) => s),
  );

  useEffect(() => {
    void open(customerId);
  }, [customerId, open]);

  const now = Date.now();
  if (!profile || status === 'error') {
    if (status === 'error' && error) {
      return <ErrorState title='客户资料加载失败' message={error.userMessage} onRetry={() => void reload()} />;
    }
    return <LoadingState rows={3} label='正在加载客户资料…' />;
  }

  return (
    <View className='sk-profile'>
      <ProfileHeader profile={profile} now={now} />
      <VehiclesSection profile={profile} />
      <TagsSection tags={profile.tags} />
      <StoresVisitedSection profile={profile} now={now} />
      <Section title='互动时间线'>
        {timeline.items.length === 0 ? (
          timeline.status === 'error' ? (
            <ErrorState
              title='时间线加载失败'
              message={timeline.error?.userMessage ?? '加载失败'}
              onRetry={() => void retryTimeline()}
            />
          ) : timeline.status === 'ready' ? (
            <Text className='sk-muted'>还没有互动记录</Text>
          ) : (
            <Text className='sk-muted'>正在加载互动记录…</Text>
          )
        ) : (
          <View>
            {timeline.items.map((item) => (
              <TimelineEntry key={item.id} item={item} now={now} />
            ))}
            <LoadMore
              hasMore={Boolean(timeline.nextCursor)}
              status={timeline.moreStatus}
              errorMessage={timeline.moreError?.userMessage}
              onLoadMore={() => void loadMoreTimeline()}
              endText='没有更早的记录了'
            />
          </View>
        )}
      </Section>
    </View>
  );
}

/** For the page's scroll-to-bottom. */
export const loadMoreTimeline = (): Promise<void> => useProfileStore.getState().loadMoreTimeline();

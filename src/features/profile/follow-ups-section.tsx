import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import type { FollowUpView } from '@/contract';
import { LoadMore } from '@/components/load-more';
import { ErrorState } from '@/components/state-view';
import { followUpKindStyle } from '@/lib/labels';
import { formatRelative } from '@/lib/time';
import { useProfileStore } from '@/stores/profile-store';
import { Section } from './profile-sections';
import '@/styles/tones.scss';
import './profile.scss';


function FollowUpEntry({ item, now }: { item: FollowUpView; now: number }) {
  const style = followUpKindStyle[item.kind];
  return (
    <View className='sk-fu'>
      <View className='sk-fu__line'>
        <Text className={`sk-fu__kind sk-tone--${style.tone}`}>{style.label}</Text>
        <Text className='sk-fu__title'>{item.title}</Text>
      </View>
      {item.note ? <Text className='sk-fu__note'>{item.note}</Text> : null}
      <Text className='sk-fu__meta'>{`${item.staffName} · ${formatRelative(item.at, now)}`}</Text>
    </View>
  );
}

/** What consultants recorded, newest first. */
export function FollowUpsSection({ now }: { now: number }) {
  const { followUps, loadMoreFollowUps, retryFollowUps } = useProfileStore(
    useShallow((s) => ({ followUps: s.followUps, loadMoreFollowUps: s.loadMoreFollowUps, retryFollowUps: s.retryFollowUps })),
  );
  return (
    <Section title='跟进记录'>
      {followUps.items.length === 0 ? (
        followUps.status === 'error' ? (
          <ErrorState title='跟进记录加载失败' message={followUps.error?.userMessage ?? '加载失败'} onRetry={() => void retryFollowUps()} />
        ) : followUps.status === 'ready' ? (
          <Text className='sk-muted'>还没有跟进记录</Text>
        ) : (
          <Text className='sk-muted'>正在加载跟进记录…</Text>
        )
      ) : (
        <View className='sk-fus'>
          {followUps.items.map((item) => (
            <FollowUpEntry key={item.id} item={item} now={now} />
          ))}
          {followUps.nextCursor || followUps.moreStatus !== 'idle' ? (
            <LoadMore
              hasMore={Boolean(followUps.nextCursor)}
              status={followUps.moreStatus}
              errorMessage={followUps.moreError?.userMessage}
              onLoadMore={() => void loadMoreFollowUps()}
            />
          ) : null}
        </View>
      )}
    </Section>
  );
}

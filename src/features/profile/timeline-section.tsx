import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import type { TouchpointType } from '@/contract';
import { LoadMore } from '@/components/load-more';
import { ErrorState } from '@/components/state-view';
import { useProfileStore } from '@/stores/profile-store';
import { Section } from './profile-sections';
import { foldGlances } from './timeline-groups';
import { GlanceGroup, TimelineEntry } from './timeline-item';
import './profile.scss';

/** The filter chips: touchpoint types grouped the way a consultant thinks of them. */
export const timelineFilters: { id: string; label: string; types?: TouchpointType[] }[] = [
  { id: 'all', label: '全部' },
  { id: 'online', label: '线上互动', types: ['ad_click', 'live_stream', 'content_view', 'share', 'form_submit'] },
  { id: 'store', label: '到店试驾', types: ['store_visit', 'test_drive', 'service_visit'] },
  { id: 'deal', label: '报价成交', types: ['quote', 'order', 'delivery'] },
  { id: 'contact', label: '沟通', types: ['wecom_chat', 'call'] },
];

export function TimelineSection({ now }: { now: number }) {
  const { timeline, timelineFilter, setTimelineFilter, loadMoreTimeline, retryTimeline } = useProfileStore(
    useShallow((s) => ({
      timeline: s.timeline,
      timelineFilter: s.timelineFilter,
      setTimelineFilter: s.setTimelineFilter,
      loadMoreTimeline: s.loadMoreTimeline,
      retryTimeline: s.retryTimeline,
    })),
  );
  const filterLabel = timelineFilters.find((f) => f.id === timelineFilter)?.label ?? '全部';
  // Folded runs of glances the consultant opened, by their first item.
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => setOpened((was) => {
    const next = new Set(was);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  return (
    <Section title='互动时间线'>
      <View className='sk-tl-filters'>
        {timelineFilters.map((filter) => (
          <Text
            key={filter.id}
            className={`sk-tl-filter${filter.id === timelineFilter ? ' sk-tl-filter--on' : ''}`}
            onClick={() => void setTimelineFilter(filter.id, filter.types)}
          >
            {filter.label}
          </Text>
        ))}
      </View>
      {timeline.items.length === 0 ? (
        timeline.status === 'error' ? (
          <ErrorState title='时间线加载失败' message={timeline.error?.userMessage ?? '加载失败'} onRetry={() => void retryTimeline()} />
        ) : timeline.status === 'ready' ? (
          <Text className='sk-muted'>{timelineFilter === 'all' ? '还没有互动记录' : `没有“${filterLabel}”类的记录`}</Text>
        ) : (
          <Text className='sk-muted'>正在加载互动记录…</Text>
        )
      ) : (
        <View className='sk-tl'>
          {foldGlances(timeline.items).map((row) =>
            row.kind === 'item' ? (
              <TimelineEntry key={row.item.id} item={row.item} now={now} />
            ) : (
              <GlanceGroup key={row.id} items={row.items} now={now} open={opened.has(row.id)} onToggle={() => toggle(row.id)} />
            ),
          )}
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
  );
}

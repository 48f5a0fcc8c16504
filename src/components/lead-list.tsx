import { View } from '@tarojs/components';
import type { LeadSummary } from '@/contract';
import { LeadCard } from './lead-card';
import type { RowWindow } from './lead-list-window';
import { LoadMore } from './load-more';
import { EmptyState, ErrorState, LoadingState } from './state-view';
import './lead-list.scss';

export interface LeadListProps {
  items: LeadSummary[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  errorMessage?: string;
  hasMore: boolean;
  moreStatus: 'idle' | 'loading' | 'error';
  moreErrorMessage?: string;
  now: number;
  showOwner?: boolean;
  emptyTitle: string;
  emptyDescription?: string;
  /** Offered on the empty list, e.g. 清除筛选 when filters emptied it. */
  emptyAction?: { text: string; onPress: () => void };
  /** Render only these rows (a long list): the others are kept as blank space of their height. */
  rows?: RowWindow;
  onRetry: () => void;
  onLoadMore: () => void;
  onOpen: (lead: LeadSummary) => void;
  /** An action button on every card (the pool's 领取); `busyId` marks the card being acted on. */
  cardAction?: { label: string; busyId?: string; onPress: (lead: LeadSummary) => void };
}

/** Leads with their loading, empty and error states. */
export function LeadList(props: LeadListProps) {
  const { items, status, errorMessage, now, showOwner, onRetry, onOpen } = props;
  if (items.length === 0) {
    if (status === 'error') return <ErrorState message={errorMessage ?? '加载失败'} onRetry={onRetry} />;
    if (status !== 'ready') return <LoadingState />;
    return (
      <EmptyState
        title={props.emptyTitle}
        description={props.emptyDescription}
        actionText={props.emptyAction?.text}
        onAction={props.emptyAction?.onPress}
      />
    );
  }
  const { rows } = props;
  const shown = rows ? items.slice(rows.start, rows.end) : items;
  return (
    <View className='sk-lead-list'>
      {rows && rows.start > 0 ? <View className='sk-lead-list__gap' style={{ height: `${rows.start * rows.rowPx}px` }} /> : null}
      {shown.map((lead) => (
        <View key={lead.id} className='sk-lead-row'>
          <LeadCard
            lead={lead}
            now={now}
            showOwner={showOwner}
            onTap={onOpen}
            action={props.cardAction && { label: props.cardAction.label, busy: props.cardAction.busyId === lead.id, onPress: props.cardAction.onPress }}
          />
        </View>
      ))}
      {rows && rows.end < items.length ? (
        <View className='sk-lead-list__gap' style={{ height: `${(items.length - Math.max(rows.end, rows.start)) * rows.rowPx}px` }} />
      ) : null}
      <LoadMore
        hasMore={props.hasMore}
        status={props.moreStatus}
        errorMessage={props.moreErrorMessage}
        onLoadMore={props.onLoadMore}
        endText='没有更多线索了'
      />
    </View>
  );
}

/** What a paged leads list (any store with pages of leads) provides to a LeadList. */
export interface PagedLeads {
  items: LeadSummary[];
  nextCursor?: string;
  status: LeadListProps['status'];
  error?: { userMessage: string };
  moreStatus: LeadListProps['moreStatus'];
  moreError?: { userMessage: string };
  load(): Promise<void>;
  loadMore(): Promise<void>;
}

/** The props that come straight from a paged leads list, so each screen only adds its own. */
export function pagedListProps(leads: PagedLeads) {
  return {
    items: leads.items,
    status: leads.status,
    errorMessage: leads.error?.userMessage,
    hasMore: Boolean(leads.nextCursor),
    moreStatus: leads.moreStatus,
    moreErrorMessage: leads.moreError?.userMessage,
    onRetry: () => void leads.load(),
    onLoadMore: () => void leads.loadMore(),
  } satisfies Partial<LeadListProps>;
}

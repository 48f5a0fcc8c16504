import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { LeadList, pagedListProps } from '@/components/lead-list';
import { openPage, routes } from '@/platform/navigation';
import { useLeadsStore } from '@/stores/leads-store';
import { useLeadsViewStore, type LeadsView } from '@/stores/leads-view-store';
import { usePoolStore } from '@/stores/pool-store';
import { useSessionStore } from '@/stores/session-store';
import './my-leads.scss';

const VIEWS: { id: LeadsView; label: string }[] = [
  { id: 'mine', label: '我的线索' },
  { id: 'pool', label: '公海' },
];

function MineList() {
  const leads = useLeadsStore(useShallow((s) => s));
  useEffect(() => {
    if (useLeadsStore.getState().status === 'idle') void useLeadsStore.getState().load();
  }, []);
  return (
    <LeadList
      {...pagedListProps(leads)}
      now={Date.now()}
      emptyTitle='暂无线索'
      emptyDescription='分配给你的线索会出现在这里，也可以去公海领取'
      onOpen={(lead) => openPage(routes.customer, { id: lead.id })}
    />
  );
}

function PoolList() {
  const pool = usePoolStore(useShallow((s) => s));
  useEffect(() => {
    if (usePoolStore.getState().status === 'idle') void usePoolStore.getState().load();
  }, []);
  return (
    <View>
      {pool.notice ? (
        <Text className={`sk-my-leads__notice sk-my-leads__notice--${pool.notice.kind}`}>{pool.notice.text}</Text>
      ) : (
        <Text className='sk-my-leads__notice'>公海里是门店暂无人跟进的客户，领取后归你跟进</Text>
      )}
      <LeadList
        {...pagedListProps(pool)}
        now={Date.now()}
        emptyTitle='公海暂无线索'
        emptyDescription='门店未分配或被回收的线索会出现在这里'
        onOpen={(lead) => openPage(routes.customer, { id: lead.id })}
        cardAction={{ label: '领取', busyId: pool.claimingId, onPress: (lead) => void pool.claim(lead) }}
      />
    </View>
  );
}

/** The 线索 tab: the consultant's own leads (latest activity first) or the store's pool to claim from. */
export function MyLeads() {
  const name = useSessionStore((s) => s.me?.name);
  const { view, setView } = useLeadsViewStore();
  return (
    <View className='sk-my-leads'>
      <View className='sk-my-leads__head'>
        <Text className='sk-my-leads__title'>{name ? `${name}的线索` : '我的线索'}</Text>
        <Text className='sk-my-leads__hint'>按最近互动排序</Text>
      </View>
      <View className='sk-my-leads__views'>
        {VIEWS.map((v) => (
          <Text key={v.id} className={`sk-my-leads__view${view === v.id ? ' sk-my-leads__view--on' : ''}`} onClick={() => setView(v.id)}>
            {v.label}
          </Text>
        ))}
      </View>
      {view === 'mine' ? <MineList /> : <PoolList />}
    </View>
  );
}

const active = () => (useLeadsViewStore.getState().view === 'pool' ? usePoolStore.getState() : useLeadsStore.getState());

/** For the page's scroll-to-bottom and pull-to-refresh: they act on the list on screen. */
export const loadMoreLeads = (): Promise<void> => active().loadMore();
export const refreshLeads = (): Promise<void> => active().load();

import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { LeadList, pagedListProps } from '@/components/lead-list';
import { openPage, routes } from '@/platform/navigation';
import { useLeadsStore } from '@/stores/leads-store';
import { useSessionStore } from '@/stores/session-store';
import './my-leads.scss';

/** The signed-in consultant's leads, latest activity first (the server's order). */
export function MyLeads() {
  const leads = useLeadsStore(useShallow((s) => s));
  const name = useSessionStore((s) => s.me?.name);

  useEffect(() => {
    if (useLeadsStore.getState().status === 'idle') void useLeadsStore.getState().load();
  }, []);

  return (
    <View className='sk-my-leads'>
      <View className='sk-my-leads__head'>
        <Text className='sk-my-leads__title'>{name ? `${name}的线索` : '我的线索'}</Text>
        <Text className='sk-my-leads__hint'>按最近互动排序</Text>
      </View>
      <LeadList
        {...pagedListProps(leads)}
        now={Date.now()}
        emptyTitle='暂无线索'
        emptyDescription='分配给你的线索会出现在这里'
        onOpen={(lead) => openPage(routes.customer, { id: lead.id })}
      />
    </View>
  );
}

/** For the page's scroll-to-bottom and pull-to-refresh. */
export const loadMoreLeads = (): Promise<void> => useLeadsStore.getState().loadMore();
export const refreshLeads = (): Promise<void> => useLeadsStore.getState().load();

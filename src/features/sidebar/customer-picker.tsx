import { useEffect } from 'react';
import { View } from '@tarojs/components';
import { SearchBar } from '@nutui/nutui-react-taro';
import { useShallow } from 'zustand/react/shallow';
import { LeadList, pagedListProps } from '@/components/lead-list';
import { EmptyState } from '@/components/state-view';
import { useChatStore } from '@/stores/chat-store';
import { useLeadsStore } from '@/stores/leads-store';

/** Choose the chat's customer from one's leads, filtered by name as one types. */
export function CustomerPicker() {
  const leads = useLeadsStore(useShallow((s) => s));
  const query = useChatStore((s) => s.query);
  const { setQuery, pick } = useChatStore.getState();

  useEffect(() => {
    if (useLeadsStore.getState().status === 'idle') void useLeadsStore.getState().load();
  }, []);

  const needle = query.trim();
  const shown = needle ? leads.items.filter((lead) => lead.name.includes(needle)) : leads.items;

  return (
    <View>
      <SearchBar value={query} placeholder='按客户姓名查找' onChange={(value) => setQuery(value)} onClear={() => setQuery('')} />
      {needle && shown.length === 0 && leads.status === 'ready' ? (
        <EmptyState
          title={`没有找到“${needle}”`}
          description={leads.nextCursor ? '只在已加载的线索中查找，可以加载更多后再试' : '你的线索中没有这个名字'}
          actionText={leads.nextCursor ? '加载更多线索' : undefined}
          onAction={leads.nextCursor ? () => void leads.loadMore() : undefined}
        />
      ) : (
        <LeadList
          {...pagedListProps(leads)}
          items={shown}
          now={Date.now()}
          emptyTitle='暂无线索'
          emptyDescription='分配给你的线索会出现在这里'
          onOpen={(lead) => pick(lead.id)}
        />
      )}
    </View>
  );
}

import { useEffect } from 'react';
import { View } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { LeadList, pagedListProps } from '@/components/lead-list';
import { SearchBox } from '@/components/search-box';
import { SEARCH_DEBOUNCE_MS, searchQuery } from '@/lib/search-text';
import { useChatStore } from '@/stores/chat-store';
import { usePickerLeadsStore } from '@/stores/leads-store';

/**
 * Choose the chat's customer from all of one's own customers: the server searches them by name
 * or phone tail (尾号) as one types, not just the ones loaded so far.
 */
export function CustomerPicker() {
  const leads = usePickerLeadsStore(useShallow((s) => s));
  const text = useChatStore((s) => s.query);
  const { setQuery, pick } = useChatStore.getState();

  useEffect(() => {
    if (usePickerLeadsStore.getState().status === 'idle') void usePickerLeadsStore.getState().load();
  }, []);

  useEffect(() => {
    const q = searchQuery(text);
    if (q === usePickerLeadsStore.getState().filters.q) return undefined;
    const timer = setTimeout(() => void usePickerLeadsStore.getState().setFilters({ q }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const q = leads.filters.q;
  return (
    <View className='sk-chat-picker'>
      <View className='sk-chat-picker__search'>
        <SearchBox text={text} onText={setQuery} placeholder='搜索客户姓名或手机尾号' />
      </View>
      <LeadList
        {...pagedListProps(leads)}
        now={Date.now()}
        emptyTitle={q ? `没有找到“${q}”` : '暂无线索'}
        emptyDescription={q ? '试试客户姓名的一部分，或手机号后4位' : '分配给你的线索会出现在这里'}
        emptyAction={q ? { text: '清除搜索', onPress: () => setQuery('') } : undefined}
        onOpen={(lead) => pick(lead.id)}
      />
    </View>
  );
}

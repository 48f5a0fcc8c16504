import { View, Text } from '@tarojs/components';
import type { GroupChatCustomers, LeadSummary } from '@/contract';
import { LeadCard } from '@/components/lead-card';
import { EmptyState } from '@/components/state-view';
import './chat-sidebar.scss';

/** The name a group goes by here; WeCom leaves it empty when nobody named the group. */
export const groupTitle = (group: Pick<GroupChatCustomers, 'name'>) => group.name || '未命名的客户群';

interface GroupCustomersProps {
  group: GroupChatCustomers;
  now: number;
  /** Managers see whose customer each one is (in place of the phone). */
  showOwner: boolean;
  onOpen: (lead: LeadSummary) => void;
}

/** The caller's customers in the current customer group; the other members only as a count. */
export function GroupCustomers({ group, now, showOwner, onOpen }: GroupCustomersProps) {
  const { customers, othersCount } = group;
  if (customers.length === 0) {
    return (
      <EmptyState
        title='这个群里还没有你的客户'
        description={
          othersCount > 0
            ? `群里的 ${othersCount} 位客户${othersCount > 1 ? '都' : ''}不在你的线索中，可以在下面按姓名选择这次沟通的客户。`
            : '群里还没有客户加入，可以在下面按姓名选择这次沟通的客户。'
        }
      />
    );
  }
  return (
    <View className='sk-chat-group'>
      <View className='sk-chat-group__head'>
        <Text className='sk-chat-group__name'>{groupTitle(group)}</Text>
        <Text className='sk-chat-group__count'>
          {`群里有 ${customers.length} 位你的客户${othersCount > 0 ? `，另有 ${othersCount} 位群成员不在你的线索中` : ''}`}
        </Text>
      </View>
      {customers.map((lead) => (
        <View key={lead.id} className='sk-chat-group__row'>
          <LeadCard lead={lead} now={now} showOwner={showOwner} onTap={onOpen} />
        </View>
      ))}
    </View>
  );
}

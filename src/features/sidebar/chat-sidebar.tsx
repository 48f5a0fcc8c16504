import { useEffect, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { LoadingState } from '@/components/state-view';
import { useChatStore, type ChatPhase } from '@/stores/chat-store';
import { useSessionStore } from '@/stores/session-store';
import { CustomerPicker } from './customer-picker';
import { GroupCustomers, groupTitle } from './group-customers';
import './chat-sidebar.scss';

const notices: Partial<Record<ChatPhase, { title: string; text: string }>> = {
  outside: {
    title: '当前不在企业微信聊天中',
    text: '从客户聊天窗口的工具栏打开时，会自动显示这位客户。现在可以在下面选择这次沟通的客户。',
  },
  'no-chat': {
    title: '没有识别到当前客户',
    text: '从客户详情页、客户单聊或客户群的工具栏打开侧边栏时，会自动显示客户。现在可以在下面选择客户。',
  },
  'unknown-contact': {
    title: '这位客户还没有建档',
    text: '当前聊天的客户不在你的线索中，可以在下面手动选择。',
  },
};

interface ChatSidebarProps {
  /** A customer named in the page's address (a link to their profile): shown without asking WeCom. */
  customerId?: string;
  /** Shows one customer; the page passes the profile feature's panel. */
  renderProfile: (customerId: string) => ReactNode;
}

/**
 * The WeCom sidebar: the customer of the detail page or one-to-one chat by itself, the caller's
 * customers in a customer group (one of them opened with a tap), or a customer picked by hand.
 */
export function ChatSidebar({ customerId, renderProfile }: ChatSidebarProps) {
  const { phase, chatCustomerId, group, pickedCustomerId, pickedFrom, errorMessage, detect, pick, unpick } = useChatStore(useShallow((s) => s));
  const isManager = useSessionStore((s) => s.me?.role === 'manager');

  useEffect(() => {
    if (!customerId && useChatStore.getState().phase === 'idle') void useChatStore.getState().detect();
  }, [customerId]);

  if (customerId) return <>{renderProfile(customerId)}</>;

  if (phase === 'idle' || phase === 'detecting') return <LoadingState rows={2} label='正在识别当前聊天的客户…' />;
  if (phase === 'matched' && chatCustomerId) return <>{renderProfile(chatCustomerId)}</>;

  if (pickedCustomerId && pickedFrom === 'group' && group) {
    return (
      <View>
        <View className='sk-chat__picked'>
          <Text className='sk-chat__picked-text'>{`客户群 · ${groupTitle(group)}`}</Text>
          {group.customers.length > 1 ? (
            <View className='sk-chat__switch' hoverClass='sk-chat__switch--pressed' onClick={unpick}>
              {`群里的客户（${group.customers.length}）`}
            </View>
          ) : null}
        </View>
        {renderProfile(pickedCustomerId)}
      </View>
    );
  }

  if (pickedCustomerId) {
    return (
      <View>
        <View className='sk-chat__picked'>
          <Text className='sk-chat__picked-text'>手动选择的客户</Text>
          <View className='sk-chat__switch' hoverClass='sk-chat__switch--pressed' onClick={unpick}>
            换一位
          </View>
        </View>
        {renderProfile(pickedCustomerId)}
      </View>
    );
  }

  if (phase === 'group' && group) {
    return (
      <View className='sk-chat'>
        <GroupCustomers group={group} now={Date.now()} showOwner={isManager} onOpen={(lead) => pick(lead.id, 'group')} />
        {group.customers.length === 0 ? <CustomerPicker /> : null}
      </View>
    );
  }

  const notice = notices[phase];
  return (
    <View className='sk-chat'>
      <View className={`sk-chat__notice${phase === 'error' ? ' sk-chat__notice--error' : ''}`}>
        <Text className='sk-chat__title'>{notice?.title ?? '没能识别当前聊天'}</Text>
        <Text className='sk-chat__text'>{notice?.text ?? errorMessage ?? '请稍后重试，或在下面选择客户。'}</Text>
        {phase === 'error' ? (
          <View className='sk-chat__retry'>
            <ActionButton kind='secondary' onTap={() => void detect()}>
              重新识别
            </ActionButton>
          </View>
        ) : null}
      </View>
      <CustomerPicker />
    </View>
  );
}

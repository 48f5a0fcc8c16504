import { useEffect, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { LoadingState } from '@/components/state-view';
import { useChatStore, type ChatPhase } from '@/stores/chat-store';
import { CustomerPicker } from './customer-picker';
import './chat-sidebar.scss';

const notices: Partial<Record<ChatPhase, { title: string; text: string }>> = {
  outside: {
    title: '当前不在企业微信聊天中',
    text: '从客户聊天窗口的工具栏打开时，会自动显示这位客户。现在可以在下面选择这次沟通的客户。',
  },
  'no-chat': {
    title: '没有识别到单聊客户',
    text: '请从与客户的单聊工具栏打开侧边栏，或在下面选择客户。',
  },
  'unknown-contact': {
    title: '这位客户还没有建档',
    text: '当前聊天的客户不在你的线索中，可以在下面手动选择。',
  },
};

interface ChatSidebarProps {
  /** Shows one customer; the page passes the profile feature's panel. */
  renderProfile: (customerId: string) => ReactNode;
}

/** The WeCom chat sidebar: the current chat's customer by itself, or one picked by hand. */
export function ChatSidebar({ renderProfile }: ChatSidebarProps) {
  const { phase, chatCustomerId, pickedCustomerId, errorMessage, detect, unpick } = useChatStore(useShallow((s) => s));

  useEffect(() => {
    if (useChatStore.getState().phase === 'idle') void useChatStore.getState().detect();
  }, []);

  if (phase === 'idle' || phase === 'detecting') return <LoadingState rows={2} label='正在识别当前聊天的客户…' />;
  if (phase === 'matched' && chatCustomerId) return <>{renderProfile(chatCustomerId)}</>;

  if (pickedCustomerId) {
    return (
      <View>
        <View className='sk-chat__picked'>
          <Text className='sk-chat__picked-text'>手动选择的客户</Text>
          <Text className='sk-chat__switch' onClick={unpick}>
            换一位
          </Text>
        </View>
        {renderProfile(pickedCustomerId)}
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

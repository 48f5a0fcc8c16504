import { View, Text } from '@tarojs/components';
import { ActionButton } from './action-button';
import './load-more.scss';

interface LoadMoreProps {
  hasMore: boolean;
  status: 'idle' | 'loading' | 'error';
  errorMessage?: string;
  onLoadMore: () => void;
  /** What "the end" means here, e.g. 没有更多线索了. */
  endText?: string;
}

export function LoadMore({ hasMore, status, errorMessage, onLoadMore, endText = '没有更多了' }: LoadMoreProps) {
  if (status === 'loading') {
    return (
      <View className='sk-more'>
        <Text className='sk-more__text'>正在加载更多…</Text>
      </View>
    );
  }
  if (status === 'error') {
    return (
      <View className='sk-more'>
        <Text className='sk-more__text sk-more__text--error'>{errorMessage ?? '加载失败'}</Text>
        <ActionButton kind='plain' onTap={onLoadMore}>
          重新加载
        </ActionButton>
      </View>
    );
  }
  if (!hasMore) {
    return (
      <View className='sk-more'>
        <Text className='sk-more__text'>{endText}</Text>
      </View>
    );
  }
  return (
    <View className='sk-more'>
      <ActionButton kind='plain' onTap={onLoadMore}>
        加载更多
      </ActionButton>
    </View>
  );
}

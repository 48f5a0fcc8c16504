import { View, Text } from '@tarojs/components';
import { ActionButton } from './action-button';
import './state-view.scss';

/** Placeholder rows in the shape of the content that is coming. */
export function LoadingState({ rows = 3, label = '正在加载…' }: { rows?: number; label?: string }) {
  return (
    <View className='sk-state sk-state--loading' aria-busy='true'>
      {Array.from({ length: rows }, (_, i) => (
        <View key={i} className='sk-skeleton'>
          <View className='sk-skeleton__line sk-skeleton__line--title' />
          <View className='sk-skeleton__line' />
          <View className='sk-skeleton__line sk-skeleton__line--short' />
        </View>
      ))}
      <Text className='sk-state__caption'>{label}</Text>
    </View>
  );
}

interface EmptyStateProps {
  title: string;
  description?: string;
  actionText?: string;
  onAction?: () => void;
}

export function EmptyState({ title, description, actionText, onAction }: EmptyStateProps) {
  return (
    <View className='sk-state sk-state--empty'>
      <View className='sk-state__mark'>∅</View>
      <Text className='sk-state__title'>{title}</Text>
      {description ? <Text className='sk-state__text'>{description}</Text> : null}
      {actionText && onAction ? (
        <View className='sk-state__action'>
          <ActionButton kind='secondary' onTap={onAction}>
            {actionText}
          </ActionButton>
        </View>
      ) : null}
    </View>
  );
}

interface ErrorStateProps {
  /** Chinese, for the person using the app (a CloudError's userMessage). */
  message: string;
  /** Offered when trying again can help (the network, a busy server). */
  onRetry?: () => void;
  title?: string;
  /** A way on when retrying cannot help, e.g. 回到我的线索. */
  action?: { text: string; onPress: () => void };
}

export function ErrorState({ message, onRetry, title = '加载失败', action }: ErrorStateProps) {
  return (
    <View className='sk-state sk-state--error' role='alert'>
      <View className='sk-state__mark sk-state__mark--error'>!</View>
      <Text className='sk-state__title'>{title}</Text>
      <Text className='sk-state__text'>{message}</Text>
      {onRetry || action ? (
        <View className='sk-state__action sk-state__actions'>
          {onRetry ? <ActionButton onTap={onRetry}>重试</ActionButton> : null}
          {action ? (
            <ActionButton kind={onRetry ? 'plain' : 'primary'} onTap={action.onPress}>
              {action.text}
            </ActionButton>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

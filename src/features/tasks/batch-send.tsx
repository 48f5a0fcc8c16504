import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { useBatchStore } from '@/stores/batch-store';
import { useTasksStore } from '@/stores/tasks-store';
import './tasks.scss';

/**
 * A strategy's open invitations sent at once: one WeCom mass-send task per customer (each with
 * that customer's own link), which the consultant then confirms in WeCom. Customers the cap or
 * their consent rule out are listed with the reason.
 */
export function BatchSend({ strategyId }: { strategyId: string }) {
  const { inbox, status, error } = useTasksStore(useShallow((s) => ({ inbox: s.inbox, status: s.status, error: s.error })));
  const { sending, result, error: sendError } = useBatchStore(useShallow((s) => ({ sending: s.sending, result: s.result, error: s.error })));
  useEffect(() => {
    useBatchStore.getState().reset();
    if (!useTasksStore.getState().inbox) void useTasksStore.getState().load();
  }, []);
  if (status === 'error' && !inbox) return <ErrorState title='任务加载失败' message={error?.userMessage ?? '请稍后重试'} onRetry={() => void useTasksStore.getState().load()} />;
  if (!inbox) return <LoadingState rows={3} label='正在加载任务…' />;
  const group = inbox.byStrategy.find((g) => g.strategyId === strategyId);
  const open = (group?.items ?? []).filter((t) => t.kind === 'strategy_send' && t.status === 'open' && t.materialId);
  const names = new Map((group?.items ?? []).map((t) => [t.customer.id, t.customer.name]));
  if (!result && !open.length) return <EmptyState title='这个策略没有待发送的客户' description='已发送或已跳过的客户不会重复发送' />;
  return (
    <View className='sk-inbox'>
      <View className='sk-card sk-batch'>
        <Text className='sk-inbox__title'>{group?.name ?? '营销策略'}</Text>
        <Text className='sk-task__note'>{`待发送 ${open.length} 位客户：${open.slice(0, 6).map((t) => t.customer.name).join('、')}${open.length > 6 ? ' 等' : ''}`}</Text>
        <Text className='sk-task__due'>每位客户收到自己的专属链接；群发任务需在企业微信中确认后发出。超过发送频率或已撤回授权的客户会被跳过。</Text>
      </View>
      {sendError ? <Text className='sk-inbox__error'>{sendError}</Text> : null}
      {result ? (
        <View className='sk-card sk-batch'>
          <Text className='sk-task__title'>{result.message}</Text>
          {result.skipped.map((s) => (
            <Text key={s.customerId} className='sk-task__skip'>{`${names.get(s.customerId) ?? '客户'}：${s.reason}`}</Text>
          ))}
        </View>
      ) : (
        <View className='sk-batch__actions'>
          <ActionButton block disabled={sending} onTap={() => void useBatchStore.getState().send(open[0].materialId!, open.map((t) => ({ customerId: t.customer.id, taskId: t.id })))}>
            {sending ? '正在创建群发…' : `创建企业微信群发（${open.length}位）`}
          </ActionButton>
        </View>
      )}
    </View>
  );
}

import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { useBatchStore, type BatchItem } from '@/stores/batch-store';
import { useTasksStore } from '@/stores/tasks-store';
import './tasks.scss';

const OUTCOME_MARK = { sent: '✓', refused: '✕', skipped: '–' } as const;

/** One customer at a time: copied (text + their own link) or through WeCom's share sheet, each recorded. */
function Sequence({ queue, inWecom }: { queue: BatchItem[]; inWecom: boolean }) {
  const { index, outcomes, sending, error } = useBatchStore(useShallow((s) => ({ index: s.index, outcomes: s.outcomes, sending: s.sending, error: s.error })));
  const current = queue[index];
  const sent = outcomes.filter((o) => o.state === 'sent').length;
  const refused = outcomes.filter((o) => o.state === 'refused').length;
  return (
    <View className='sk-card sk-batch sk-batch__seq'>
      {current ? (
        <View className='sk-batch__current' data-customer={current.customerId}>
          <Text className='sk-task__due'>{`第 ${index + 1} / ${queue.length} 位`}</Text>
          <Text className='sk-batch__name'>{`${current.name}  ${current.phoneMasked}`}</Text>
          <Text className='sk-task__note'>
            {inWecom ? '点下方按钮，企业微信会打开发给这位客户的消息（含专属链接），确认发送后回到这里继续。' : '点下方按钮复制这位客户的专属内容和链接，到微信或企业微信里粘贴发给他，再回来继续下一位。'}
          </Text>
          {error ? <Text className='sk-inbox__error'>{error}</Text> : null}
          <View className='sk-batch__seq-actions'>
            <ActionButton block disabled={sending} onTap={() => void useBatchStore.getState().sendCurrent()}>
              {sending ? '正在记录…' : inWecom ? '在企业微信中发送' : '复制并记为已发送'}
            </ActionButton>
            <ActionButton block kind='plain' disabled={sending} onTap={() => useBatchStore.getState().skipCurrent()}>
              跳过这位
            </ActionButton>
          </View>
        </View>
      ) : (
        <Text className='sk-task__title'>{`已完成：${sent} 位已发送${refused ? `，${refused} 位未发送` : ''}`}</Text>
      )}
      {outcomes.length ? (
        <View className='sk-batch__outcomes'>
          {outcomes.map((o) => (
            <Text key={o.customerId} className={`sk-batch__outcome sk-batch__outcome--${o.state}`}>{`${OUTCOME_MARK[o.state]} ${o.name}：${o.text}`}</Text>
          ))}
        </View>
      ) : null}
    </View>
  );
}

/**
 * A strategy's open invitations, sent as the platform allows: in WeCom one customer at a time
 * through its share sheet; elsewhere one at a time copied (复制并记为已发送), or as WeCom
 * mass-send tasks confirmed later in WeCom. Customers the cap or their consent rule out are
 * listed with the reason.
 */
export function BatchSend({ strategyId }: { strategyId: string }) {
  const { inbox, status, error } = useTasksStore(useShallow((s) => ({ inbox: s.inbox, status: s.status, error: s.error })));
  const { platform, sending, result, error: sendError, queue } = useBatchStore(useShallow((s) => ({ platform: s.platform, sending: s.sending, result: s.result, error: s.error, queue: s.queue })));
  useEffect(() => {
    useBatchStore.getState().reset();
    void useBatchStore.getState().detect();
    if (!useTasksStore.getState().inbox) void useTasksStore.getState().load();
  }, []);
  if (status === 'error' && !inbox) return <ErrorState title='任务加载失败' message={error?.userMessage ?? '请稍后重试'} onRetry={() => void useTasksStore.getState().load()} />;
  if (!inbox || platform === 'detecting') return <LoadingState rows={3} label='正在加载任务…' />;
  const group = inbox.byStrategy.find((g) => g.strategyId === strategyId);
  const open = (group?.items ?? []).filter((t) => t.kind === 'strategy_send' && t.status === 'open' && t.materialId);
  const names = new Map((group?.items ?? []).map((t) => [t.customer.id, t.customer.name]));
  const inWecom = platform === 'wecom';
  if (!result && !queue && !open.length) return <EmptyState title='这个策略没有待发送的客户' description='已发送或已跳过的客户不会重复发送' />;
  const items: BatchItem[] = open.map((t) => ({ customerId: t.customer.id, taskId: t.id, materialId: t.materialId!, name: t.customer.name, phoneMasked: t.customer.phoneMasked }));
  // While a sequence runs the inbox reloads under it: the header keeps the customers it started with.
  const listed = queue ?? items;
  return (
    <View className='sk-inbox'>
      <View className='sk-card sk-batch'>
        <Text className='sk-inbox__title'>{group?.name ?? '营销策略'}</Text>
        <Text className='sk-task__note'>{`${queue ? '本次发送' : '待发送'} ${listed.length} 位客户：${listed.slice(0, 6).map((t) => t.name).join('、')}${listed.length > 6 ? ' 等' : ''}`}</Text>
        <Text className='sk-task__due'>
          {inWecom
            ? '每位客户收到自己的专属链接，逐位在企业微信中确认发送。超过发送频率或已撤回授权的客户会被跳过并说明原因。'
            : '每位客户收到自己的专属链接。可以逐位复制发送，或创建企业微信群发稍后在企业微信中确认。超过发送频率或已撤回授权的客户会被跳过并说明原因。'}
        </Text>
      </View>
      {sendError && !queue ? <Text className='sk-inbox__error'>{sendError}</Text> : null}
      {queue ? <Sequence queue={queue} inWecom={inWecom} /> : null}
      {result ? (
        <View className='sk-card sk-batch'>
          <Text className='sk-task__title'>{result.message}</Text>
          {result.skipped.map((s) => (
            <Text key={s.customerId} className='sk-task__skip'>{`${names.get(s.customerId) ?? '客户'}：${s.reason}`}</Text>
          ))}
        </View>
      ) : null}
      {!queue && !result ? (
        <View className='sk-batch__actions'>
          <ActionButton block disabled={sending} onTap={() => useBatchStore.getState().start(items)}>
            {inWecom ? `逐位在企业微信中发送（${open.length}位）` : `逐位复制发送（${open.length}位）`}
          </ActionButton>
          {inWecom ? null : (
            <ActionButton block kind='secondary' disabled={sending} onTap={() => void useBatchStore.getState().send(open[0].materialId!, open.map((t) => ({ customerId: t.customer.id, taskId: t.id })))}>
              {sending ? '正在创建群发…' : `创建企业微信群发（${open.length}位）`}
            </ActionButton>
          )}
        </View>
      ) : null}
    </View>
  );
}

import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import type { TaskView } from '@/contract';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { showToast } from '@/platform/feedback';
import { openPage, routes } from '@/platform/navigation';
import { useWhileVisible } from '@/platform/visibility';
import { useTasksStore, type InboxMode } from '@/stores/tasks-store';
import './tasks.scss';

const KIND_LABELS: Record<TaskView['kind'], string> = {
  first_contact: '首次联系',
  next_follow_up: '跟进',
  appointment: '预约',
  strategy_send: '邀约',
  reaction_call: '回访',
  care: '关怀',
};

function TaskRow({ task, busy, onComplete }: { task: TaskView; busy: boolean; onComplete: (t: TaskView) => void }) {
  const overdue = task.dueLabel.startsWith('已超时');
  return (
    <View className='sk-task' data-task={task.id}>
      <View className='sk-task__main' hoverClass='sk-task__main--pressed' onClick={() => openPage(routes.customer, { id: task.customer.id, ...(task.kind === 'strategy_send' ? { task: task.id } : {}) })}>
        <View className='sk-task__line'>
          <Text className={`sk-task__kind sk-task__kind--${task.kind}`}>{KIND_LABELS[task.kind]}</Text>
          <Text className='sk-task__name'>{task.customer.name}</Text>
          <Text className='sk-task__phone'>{task.customer.phoneMasked}</Text>
        </View>
        <Text className='sk-task__title'>{task.title}</Text>
        {task.note ? <Text className='sk-task__note'>{task.note}</Text> : null}
        {task.skipReason ? <Text className='sk-task__skip'>{`未发送：${task.skipReason}`}</Text> : null}
        <Text className={`sk-task__due${overdue ? ' sk-task__due--late' : ''}`}>
          {task.dueLabel}
          {task.remindedAt ? <Text className='sk-task__reminded'>已提醒</Text> : null}
        </Text>
      </View>
      {task.derived ? (
        <Text className='sk-task__hint'>联系后自动完成</Text>
      ) : (
        <View className={`sk-task__done${busy ? ' sk-task__done--busy' : ''}`} hoverClass='sk-task__done--pressed' onClick={() => !busy && onComplete(task)}>
          完成
        </View>
      )}
    </View>
  );
}

const MODES: { mode: InboxMode; label: string }[] = [
  { mode: 'due', label: '按时间' },
  { mode: 'strategy', label: '按策略' },
];

/** 任务: what the consultant should do today, overdue first, each done with one tap. */
export function TaskInbox() {
  const { status, inbox, error, mode, completing, completeError } = useTasksStore(
    useShallow((s) => ({ status: s.status, inbox: s.inbox, error: s.error, mode: s.mode, completing: s.completing, completeError: s.completeError })),
  );
  const { load, setMode, complete } = useTasksStore.getState();
  useEffect(() => {
    void load();
  }, [load]);
  // Back from a profile (a call logged, an invitation sent), the inbox shows what is left.
  useWhileVisible(() => {
    void load();
    return () => undefined;
  });

  if (status === 'error' && !inbox) return <ErrorState title='任务加载失败' message={error?.userMessage ?? '请稍后重试'} onRetry={() => void load()} />;
  if (!inbox) return <LoadingState rows={4} label='正在加载今天的任务…' />;

  const onComplete = async (t: TaskView) => {
    if (await complete(t.id)) showToast('已完成');
  };
  const groups = mode === 'due' ? inbox.byDue.map((s) => ({ key: s.key, title: s.title, items: s.items, strategyId: undefined })) : inbox.byStrategy.map((g) => ({ key: g.strategyId ?? 'own', title: g.name, items: g.items, strategyId: g.strategyId }));

  return (
    <View className='sk-inbox'>
      <View className='sk-inbox__summary'>
        <View className='sk-inbox__stat'>
          <Text className='sk-inbox__num'>{inbox.open}</Text>
          <Text className='sk-inbox__label'>待办</Text>
        </View>
        <View className='sk-inbox__stat'>
          <Text className={`sk-inbox__num${inbox.overdue ? ' sk-inbox__num--late' : ''}`}>{inbox.overdue}</Text>
          <Text className='sk-inbox__label'>已逾期</Text>
        </View>
        <View className='sk-inbox__stat'>
          <Text className='sk-inbox__num'>{inbox.doneToday}</Text>
          <Text className='sk-inbox__label'>今日完成</Text>
        </View>
      </View>
      <View className='sk-inbox__modes'>
        {MODES.map((m) => (
          <View key={m.mode} className={`sk-inbox__mode${m.mode === mode ? ' sk-inbox__mode--on' : ''}`} onClick={() => setMode(m.mode)}>
            {m.label}
          </View>
        ))}
      </View>
      {completeError ? <Text className='sk-inbox__error'>{`没能完成：${completeError.message}`}</Text> : null}
      {groups.length === 0 ? <EmptyState title='今天的任务都完成了' description='新的线索、跟进提醒和店长下发的任务会出现在这里' /> : null}
      {groups.map((g) => (
        <View key={g.key} className='sk-inbox__group'>
          <View className='sk-inbox__head'>
            <Text className={`sk-inbox__title${g.key === 'overdue' ? ' sk-inbox__title--late' : ''}`}>{`${g.title} · ${g.items.length}`}</Text>
            {g.strategyId && g.items.some((t) => t.kind === 'strategy_send' && t.status === 'open') ? (
              <View className='sk-inbox__batch' hoverClass='sk-inbox__batch--pressed' onClick={() => openPage(routes.workBatch, { strategy: g.strategyId! })}>
                批量发送
              </View>
            ) : null}
          </View>
          {g.items.map((t) => (
            <TaskRow key={t.id} task={t} busy={completing.includes(t.id)} onComplete={(x) => void onComplete(x)} />
          ))}
        </View>
      ))}
    </View>
  );
}

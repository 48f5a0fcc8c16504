import { useEffect } from 'react';
import { View, Text, Textarea } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import type { MergeView } from '@/contract';
import { LoadMore } from '@/components/load-more';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { showToast } from '@/platform/feedback';
import { formatRelative } from '@/lib/time';
import { useMergesStore } from '@/stores/manager-merges-store';
import './manager.scss';

function MergeRow({ merge, now }: { merge: MergeView; now: number }) {
  return (
    <View className={`sk-merge${merge.undone ? ' sk-merge--undone' : ''}`} data-id={merge.id}>
      <View className='sk-merge__main'>
        <View className='sk-merge__who'>
          <Text className='sk-merge__survivor'>{merge.survivor.name}</Text>
          <Text className='sk-merge__arrow'>合并了</Text>
          <Text className='sk-merge__merged'>{merge.merged.map((m) => m.name).join('、')}</Text>
          {merge.undone ? <Text className='sk-merge__state'>已撤销</Text> : null}
        </View>
        <Text className='sk-merge__reason'>原因：{merge.reason}</Text>
        <View className='sk-merge__ids'>
          {merge.identifiers.map((kind) => (
            <Text key={kind} className='sk-merge__id'>
              {kind}
            </Text>
          ))}
        </View>
        <Text className='sk-merge__meta'>
          {merge.actorName} · {formatRelative(merge.at, now)}
        </Text>
        {merge.undone ? (
          <Text className='sk-merge__meta sk-merge__meta--undone'>
            {merge.undone.actorName} 于 {formatRelative(merge.undone.at, now)} 撤销：{merge.undone.reason}
          </Text>
        ) : null}
      </View>
      {merge.undone ? null : (
        <Text className='sk-btn sk-btn--plain sk-merge__undo' onClick={() => useMergesStore.getState().askUndo(merge)}>
          撤销合并
        </Text>
      )}
    </View>
  );
}

function UndoDialog() {
  const undo = useMergesStore((s) => s.undo);
  if (!undo) return null;
  const store = useMergesStore.getState;
  const names = [undo.merge.survivor, ...undo.merge.merged].map((c) => c.name).join('、');
  const ready = undo.reason.trim().length > 0 && !undo.busy;
  return (
    <View className='sk-dialog' onClick={() => store().cancelUndo()}>
      <View className='sk-dialog__box' role='dialog' aria-label='撤销合并' onClick={(e) => e.stopPropagation()}>
        <Text className='sk-dialog__title'>撤销这次合并？</Text>
        <Text className='sk-dialog__text'>{`${names} 将恢复为各自独立的客户，各自的互动记录、标签和跟进随之分开。`}</Text>
        <Textarea
          className='sk-dialog__input'
          value={undo.reason}
          maxlength={100}
          placeholder='请填写撤销原因，例如：同名不同人，手机号为家人共用'
          onInput={(e) => store().setUndoReason(e.detail.value)}
        />
        {undo.error ? (
          <Text className='sk-dialog__error'>
            {undo.error.code === 'CONFLICT' ? '这条合并已被他人撤销或变更，请刷新后再看' : undo.error.userMessage}
          </Text>
        ) : null}
        <View className='sk-dialog__actions'>
          <Text className='sk-btn sk-btn--plain' onClick={() => store().cancelUndo()}>
            取消
          </Text>
          <Text
            className={`sk-btn sk-btn--danger${ready ? '' : ' sk-btn--off'}`}
            onClick={() => {
              if (ready) void store().confirmUndo().then((done) => done && showToast('已撤销合并'));
            }}
          >
            {undo.busy ? '正在撤销…' : '确认撤销'}
          </Text>
        </View>
      </View>
    </View>
  );
}

/** The store's merge records (OneID), newest first, each undoable by the manager. */
export function MergesView() {
  const s = useMergesStore(useShallow((st) => st));
  useEffect(() => {
    if (useMergesStore.getState().status === 'idle') void useMergesStore.getState().load();
  }, []);
  const now = Date.now();
  let body;
  if (s.items.length === 0) {
    if (s.status === 'error') body = <ErrorState message={s.error?.userMessage ?? '加载失败'} onRetry={() => void s.load()} />;
    else if (s.status !== 'ready') body = <LoadingState label='正在加载合并记录…' />;
    else body = <EmptyState title='还没有合并记录' description='系统识别为同一人的客户合并后，会在这里留下记录' />;
  } else {
    body = (
      <View className='sk-merges'>
        {s.items.map((m) => (
          <MergeRow key={m.id} merge={m} now={now} />
        ))}
        <LoadMore
          hasMore={Boolean(s.nextCursor)}
          status={s.moreStatus}
          errorMessage={s.moreError?.userMessage}
          onLoadMore={() => void s.loadMore()}
          endText='没有更早的合并记录了'
        />
      </View>
    );
  }
  return (
    <View className='sk-mgr'>
      <View className='sk-mgr__head'>
        <View>
          <Text className='sk-mgr__title'>合并记录</Text>
          <Text className='sk-mgr__sub'>同一客户的多条档案合并后留痕，可由店长撤销</Text>
        </View>
      </View>
      {s.notice ? (
        <Text className='sk-mgr__notice sk-mgr__notice--done'>
          {s.notice}
        </Text>
      ) : null}
      {body}
      <UndoDialog />
    </View>
  );
}

export const loadMoreMerges = (): Promise<void> => useMergesStore.getState().loadMore();
export const refreshMerges = (): Promise<void> => useMergesStore.getState().load();

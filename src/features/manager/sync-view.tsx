import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import { useShallow } from 'zustand/react/shallow';
import type { DeadLetterView, OemSyncStatus } from '@/contract';
import { LoadMore } from '@/components/load-more';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import { showToast } from '@/platform/feedback';
import { formatRelative } from '@/lib/time';
import { useSyncStore } from '@/stores/manager-sync-store';
import './manager.scss';

function Figure({ label, value, tone }: { label: string; value: string; tone?: 'warn' | 'bad' }) {
  return (
    <View className={`sk-sync-fig${tone ? ` sk-sync-fig--${tone}` : ''}`}>
      <Text className='sk-sync-fig__value'>{value}</Text>
      <Text className='sk-sync-fig__label'>{label}</Text>
    </View>
  );
}

/** The link itself: when changes last came in and went out, and what failed. */
function Overview({ status, now }: { status: OemSyncStatus; now: number }) {
  if (!status.configured) {
    return <Text className='sk-mgr__notice sk-mgr__notice--failed'>本环境尚未连接主机厂平台，请联系管理员配置</Text>;
  }
  return (
    <View className='sk-sync-overview'>
      <View className='sk-sync-figs'>
        <Figure label='待上传' value={String(status.queued)} />
        <Figure label='失败重试中' value={String(status.retrying)} tone={status.retrying ? 'warn' : undefined} />
        <Figure label='需重新发送' value={String(status.dead)} tone={status.dead ? 'bad' : undefined} />
        <Figure label='今日已上传' value={String(status.sentToday)} />
      </View>
      <View className='sk-sync-links'>
        <Text className='sk-sync-link'>
          {`主机厂线索与资料：${status.lastPulledAt ? `${formatRelative(status.lastPulledAt, now)}同步` : '尚未同步'}`}
          {status.pullError ? <Text className='sk-sync-link__error'>{` · 上次失败：${status.pullError}，将自动重试`}</Text> : null}
        </Text>
        <Text className='sk-sync-link'>
          {`门店记录上传：${status.lastUploadAt ? `${formatRelative(status.lastUploadAt, now)}上传` : '还没有上传记录'}`}
          {status.uploadError ? <Text className='sk-sync-link__error'>{` · 上次失败：${status.uploadError}，将自动重试`}</Text> : null}
        </Text>
        {status.withheld ? <Text className='sk-sync-link sk-sync-link--muted'>{`${status.withheld} 条记录因客户撤回共享授权未上传`}</Text> : null}
      </View>
    </View>
  );
}

function DeadLetterRow({ item, now, busy }: { item: DeadLetterView; now: number; busy: boolean }) {
  return (
    <View className='sk-dead' data-id={item.id}>
      <View className='sk-dead__main'>
        <Text className='sk-dead__who'>{item.customerName}</Text>
        <Text className='sk-dead__what'>{item.what}</Text>
        <Text className='sk-dead__why'>{`${item.error} · 已尝试 ${item.attempts} 次 · ${formatRelative(item.at, now)}记录`}</Text>
      </View>
      <Text
        className={`sk-btn sk-btn--plain${busy ? ' sk-btn--off' : ''}`}
        onClick={() => {
          if (!busy) void useSyncStore.getState().replay([item.id]).then((ok) => ok && showToast('已重新排队'));
        }}
      >
        重新发送
      </Text>
    </View>
  );
}

/** The manager's view of the store's sync with the OEM: queue depth, failures, dead letters with replay. */
export function SyncView() {
  const s = useSyncStore(useShallow((st) => st));
  useEffect(() => {
    if (useSyncStore.getState().statusLoad === 'idle') void useSyncStore.getState().load();
  }, []);
  const now = Date.now();
  const dead = s.deadLetters;
  let list;
  if (dead.items.length === 0) {
    if (dead.status === 'error') list = <ErrorState message={dead.error?.userMessage ?? '加载失败'} onRetry={() => void s.load()} />;
    else if (dead.status !== 'ready') list = <LoadingState label='正在加载…' />;
    else list = <EmptyState title='没有需要重新发送的记录' description='主机厂多次拒收或无法送达的记录会出现在这里' />;
  } else {
    list = (
      <View className='sk-deads'>
        {dead.items.map((item) => (
          <DeadLetterRow key={item.id} item={item} now={now} busy={s.replaying} />
        ))}
        <LoadMore hasMore={Boolean(dead.nextCursor)} status={dead.moreStatus} errorMessage={dead.moreError?.userMessage} onLoadMore={() => void s.loadMore()} endText='没有更多了' />
      </View>
    );
  }
  return (
    <View className='sk-mgr'>
      <View className='sk-mgr__head'>
        <View>
          <Text className='sk-mgr__title'>主机厂同步</Text>
          <Text className='sk-mgr__sub'>主机厂下发的线索与资料、门店跟进记录的上传情况</Text>
        </View>
        <Text className='sk-btn sk-btn--plain' onClick={() => void s.load()}>
          刷新
        </Text>
      </View>
      {s.status ? <Overview status={s.status} now={now} /> : s.statusLoad === 'error' ? <ErrorState message={s.statusError?.userMessage ?? '加载失败'} onRetry={() => void s.load()} /> : <LoadingState label='正在加载同步状态…' />}
      {s.notice ? <Text className='sk-mgr__notice sk-mgr__notice--done'>{s.notice}</Text> : null}
      {s.replayError ? <Text className='sk-mgr__notice sk-mgr__notice--failed'>{s.replayError.userMessage}</Text> : null}
      <View className='sk-mgr__head sk-sync-dead-head'>
        <Text className='sk-sync-dead-title'>{`需重新发送${s.status?.dead ? `（${s.status.dead}）` : ''}`}</Text>
        {dead.items.length ? (
          <Text
            className={`sk-btn sk-btn--primary${s.replaying ? ' sk-btn--off' : ''}`}
            onClick={() => {
              if (!s.replaying) void s.replay().then((ok) => ok && showToast('已重新排队'));
            }}
          >
            {s.replaying ? '正在排队…' : '全部重新发送'}
          </Text>
        ) : null}
      </View>
      {list}
    </View>
  );
}

export const refreshSync = (): Promise<void> => useSyncStore.getState().load();
export const loadMoreDeadLetters = (): Promise<void> => useSyncStore.getState().loadMore();

import { SyncView, loadMoreDeadLetters, refreshSync } from '@/features/manager/sync-view';
import { SessionGate } from '@/features/session/session-gate';
import { usePullToRefresh, useScrolledToBottom } from '@/platform/page';

export default function ManagerSyncPage() {
  useScrolledToBottom(() => void loadMoreDeadLetters());
  usePullToRefresh(refreshSync);
  return (
    <SessionGate>
      <SyncView />
    </SessionGate>
  );
}

import { MergesView, loadMoreMerges, refreshMerges } from '@/features/manager/merges-view';
import { SessionGate } from '@/features/session/session-gate';
import { usePullToRefresh, useScrolledToBottom } from '@/platform/page';

export default function ManagerMergesPage() {
  useScrolledToBottom(() => void loadMoreMerges());
  usePullToRefresh(refreshMerges);
  return (
    <SessionGate>
      <MergesView />
    </SessionGate>
  );
}

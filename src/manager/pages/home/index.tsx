import { StoreLeads, loadMoreStoreLeads, refreshStoreLeads } from '@/features/manager/store-leads';
import { SessionGate } from '@/features/session/session-gate';
import { usePullToRefresh, useScrolledToBottom } from '@/platform/page';

export default function ManagerHomePage() {
  useScrolledToBottom(() => void loadMoreStoreLeads());
  usePullToRefresh(refreshStoreLeads);
  return (
    <SessionGate>
      <StoreLeads />
    </SessionGate>
  );
}

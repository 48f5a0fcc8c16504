import { MyLeads, loadMoreLeads, refreshLeads } from '@/features/leads/my-leads';
import { SessionGate } from '@/features/session/session-gate';
import { usePullToRefresh, useScrolledToBottom } from '@/platform/page';

export default function LeadsPage() {
  useScrolledToBottom(() => void loadMoreLeads());
  usePullToRefresh(refreshLeads);
  return (
    <SessionGate>
      <MyLeads />
    </SessionGate>
  );
}

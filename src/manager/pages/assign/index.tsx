import { AssignView, refreshAssign } from '@/features/manager/assign-view';
import { SessionGate } from '@/features/session/session-gate';
import { usePullToRefresh } from '@/platform/page';

export default function ManagerAssignPage() {
  usePullToRefresh(refreshAssign);
  return (
    <SessionGate>
      <AssignView />
    </SessionGate>
  );
}

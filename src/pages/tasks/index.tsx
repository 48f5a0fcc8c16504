import { EmptyState } from '@/components/state-view';
import { SessionGate } from '@/features/session/session-gate';

/** MA tasks arrive in a later issue; until then the inbox is honestly empty. */
export default function TasksPage() {
  return (
    <SessionGate>
      <EmptyState title='暂无营销任务' description='店长下发任务后会出现在这里' />
    </SessionGate>
  );
}

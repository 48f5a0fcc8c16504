import { ScoringView, refreshScoring } from '@/features/manager/scoring-view';
import { SessionGate } from '@/features/session/session-gate';
import { usePullToRefresh } from '@/platform/page';

export default function ManagerScoringPage() {
  usePullToRefresh(refreshScoring);
  return (
    <SessionGate>
      <ScoringView />
    </SessionGate>
  );
}

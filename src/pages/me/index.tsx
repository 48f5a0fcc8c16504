import { MePanel } from '@/features/session/me-panel';
import { SessionGate } from '@/features/session/session-gate';

export default function MePage() {
  return (
    <SessionGate>
      <MePanel />
    </SessionGate>
  );
}

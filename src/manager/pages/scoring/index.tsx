import { ScoringView, refreshScoring } from '@/features/manager/scoring-view';
import { PageFrame } from '@/features/session/page-frame';
import { usePullToRefresh } from '@/platform/page';

export default function ManagerScoringPage() {
  usePullToRefresh(refreshScoring);
  return (
    <PageFrame title='评分模型' back roles={['manager']}>
      <ScoringView />
    </PageFrame>
  );
}

import { StrategyList } from '@/features/manager/strategy-views';
import { PageFrame } from '@/features/session/page-frame';

export default function ManagerStrategiesPage() {
  return (
    <PageFrame title='营销策略' back roles={['manager']}>
      <StrategyList />
    </PageFrame>
  );
}

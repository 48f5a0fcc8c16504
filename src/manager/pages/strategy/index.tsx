import { EmptyState } from '@/components/state-view';
import { StrategyProgressView } from '@/features/manager/strategy-views';
import { PageFrame } from '@/features/session/page-frame';
import { usePageParams } from '@/platform/page';

export default function ManagerStrategyPage() {
  const { id } = usePageParams();
  return (
    <PageFrame title='策略进度' back roles={['manager']}>
      {id ? <StrategyProgressView strategyId={id} /> : <EmptyState title='没有指定策略' description='请从营销策略列表中选择一个策略' />}
    </PageFrame>
  );
}

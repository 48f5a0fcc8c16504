import { StrategyBuilder } from '@/features/manager/strategy-views';
import { PageFrame } from '@/features/session/page-frame';
import { openPage, routes } from '@/platform/navigation';

export default function ManagerStrategyEditPage() {
  return (
    <PageFrame title='新建策略' back roles={['manager']}>
      <StrategyBuilder onIssued={(id) => openPage(routes.managerStrategy, { id })} />
    </PageFrame>
  );
}

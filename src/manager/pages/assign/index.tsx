import { AssignView, refreshAssign } from '@/features/manager/assign-view';
import { PageFrame } from '@/features/session/page-frame';
import { usePullToRefresh } from '@/platform/page';

export default function ManagerAssignPage() {
  usePullToRefresh(refreshAssign);
  return (
    <PageFrame title='线索分配' back roles={['manager']}>
      <AssignView />
    </PageFrame>
  );
}

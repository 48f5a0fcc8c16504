import { MaterialsView, refreshMaterials } from '@/features/manager/materials-view';
import { PageFrame } from '@/features/session/page-frame';
import { usePullToRefresh } from '@/platform/page';

export default function ManagerMaterialsPage() {
  usePullToRefresh(refreshMaterials);
  return (
    <PageFrame title='素材库' back roles={['manager']}>
      <MaterialsView />
    </PageFrame>
  );
}

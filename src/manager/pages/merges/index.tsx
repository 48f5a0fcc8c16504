import { MergesView, loadMoreMerges, refreshMerges } from '@/features/manager/merges-view';
import { PageFrame } from '@/features/session/page-frame';
import { usePullToRefresh, useScrolledToBottom } from '@/platform/page';

export default function ManagerMergesPage() {
  useScrolledToBottom(() => void loadMoreMerges());
  usePullToRefresh(refreshMerges);
  return (
    <PageFrame title='合并记录' back roles={['manager']}>
      <MergesView />
    </PageFrame>
  );
}

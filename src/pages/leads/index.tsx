import { MyLeads, loadMoreLeads, refreshLeads } from '@/features/leads/my-leads';
import { PageFrame } from '@/features/session/page-frame';
import { usePullToRefresh, useScrolledToBottom } from '@/platform/page';

export default function LeadsPage() {
  useScrolledToBottom(() => void loadMoreLeads());
  usePullToRefresh(refreshLeads);
  return (
    <PageFrame title='线索' roles={['consultant']}>
      <MyLeads />
    </PageFrame>
  );
}

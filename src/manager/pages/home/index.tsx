import { StoreLeads, loadMoreStoreLeads, refreshStoreLeads } from '@/features/manager/store-leads';
import { StoreKpis } from '@/features/manager/strategy-views';
import { PageFrame } from '@/features/session/page-frame';
import { usePullToRefresh, useScrolledToBottom } from '@/platform/page';

export default function ManagerHomePage() {
  useScrolledToBottom(() => void loadMoreStoreLeads());
  usePullToRefresh(refreshStoreLeads);
  return (
    <PageFrame title='门店概览' roles={['manager']}>
      <StoreKpis />
      <StoreLeads />
    </PageFrame>
  );
}

import { EmptyState } from '@/components/state-view';
import { FollowUpSheet } from '@/features/follow-up/follow-up-sheet';
import { ProfilePanel, loadMoreTimeline } from '@/features/profile/profile-panel';
import { ContactActions } from '@/features/send/contact-actions';
import { PageFrame } from '@/features/session/page-frame';
import { usePageParams, useScrolledToBottom } from '@/platform/page';

export default function CustomerPage() {
  const { id, task } = usePageParams();
  useScrolledToBottom(() => void loadMoreTimeline());
  return (
    <PageFrame title='客户画像' back roles={['consultant', 'manager']}>
      {id ? (
        <>
          <ProfilePanel customerId={id} actions={<ContactActions customerId={id} {...(task ? { taskId: task } : {})} />} />
          <FollowUpSheet customerId={id} />
        </>
      ) : (
        <EmptyState title='没有指定客户' description='请从线索列表中选择一位客户' />
      )}
    </PageFrame>
  );
}

import { FollowUpSheet } from '@/features/follow-up/follow-up-sheet';
import { ProfilePanel, loadMoreTimeline } from '@/features/profile/profile-panel';
import { ContactActions } from '@/features/send/contact-actions';
import { PageFrame } from '@/features/session/page-frame';
import { ChatSidebar } from '@/features/sidebar/chat-sidebar';
import { usePageParams, useScrolledToBottom } from '@/platform/page';

/** What the WeCom chat toolbar opens; `?customerId=` opens that customer (a link to the profile). */
export default function SidebarPage() {
  const { customerId } = usePageParams();
  useScrolledToBottom(() => void loadMoreTimeline());
  return (
    <PageFrame title='客户' roles={['consultant', 'manager']}>
      <ChatSidebar
        customerId={customerId}
        renderProfile={(id) => (
          <>
            <ProfilePanel customerId={id} actions={<ContactActions customerId={id} />} />
            <FollowUpSheet customerId={id} />
          </>
        )}
      />
    </PageFrame>
  );
}

import { FollowUpSheet } from '@/features/follow-up/follow-up-sheet';
import { ProfilePanel, loadMoreTimeline } from '@/features/profile/profile-panel';
import { SessionGate } from '@/features/session/session-gate';
import { ChatSidebar } from '@/features/sidebar/chat-sidebar';
import { useScrolledToBottom } from '@/platform/page';

/** What the WeCom chat toolbar opens. */
export default function SidebarPage() {
  useScrolledToBottom(() => void loadMoreTimeline());
  return (
    <SessionGate>
      <ChatSidebar
        renderProfile={(customerId) => (
          <>
            <ProfilePanel customerId={customerId} />
            <FollowUpSheet customerId={customerId} />
          </>
        )}
      />
    </SessionGate>
  );
}

import { routes } from '@/platform/navigation';
import type { OpeningPage } from '@/platform/launch';
import { useChatStore } from '@/stores/chat-store';
import { useProfileStore } from '@/stores/profile-store';
import { hasSession, useSessionStore } from '@/stores/session-store';

/**
 * Starts loading what a customer's page shows first while the browser is still fetching the
 * page's code: opened at a customer (the sidebar's `?customerId=`, the customer page's `?id=`)
 * the profile, its first timeline page and follow-ups; opened bare in the sidebar, asking WeCom
 * whom the chat is with, then that customer's profile. The page, once loaded, finds the calls in
 * flight in the stores and makes none of its own. Only for a signed-in consultant or manager:
 * anyone else gets the sign-in or their own page, not these calls.
 */
export function loadFirstScreen(opening: OpeningPage | undefined): void {
  if (!opening) return;
  const session = useSessionStore.getState();
  if (!hasSession(session, Date.now()) || (session.me?.role !== 'consultant' && session.me?.role !== 'manager')) return;
  const { route, params } = opening;
  const customerId = route === routes.sidebar ? params.customerId : route === routes.customer ? params.id : undefined;
  if (customerId) {
    void useProfileStore.getState().open(customerId);
    return;
  }
  if (route !== routes.sidebar) return;
  // The chat's customer is opened the moment the chat store knows them, from its own listener:
  // React renders the page for the new phase before `detect()`'s promise settles, and the
  // profile's calls need not wait for that render.
  const unsubscribe = useChatStore.subscribe(({ phase, chatCustomerId, pickedCustomerId }) => {
    const shown = phase === 'matched' ? chatCustomerId : phase === 'group' ? pickedCustomerId : undefined;
    if (shown) void useProfileStore.getState().open(shown);
    if (phase !== 'idle' && phase !== 'detecting') unsubscribe();
  });
  void useChatStore.getState().detect();
}

/**
 * The invitation's words and steps for both pages (H5 React and the native weapp page): the
 * plain-data module `@/lib/invitation` (also used by the invite store), plus the state of a
 * load with its Chinese error text. Imports nothing from Taro, React or a store: the native page
 * bundles it on its own.
 */
import type { ActivityView } from '@/contract';
import { toCloudError } from '@/services/cloud-error';
import { invitationEmpty, toInvitation, type InvitationState } from '@/lib/invitation';

export * from '@/lib/invitation';
export { replyData } from '@/services/cloud-error';

/** The state for a finished load: the activity (or none, when there is nothing upcoming) or the error. */
export function invitationState(outcome: { activity?: ActivityView } | { error: unknown }): InvitationState {
  if ('error' in outcome) {
    return { status: 'error', title: '邀请函打开失败', message: toCloudError(outcome.error).userMessage };
  }
  return outcome.activity ? { status: 'ready', invitation: toInvitation(outcome.activity) } : invitationEmpty;
}



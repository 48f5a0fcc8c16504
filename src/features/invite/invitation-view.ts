/**
 * What the customer's invitation shows, as plain data. Shared by the React page (H5) and the
 * native weapp page (which carries no Taro runtime or React, to keep the independent `invite`
 * package small), so both render the same words from the same activity. Imports nothing from
 * Taro, React or a store: the native page bundles it on its own.
 */
import type { ActivityView } from '@/contract';
import { toCloudError } from '@/services/cloud-error';

export { replyData } from '@/services/cloud-error';
import { formatTimeRange } from '@/lib/time';

export interface Invitation {
  /** 星河汽车 城东店 诚邀您参加 */
  kicker: string;
  title: string;
  /** 2026年11月29日 周日 09:30 – 17:00 */
  time: string;
  storeName: string;
  address: string;
  /** 共 40 个名额 */
  capacity: string;
  /** '' when the activity has none. */
  description: string;
  perks: string[];
}

/** Every state the invitation page can be in, with the Chinese text it shows. */
export type InvitationState =
  | { status: 'loading'; label: string }
  | { status: 'error'; title: string; message: string }
  | { status: 'empty'; title: string; description: string }
  | { status: 'ready'; invitation: Invitation };

export const invitationLoading: InvitationState = { status: 'loading', label: '正在打开邀请函…' };

export const invitationEmpty: InvitationState = {
  status: 'empty',
  title: '近期没有活动',
  description: '门店发布新活动后，你会在这里看到邀请',
};

export function toInvitation(activity: ActivityView): Invitation {
  return {
    kicker: `${activity.storeName} 诚邀您参加`,
    title: activity.title,
    time: formatTimeRange(activity.startAt, activity.endAt),
    storeName: activity.storeName,
    address: activity.address,
    capacity: `共 ${activity.capacity} 个名额`,
    description: activity.description,
    perks: activity.perks,
  };
}

/** The state for a finished load: the activity (or none, when there is nothing upcoming) or the error. */
export function invitationState(outcome: { activity?: ActivityView } | { error: unknown }): InvitationState {
  if ('error' in outcome) {
    return { status: 'error', title: '邀请函打开失败', message: toCloudError(outcome.error).userMessage };
  }
  return outcome.activity ? { status: 'ready', invitation: toInvitation(outcome.activity) } : invitationEmpty;
}


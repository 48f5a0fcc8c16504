/**
 * What the customer's invitation shows, as plain data (re-exported by features/invite/invitation-view,
 * which adds the load states; here so that stores may use it too). Shared by the React page (H5) and the
 * native weapp page (which carries no Taro runtime or React, to keep the independent `invite`
 * package small), so both render the same words from the same activity. Imports nothing from
 * Taro, React or a store: the native page bundles it on its own.
 */
import type { ActivityView, InvitationOpen, MyRegistration, RegisterResult } from '@/contract';
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
  /** 剩余 8 个名额, or 名额已满 */
  placesLeft: string;
  full: boolean;
  /** The store's phone for the call button ('' when unknown). */
  phone: string;
  /** Where the store is, for the map. */
  location?: { lng: number; lat: number };
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
    placesLeft: placesText(activity.capacity - activity.registered),
    full: activity.capacity - activity.registered <= 0,
    phone: activity.storePhone,
    ...(activity.location ? { location: activity.location } : {}),
    description: activity.description,
    perks: activity.perks,
  };
}

export const placesText = (left: number): string => (left > 0 ? `剩余 ${left} 个名额` : '名额已满');

// ---------- the tracked invitation: consent, registration, my registrations ----------

/**
 * The privacy notice shown before anything is tracked; its version goes to the consent ledger.
 * Written here with its words (the native page cannot import types/ at runtime); a test keeps
 * it equal to `INVITE_NOTICE_VERSION` in types/catalog.ts, the server's.
 */
export const privacyNotice = {
  version: 'invite-2025-03',
  title: '隐私保护提示',
  body: '为了让顾问了解您对活动的兴趣，我们会在您同意后记录您打开、浏览时长和转发这个邀请。报名需要您的姓名和手机号，仅用于门店联系您参加活动。您可以随时撤回同意，撤回后不再记录。',
  agree: '同意并继续',
  decline: '暂不同意',
  withdraw: '撤回浏览记录授权',
  withdrawn: '已撤回，不再记录您的浏览',
} as const;

/** Where the customer stands on tracking: asked for, given, withdrawn, or not askable (not a known customer). */
export type ConsentStep = 'ask' | 'granted' | 'withdrawn' | 'none';

export type RegistrationStep =
  | { kind: 'open' }
  | { kind: 'registered'; label: string; phoneMasked?: string }
  | { kind: 'full' }
  | { kind: 'ended' }
  /** The link was forwarded: registration goes through the consultant (or the mini-program's phone button). */
  | { kind: 'contact_consultant' };

export interface TrackedInvitation {
  invitation: Invitation;
  /** 顾问 张伟 邀请您 */
  from: string;
  consent: ConsentStep;
  registration: RegistrationStep;
  /** To prefill the form: the name and the masked phone the store knows. */
  known?: { name: string; phoneMasked?: string };
}

function registrationStep(open: Pick<InvitationOpen, 'registration' | 'viewer' | 'canConsent'>, invitation: Invitation, endAt: number, now: number): RegistrationStep {
  const r = open.registration;
  if (r && r.status !== 'cancelled') return { kind: 'registered', label: r.status === 'checked_in' ? '已签到' : '已报名', ...(r.phoneMasked ? { phoneMasked: r.phoneMasked } : {}) };
  if (now >= endAt) return { kind: 'ended' };
  if (invitation.full) return { kind: 'full' };
  if (open.viewer === 'forwarded' && !open.canConsent) return { kind: 'contact_consultant' };
  return { kind: 'open' };
}

export function trackedInvitation(open: InvitationOpen, now: number): TrackedInvitation {
  const invitation = toInvitation(open.activity);
  const consent: ConsentStep = !open.canConsent ? 'none' : open.tracking === 'granted' ? 'granted' : open.tracking === 'withdrawn' ? 'withdrawn' : 'ask';
  return {
    invitation,
    from: open.consultantName ? `顾问 ${open.consultantName} 邀请您` : `${invitation.storeName} 邀请您`,
    consent,
    registration: registrationStep(open, invitation, open.activity.endAt, now),
    ...(open.known ? { known: open.known } : {}),
  };
}

/** The invitation after a registration answer, and what to tell the customer. */
export function afterRegister(t: TrackedInvitation, result: RegisterResult): { next: TrackedInvitation; toast: string } {
  const placesLeft = placesText(result.placesLeft);
  const invitation = { ...t.invitation, placesLeft, full: result.placesLeft <= 0 };
  if (result.registered) {
    const r = result.registration;
    return { next: { ...t, invitation, registration: { kind: 'registered', label: '已报名', ...(r.phoneMasked ? { phoneMasked: r.phoneMasked } : {}) } }, toast: '报名成功' };
  }
  const registration: RegistrationStep = result.reason === 'full' ? { kind: 'full' } : result.reason === 'ended' ? { kind: 'ended' } : { kind: 'contact_consultant' };
  return { next: { ...t, invitation, registration }, toast: result.message };
}

export interface RegistrationForm {
  name: string;
  phone: string;
}

/** What is wrong with the H5 form, per field, in Chinese (empty when it can be sent). The phone may stay empty when the store knows it. */
export function formIssues(form: RegistrationForm, knowsPhone: boolean): Partial<Record<keyof RegistrationForm, string>> {
  const issues: Partial<Record<keyof RegistrationForm, string>> = {};
  if (!form.name.trim()) issues.name = '请填写姓名';
  else if (form.name.trim().length > 20) issues.name = '姓名最多 20 个字';
  const phone = form.phone.replace(/\s/g, '');
  if (!phone && !knowsPhone) issues.phone = '请填写手机号';
  else if (phone && !/^1[3-9]\d{9}$/.test(phone)) issues.phone = '请填写 11 位手机号';
  return issues;
}

export interface MyRegistrationItem {
  activityId: string;
  title: string;
  time: string;
  place: string;
  /** 已报名 / 已签到 / 已取消 / 已结束 */
  status: string;
  tone: 'active' | 'muted';
  canCancel: boolean;
}

export function myRegistrationItems(list: readonly MyRegistration[], now: number): MyRegistrationItem[] {
  return list.map((r) => {
    const over = r.endAt <= now;
    const status = r.status === 'cancelled' ? '已取消' : r.status === 'checked_in' ? '已签到' : over ? '已结束' : '已报名';
    return {
      activityId: r.activityId,
      title: r.title,
      time: formatTimeRange(r.startAt, r.endAt),
      place: [r.storeName, r.address].filter(Boolean).join(' · '),
      status,
      tone: status === '已报名' ? 'active' : 'muted',
      canCancel: r.status === 'registered' && !over,
    };
  });
}

export const myRegistrationsEmpty = { title: '还没有报名', description: '在活动邀请里点“立即报名”，报名的活动会出现在这里' } as const;
export const cancelConfirm = { title: '取消报名？', body: '取消后名额会让给其他客户，如需参加可再次报名。', confirm: '取消报名', keep: '再想想' } as const;

/** Heartbeats while the page is on screen. */
export const HEARTBEAT_MS = 15_000;

/**
 * Seconds the page has been on screen in this visit, across hides and shows: what each
 * heartbeat and the final beacon carry (the server adds only growth).
 */
export class DwellClock {
  private counted = 0;
  private since: number | undefined;
  show(now: number): void {
    this.since ??= now;
  }
  hide(now: number): void {
    if (this.since !== undefined) this.counted += Math.max(0, now - this.since);
    this.since = undefined;
  }
  seconds(now: number): number {
    return Math.floor((this.counted + (this.since !== undefined ? Math.max(0, now - this.since) : 0)) / 1000);
  }
}

/** A random id for a visit or a share (unique, not secret). */
export function pageId(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 22; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

/** A map of the store for H5 (AMap's marker page, opens the app when installed). */
export function mapUrl(i: Pick<Invitation, 'location' | 'storeName' | 'address'>): string | undefined {
  if (!i.location) return undefined;
  const name = encodeURIComponent(i.storeName || i.address);
  return `https://uri.amap.com/marker?position=${i.location.lng},${i.location.lat}&name=${name}&src=sidekick&coordinate=gaode&callnative=1`;
}

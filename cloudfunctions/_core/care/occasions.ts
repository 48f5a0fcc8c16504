/**
 * Care for owners (保客关怀): which occasion a China day is for an owner (their birthday, a
 * holiday), and how to reach them (channel rules). Pure: the day and the customer passed in;
 * consent and the frequency cap are the sends' own check (`_core/sends/cap.decideSend`).
 */
import type { CurrentConsents, CustomerIdentities, FrequencyCap } from '../../../types/model';
import { decideSend } from '../sends/cap';
import { chinaDayStart } from '../events/day-buckets';

/** Holidays greeted with a coupon: fixed dates (MM-DD), and the lunar ones by year (YYYY-MM-DD). */
export const HOLIDAYS: Readonly<Record<string, string>> = {
  '01-01': '元旦',
  '05-01': '劳动节',
  '10-01': '国庆节',
  '2025-01-29': '春节',
  '2025-05-31': '端午节',
  '2025-10-06': '中秋节',
  '2026-02-17': '春节',
  '2026-06-19': '端午节',
  '2026-09-25': '中秋节',
};

/** The care materials (brand library): a birthday card and a holiday card, each with its coupon. */
export const CARE_MATERIALS = { birthday: 'mat-care-birthday', holiday: 'mat-care-holiday' } as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** `MM-DD` and `YYYY-MM-DD` of the China day `ts` falls on. */
export function chinaDate(ts: number): { monthDay: string; date: string } {
  const d = new Date(chinaDayStart(ts) + 8 * 3_600_000);
  const monthDay = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return { monthDay, date: `${d.getUTCFullYear()}-${monthDay}` };
}

/** The holiday of the China day `ts` falls on, if any. */
export function holidayOn(ts: number): { key: string; name: string } | undefined {
  const { monthDay, date } = chinaDate(ts);
  const name = HOLIDAYS[date] ?? HOLIDAYS[monthDay];
  return name ? { key: `holiday-${date}`, name } : undefined;
}

export type CareOccasion = { kind: 'birthday' | 'holiday'; key: string; name: string };

export const birthdayOn = (ts: number): CareOccasion => ({ kind: 'birthday', key: `birthday-${chinaDate(ts).date}`, name: '生日' });

export type CareChannel =
  /** A task: the consultant sends the card into the WeCom chat with one tap. */
  | { by: 'task'; send: 'wecom' }
  /** A task: no WeCom contact and no mini-program: the consultant calls. */
  | { by: 'task'; send: 'call' }
  /** A mini-program subscribe message the system sends itself. */
  | { by: 'message' };

export interface CareTarget {
  identities: CustomerIdentities;
  ownerId?: string;
  consent?: CurrentConsents;
  marketingTouches?: number[];
}

export type CarePlan = { ok: true; channel: CareChannel } | { ok: false; reason: string };

/**
 * How to greet this owner, or why not: no consultant, no consent, or the frequency cap (the
 * sends' own rule, checked again when the greeting is actually sent).
 */
export function planCare(c: CareTarget, cap: FrequencyCap, now: number): CarePlan {
  if (!c.ownerId) return { ok: false, reason: '客户暂无顾问' };
  const d = decideSend({ consent: c.consent, touches: c.marketingTouches, marketing: true, cap, now });
  if (!d.ok) return { ok: false, reason: d.reason };
  if (c.identities.externalUserId) return { ok: true, channel: { by: 'task', send: 'wecom' } };
  if (c.identities.openid) return { ok: true, channel: { by: 'message' } };
  return { ok: true, channel: { by: 'task', send: 'call' } };
}

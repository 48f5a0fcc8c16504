/**
 * Claiming a lead from the pool (公海). The decision is pure; the write must be conditional
 * ("set ownerId where ownerId does not exist"), so of two consultants claiming at the same
 * moment exactly one write succeeds. The other re-reads the lead and asks again: the answer
 * is then `ALREADY_OWNED`, which tells them plainly.
 */
import { DAY } from '../events/day-buckets';
import type { AllocationPolicy, ConsultantLoad } from './policy';

export type ClaimCode = 'ALREADY_OWNED' | 'OTHER_STORE' | 'NOT_CONSULTANT' | 'INACTIVE' | 'AT_CAPACITY' | 'DAILY_CAP' | 'COOLDOWN';

export const CLAIM_MESSAGES: Readonly<Record<ClaimCode, string>> = {
  ALREADY_OWNED: '手慢了，这条线索已被其他顾问领取',
  OTHER_STORE: '这条线索属于其他门店，不能领取',
  NOT_CONSULTANT: '只有销售顾问可以领取线索',
  INACTIVE: '你的账号已停用，不能领取线索',
  AT_CAPACITY: '你的跟进客户已达上限，请先处理手上的线索',
  DAILY_CAP: '今日领取数量已达上限，明天再来',
  COOLDOWN: '这条线索刚从你名下回收，暂时不能再领取',
};

export interface ClaimableLead {
  storeId: string;
  ownerId?: string;
  /** Set when the lead went back to the pool for lack of follow-up. */
  recycledFrom?: { consultantId: string; at: number };
}

export type ClaimDecision = { ok: true; alreadyYours: boolean } | { ok: false; code: ClaimCode; message: string };

function no(code: ClaimCode): ClaimDecision {
  return { ok: false, code, message: CLAIM_MESSAGES[code] };
}

/**
 * Whether `consultant` may claim `lead` now. Claiming a lead one already owns succeeds
 * (`alreadyYours`), so a retried claim is harmless.
 */
export function claimDecision(lead: ClaimableLead, consultant: ConsultantLoad, policy: AllocationPolicy, now: number): ClaimDecision {
  if (lead.ownerId === consultant.id) return { ok: true, alreadyYours: true };
  if (consultant.role !== 'consultant') return no('NOT_CONSULTANT');
  if (lead.storeId !== consultant.storeId) return no('OTHER_STORE');
  if (lead.ownerId) return no('ALREADY_OWNED');
  if (!consultant.active) return no('INACTIVE');
  if (lead.recycledFrom?.consultantId === consultant.id && now - lead.recycledFrom.at < policy.reclaimCooldownDays * DAY) return no('COOLDOWN');
  if (consultant.activeLeads >= consultant.capacity) return no('AT_CAPACITY');
  if (consultant.receivedToday >= policy.dailyCap) return no('DAILY_CAP');
  return { ok: true, alreadyYours: false };
}

/**
 * Picking the consultant for a new lead. Eligible: active consultants of the lead's store
 * with room under their capacity and under the daily cap. Among them, those who know the
 * lead's model line come first; within the chosen tier the lead goes round-robin, after the
 * consultant who got the store's previous lead (a persisted cursor, passed in and out). No
 * one eligible: the lead goes to the store's pool (公海).
 *
 * The cursor carries a sequence number: write it back only if the stored one still has the
 * sequence you read (compare-and-set), and retry the allocation otherwise, so two leads
 * allocated at once do not both go to the same consultant by accident.
 */
import type { ModelLine } from '../../../types/model';
import type { AllocationPolicy, ConsultantLoad } from './policy';

export interface RoundRobinCursor {
  storeId: string;
  /** The consultant who received the store's last allocated lead. */
  lastId?: string;
  seq: number;
}

export type PoolReason = 'NO_CONSULTANT' | 'ALL_AT_CAPACITY' | 'ALL_AT_DAILY_CAP';

export type Allocation =
  | { kind: 'assign'; consultantId: string; byExpertise: boolean; cursor: RoundRobinCursor }
  | { kind: 'pool'; reason: PoolReason; message: string; cursor: RoundRobinCursor };

export interface LeadToAllocate {
  storeId: string;
  /** Line of the vehicle of interest, when known. */
  modelLine?: ModelLine;
}

export const POOL_MESSAGES: Readonly<Record<PoolReason, string>> = {
  NO_CONSULTANT: '门店暂无在岗顾问，线索已进入公海',
  ALL_AT_CAPACITY: '顾问的跟进量都已满，线索已进入公海',
  ALL_AT_DAILY_CAP: '顾问今日接收线索已达上限，线索已进入公海',
};

/** Why a consultant cannot take another lead now, or undefined when they can. */
export function ineligibility(c: ConsultantLoad, storeId: string, policy: AllocationPolicy): 'OTHER_STORE' | 'NOT_CONSULTANT' | 'INACTIVE' | 'AT_CAPACITY' | 'DAILY_CAP' | undefined {
  if (c.storeId !== storeId) return 'OTHER_STORE';
  if (c.role !== 'consultant') return 'NOT_CONSULTANT';
  if (!c.active) return 'INACTIVE';
  if (c.activeLeads >= c.capacity) return 'AT_CAPACITY';
  if (c.receivedToday >= policy.dailyCap) return 'DAILY_CAP';
  return undefined;
}

/** The next id after `lastId` in sorted order, wrapping around. */
function nextAfter(ids: readonly string[], lastId: string | undefined): string {
  const sorted = [...ids].sort();
  if (lastId === undefined) return sorted[0];
  return sorted.find((id) => id > lastId) ?? sorted[0];
}

export function allocate(lead: LeadToAllocate, consultants: readonly ConsultantLoad[], cursorIn: RoundRobinCursor | undefined, policy: AllocationPolicy): Allocation {
  const cursor = cursorIn ?? { storeId: lead.storeId, seq: 0 };
  const staff = consultants.filter((c) => c.storeId === lead.storeId && c.role === 'consultant' && c.active);
  const eligible = staff.filter((c) => ineligibility(c, lead.storeId, policy) === undefined);
  if (!eligible.length) {
    const reason: PoolReason = !staff.length ? 'NO_CONSULTANT' : staff.every((c) => c.activeLeads >= c.capacity) ? 'ALL_AT_CAPACITY' : 'ALL_AT_DAILY_CAP';
    return { kind: 'pool', reason, message: POOL_MESSAGES[reason], cursor };
  }
  const experts = lead.modelLine ? eligible.filter((c) => c.modelLines.includes(lead.modelLine!)) : [];
  const tier = experts.length ? experts : eligible;
  const consultantId = nextAfter(
    tier.map((c) => c.id),
    cursor.lastId,
  );
  return { kind: 'assign', consultantId, byExpertise: experts.length > 0, cursor: { storeId: lead.storeId, lastId: consultantId, seq: cursor.seq + 1 } };
}

export interface NewLeadToAllocate extends LeadToAllocate {
  customerId: string;
  /** The consultant who recorded the first touchpoint: they keep the customer they met when they have room. */
  recordedBy?: string;
}

export interface BatchAllocation {
  /** Customer id -> consultant id; customers not in the map go to the pool. */
  owners: Map<string, string>;
  /** Leads per consultant, for one reservation each. */
  byConsultant: Map<string, string[]>;
  cursor: RoundRobinCursor;
}

/**
 * Owners for a batch of new leads of one store, decided together: each decision counts the
 * leads given out before it, so a batch never plans beyond anyone's capacity or daily cap.
 * The caller reserves each consultant's share (one conditional write each) before writing.
 */
export function allocateBatch(leads: readonly NewLeadToAllocate[], consultants: readonly ConsultantLoad[], cursorIn: RoundRobinCursor | undefined, policy: AllocationPolicy): BatchAllocation {
  const loads = consultants.map((c) => ({ ...c }));
  const byId = new Map(loads.map((c) => [c.id, c]));
  let cursor = cursorIn ?? { storeId: leads[0]?.storeId ?? '', seq: 0 };
  const owners = new Map<string, string>();
  const byConsultant = new Map<string, string[]>();
  for (const lead of leads) {
    const recorder = lead.recordedBy === undefined ? undefined : byId.get(lead.recordedBy);
    let chosen: string | undefined;
    if (recorder && ineligibility(recorder, lead.storeId, policy) === undefined) chosen = recorder.id;
    else {
      const decision = allocate(lead, loads, cursor, policy);
      cursor = decision.cursor;
      if (decision.kind === 'assign') chosen = decision.consultantId;
    }
    if (chosen === undefined) continue;
    const c = byId.get(chosen)!;
    c.activeLeads++;
    c.receivedToday++;
    owners.set(lead.customerId, chosen);
    byConsultant.set(chosen, [...(byConsultant.get(chosen) ?? []), lead.customerId]);
  }
  return { owners, byConsultant, cursor };
}

/**
 * A manager moving leads to a consultant, one or many at once. The target must be an active
 * consultant of the manager's store; each lead must belong to that store; leads beyond the
 * target's free capacity are refused one by one (the first ones in the request fit first).
 * Leads the target already owns are reported as unchanged, so a retried request is harmless.
 */
import type { StaffRole } from '../../../types/model';
import type { AllocationPolicy, ConsultantLoad } from './policy';

export type ReassignError = 'NOT_MANAGER' | 'TOO_MANY' | 'TARGET_OTHER_STORE' | 'TARGET_NOT_CONSULTANT' | 'TARGET_INACTIVE';
export type ReassignLeadCode = 'OTHER_STORE' | 'AT_CAPACITY';

export const REASSIGN_MESSAGES: Readonly<Record<ReassignError | ReassignLeadCode, string>> = {
  NOT_MANAGER: '只有店长或销售经理可以分配线索',
  TOO_MANY: '一次最多分配{max}条线索',
  TARGET_OTHER_STORE: '只能分配给本店的顾问',
  TARGET_NOT_CONSULTANT: '只能分配给销售顾问',
  TARGET_INACTIVE: '该顾问已停用，不能接收线索',
  OTHER_STORE: '这条线索不属于本店',
  AT_CAPACITY: '超出该顾问的跟进上限',
};

export interface ReassignLead {
  id: string;
  storeId: string;
  ownerId?: string;
}

export interface ReassignPlan {
  ok: true;
  /** Leads to move, with their previous owner (undefined: from the pool). */
  moves: { leadId: string; from?: string }[];
  unchanged: string[];
  rejected: { leadId: string; code: ReassignLeadCode; message: string }[];
}

export type ReassignResult = ReassignPlan | { ok: false; code: ReassignError; message: string };

export function reassign(
  manager: { role: StaffRole; storeId: string },
  leads: readonly ReassignLead[],
  target: ConsultantLoad,
  policy: AllocationPolicy,
): ReassignResult {
  const fail = (code: ReassignError): ReassignResult => ({ ok: false, code, message: REASSIGN_MESSAGES[code].replace('{max}', String(policy.maxBulk)) });
  if (manager.role !== 'manager') return fail('NOT_MANAGER');
  if (leads.length > policy.maxBulk) return fail('TOO_MANY');
  if (target.storeId !== manager.storeId) return fail('TARGET_OTHER_STORE');
  if (target.role !== 'consultant') return fail('TARGET_NOT_CONSULTANT');
  if (!target.active) return fail('TARGET_INACTIVE');

  const plan: ReassignPlan = { ok: true, moves: [], unchanged: [], rejected: [] };
  let room = target.capacity - target.activeLeads;
  const seen = new Set<string>();
  for (const lead of leads) {
    if (seen.has(lead.id)) continue;
    seen.add(lead.id);
    if (lead.storeId !== manager.storeId) plan.rejected.push({ leadId: lead.id, code: 'OTHER_STORE', message: REASSIGN_MESSAGES.OTHER_STORE });
    else if (lead.ownerId === target.id) plan.unchanged.push(lead.id);
    else if (room <= 0) plan.rejected.push({ leadId: lead.id, code: 'AT_CAPACITY', message: REASSIGN_MESSAGES.AT_CAPACITY });
    else {
      room--;
      plan.moves.push(lead.ownerId ? { leadId: lead.id, from: lead.ownerId } : { leadId: lead.id });
    }
  }
  return plan;
}

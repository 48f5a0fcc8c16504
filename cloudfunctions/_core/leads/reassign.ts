/**
 * Manager reassignment beyond what `allocation/reassign` plans: sending leads back to the pool
 * (公海), the refusal a lead gets when it changed hands while the manager was deciding, and the
 * toast that sums it up, e.g. 已分配 12 条给 张伟，2 条未分配.
 */
import type { StaffRole } from '../../../types/model';
import type { AllocationPolicy } from '../allocation/policy';
import { REASSIGN_MESSAGES, type ReassignLead, type ReassignResult } from '../allocation/reassign';

/**
 * Plans returning leads to the pool: owned leads of the manager's store move, leads already
 * in the pool are unchanged (a retry is harmless), other stores' leads are refused.
 */
export function releaseToPool(manager: { role: StaffRole; storeId: string }, leads: readonly ReassignLead[], policy: AllocationPolicy): ReassignResult {
  if (manager.role !== 'manager') return { ok: false, code: 'NOT_MANAGER', message: REASSIGN_MESSAGES.NOT_MANAGER };
  if (leads.length > policy.maxBulk) return { ok: false, code: 'TOO_MANY', message: REASSIGN_MESSAGES.TOO_MANY.replace('{max}', String(policy.maxBulk)) };
  const plan: Extract<ReassignResult, { ok: true }> = { ok: true, moves: [], unchanged: [], rejected: [] };
  const seen = new Set<string>();
  for (const lead of leads) {
    if (seen.has(lead.id)) continue;
    seen.add(lead.id);
    if (lead.storeId !== manager.storeId) plan.rejected.push({ leadId: lead.id, code: 'OTHER_STORE', message: REASSIGN_MESSAGES.OTHER_STORE });
    else if (!lead.ownerId) plan.unchanged.push(lead.id);
    else plan.moves.push({ leadId: lead.id, from: lead.ownerId });
  }
  return plan;
}

/**
 * Why a planned move did not happen: the lead's owner changed between reading and writing
 * (a consultant claimed it, or another manager moved it). `current` is the lead as it is now.
 */
export function raceMessage(current: { ownerId?: string } | undefined, ownerName: (id: string) => string | undefined): string {
  if (!current) return '线索已不存在（可能已被合并），未分配';
  if (!current.ownerId) return '线索刚被退回公海，未分配，请刷新后重试';
  const name = ownerName(current.ownerId);
  return name ? `线索刚被 ${name} 接手，未分配，请刷新后重试` : '线索归属刚刚变化，未分配，请刷新后重试';
}

export type ReassignTarget = { kind: 'consultant'; name: string } | { kind: 'pool' };

/** 已分配 12 条给 张伟，2 条未分配 / 已退回公海 3 条; a single shared refusal reason is named. */
export function reassignSummary(target: ReassignTarget, moved: number, refused: readonly { message: string }[]): string {
  const head = target.kind === 'pool' ? `已退回公海 ${moved} 条` : `已分配 ${moved} 条给 ${target.name}`;
  if (!refused.length) return head;
  const reasons = new Set(refused.map((r) => r.message));
  const tail = `${refused.length} 条未${target.kind === 'pool' ? '退回' : '分配'}`;
  return reasons.size === 1 ? `${head}，${tail}（${refused[0].message}）` : `${head}，${tail}`;
}

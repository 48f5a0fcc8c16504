/**
 * Gives new leads an owner the moment they appear, a batch at a time. The consultant who
 * recorded the first touchpoint keeps the customer they met (when they have room); otherwise
 * the store's allocation rule picks one (model-line expertise first, then round-robin within
 * capacity and the daily cap); nobody eligible leaves the lead in the pool (公海).
 *
 * Limits hold by construction: each consultant's share of the batch is reserved on their
 * counters with one conditional write (`loadRepo.reserve`) before any customer carries the
 * owner, so concurrent batches, claims and reassignments cannot exceed them. The round-robin
 * cursor is written compare-and-set; losing that race only costs fairness, never a limit.
 */
import type { StaffDoc } from '../../types/model';
import { allocateBatch, consultantLoad, DEFAULT_POLICY, type NewLeadToAllocate, type RoundRobinCursor } from '../_core/allocation';
import { allocationCursorRepo } from './repo/allocation-cursors';
import { loadRepo } from './repo/loads';
import { staffRepo } from './repo/staff';

export const loadsAsDecided = (consultants: readonly StaffDoc[], loads: Awaited<ReturnType<typeof loadRepo.of>>) =>
  consultants.map((s) => consultantLoad(s, loads.get(s._id)?.active ?? 0, loads.get(s._id)?.today ?? 0));

/**
 * Owners for new leads of one store (customer id -> consultant id; absent: the pool), with
 * each owner's counters already reserved. The customers are then written with their owner.
 */
export async function allocateNewLeads(storeId: string, leads: readonly NewLeadToAllocate[], now: number): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  if (!leads.length) return owners;
  const [consultants, stored] = await Promise.all([staffRepo.consultantsOf(storeId), allocationCursorRepo.get(storeId)]);
  const staffById = new Map(consultants.map((s) => [s._id, s]));
  const readSeq = stored?.seq ?? 0;
  let cursor: RoundRobinCursor = stored ?? { storeId, seq: 0 };
  let pending = [...leads];
  // A reservation fails only when someone else took the room meanwhile: plan again with fresh counters.
  for (let round = 0; round < 3 && pending.length; round++) {
    const loads = await loadRepo.of(consultants, now);
    const plan = allocateBatch(pending, loadsAsDecided(consultants, loads), cursor, DEFAULT_POLICY);
    cursor = plan.cursor;
    const refused = new Set<string>();
    await Promise.all(
      [...plan.byConsultant].map(async ([consultantId, ids]) => {
        const s = staffById.get(consultantId)!;
        if (await loadRepo.reserve(s, { n: ids.length, capacity: s.capacity, dailyCap: DEFAULT_POLICY.dailyCap }, now)) {
          for (const id of ids) owners.set(id, consultantId);
        } else for (const id of ids) refused.add(id);
      }),
    );
    pending = pending.filter((l) => refused.has(l.customerId));
  }
  await allocationCursorRepo.advance(storeId, readSeq, cursor);
  return owners;
}

/**
 * Returning neglected leads to their store's pool, one page at a time (a step of the recycling
 * job). Each lead moves with one write conditional on what was read (owner, assignment, last
 * follow-up), so a lead reassigned or followed up meanwhile stays; the previous owners' lead
 * counters are released through `loadRepo` for the leads that actually moved. A page redone
 * after a crash finds its moved leads no longer owned and releases nothing twice.
 */
import { dueForRecycle, gradeKey, DEFAULT_POLICY } from '../_core/allocation';
import { recycleCutoffs } from '../_core/leads';
import { inParallel } from '../_core/parallel';
import { customerRepo } from './repo/customers';
import { loadRepo } from './repo/loads';

/** Conditional writes in flight at once. */
const WRITE_CONCURRENCY = 10;

/** Leads due for recycling as of `asOf` (a job's total). */
export const countDueForRecycling = (asOf: number) => customerRepo.countRecycleCandidates(recycleCutoffs(asOf, DEFAULT_POLICY));

export interface RecyclePage {
  /** `_id` of the last candidate read; undefined when none was left. */
  lastId?: string;
  candidates: number;
  recycled: number;
}

/**
 * Recycles up to `limit` candidates after `afterId`: leads due as of `asOf` (the job's start, so
 * every slice judges by the same instant), written at `now`.
 */
export async function recyclePage(afterId: string | undefined, limit: number, asOf: number, now: number): Promise<RecyclePage> {
  const batch = await customerRepo.recycleCandidates(recycleCutoffs(asOf, DEFAULT_POLICY), afterId, limit);
  const releasedBy = new Map<string, number>();
  let recycled = 0;
  await loadRepo.touch(batch.filter((lead) => dueForRecycle(lead, lead.lastFollowUpAt, asOf, DEFAULT_POLICY).due).map((lead) => lead.ownerId), now);
  await inParallel(batch, WRITE_CONCURRENCY, async (lead) => {
    if (!dueForRecycle(lead, lead.lastFollowUpAt, asOf, DEFAULT_POLICY).due) return;
    if (!(await customerRepo.recycle(lead, now, DEFAULT_POLICY.recycleAfterDays[gradeKey(lead.grade)]))) return;
    recycled++;
    releasedBy.set(lead.ownerId, (releasedBy.get(lead.ownerId) ?? 0) + 1);
  });
  await Promise.all([...releasedBy].map(([staffId, n]) => loadRepo.release(staffId, n, now)));
  return { ...(batch.length ? { lastId: batch[batch.length - 1]._id } : {}), candidates: batch.length, recycled };
}

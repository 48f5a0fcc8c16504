/**
 * Consultant lead counters (`consultantLoads`, one document per consultant). A lead changes
 * hands only after its new owner's counters were reserved with one conditional update
 * ("add n where active <= capacity - n"), which the database applies atomically per
 * document: of any number of concurrent claims, allocations and reassignments, only those
 * that fit succeed. A reservation that is not used is released. A crash between a
 * reservation and its ownership change leaves the counter high, never low, so limits still
 * hold; the hourly recount brings it back to the truth.
 *
 * A missing document is created from counts of the customers; `today` rolls over to 0 on
 * the first reservation of a new China day.
 */
import { Collections, type ConsultantLoadDoc, type StaffDoc } from '../../../types/model';
import { chinaDayStart } from '../../_core/events/day-buckets';
import { inParallel } from '../../_core/parallel';
import { addOnce, byIds, db, _ } from '../cloud';
import { customerRepo } from './customers';

const loads = () => db.collection(Collections.consultantLoads);

type Consultant = Pick<StaffDoc, '_id' | 'storeId'>;

async function fromCounts(s: Consultant, now: number): Promise<ConsultantLoadDoc> {
  const day = chinaDayStart(now);
  const [active, today] = await Promise.all([customerRepo.countOwned(s._id), customerRepo.countOwned(s._id, day)]);
  return { _id: s._id, storeId: s.storeId, active, day, today, updatedAt: now };
}

/** The counters as of `now` (a stale day reads as 0 received today). */
function current(doc: ConsultantLoadDoc, now: number): ConsultantLoadDoc {
  const day = chinaDayStart(now);
  return doc.day === day ? doc : { ...doc, day, today: 0 };
}

export interface Reservation {
  /** How many leads to add. */
  n: number;
  /** The consultant's capacity (most live customers). */
  capacity: number;
  /** Most leads received per day; omitted: not capped (a manager's reassignment still counts). */
  dailyCap?: number;
}

async function updated(res: unknown): Promise<boolean> {
  return ((await res) as { stats: { updated: number } }).stats.updated > 0;
}

export const loadRepo = {
  /** Counters of these consultants, created from counts where missing. */
  async of(consultants: readonly Consultant[], now: number): Promise<Map<string, ConsultantLoadDoc>> {
    const found = new Map((await byIds<ConsultantLoadDoc>(Collections.consultantLoads, consultants.map((s) => s._id))).map((d) => [d._id, d]));
    await Promise.all(
      consultants
        .filter((s) => !found.has(s._id))
        .map(async (s) => {
          const doc = await fromCounts(s, now);
          // Another call may have created it a moment ago; either is a true count.
          await addOnce(Collections.consultantLoads, doc);
          found.set(s._id, doc);
        }),
    );
    return new Map([...found].map(([id, d]) => [id, current(d, now)]));
  },

  /**
   * Adds `n` leads to the consultant's counters if they stay within capacity (and the daily
   * cap, when given). False when they would not: nothing changes then.
   */
  async reserve(s: Consultant, r: Reservation, now: number): Promise<boolean> {
    if (r.n <= 0) return true;
    const day = chinaDayStart(now);
    const where: Record<string, unknown> = { _id: s._id, day, active: _.lte(r.capacity - r.n) };
    if (r.dailyCap !== undefined) where.today = _.lte(r.dailyCap - r.n);
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await updated(loads().where(where).update({ data: { active: _.inc(r.n), today: _.inc(r.n), updatedAt: now } }))) return true;
      // Not applied: the counters are full, on another day, or missing.
      const [doc] = await byIds<ConsultantLoadDoc>(Collections.consultantLoads, [s._id]);
      if (!doc) {
        await addOnce(Collections.consultantLoads, await fromCounts(s, now));
        continue;
      }
      if (doc.day !== day) {
        // A new day: whoever rolls it first sets today to 0; the others see the new day.
        await loads().where({ _id: s._id, day: doc.day }).update({ data: { day, today: 0, updatedAt: now } });
        continue;
      }
      return false;
    }
    return false;
  },

  /**
   * Marks these consultants' counters as changing, before leads move away from them (a move
   * changes the owner first and releases the counter after): the recount, which counts only
   * counters left alone for a while, then waits for the release instead of counting the moved
   * leads as gone and seeing the release take them off again.
   */
  async touch(staffIds: readonly string[], now: number): Promise<void> {
    const ids = [...new Set(staffIds)];
    if (ids.length) await loads().where({ _id: _.in(ids) }).update({ data: { updatedAt: now } });
  },

  /**
   * Gives back `n` leads: the consultant no longer owns them (moved, recycled, merged away),
   * or a reservation went unused (`today`: it had counted toward today's received leads).
   */
  async release(staffId: string, n: number, now: number, opts: { today?: boolean } = {}): Promise<void> {
    if (n <= 0) return;
    const data: Record<string, unknown> = { active: _.inc(-n), updatedAt: now };
    await loads().where({ _id: staffId }).update({ data });
    if (opts.today) await loads().where({ _id: staffId, day: chinaDayStart(now), today: _.gte(n) }).update({ data: { today: _.inc(-n) } });
  },

  /**
   * The recount (hourly, with recycling): sets each consultant's `active` to the true count of their live
   * customers. Drift comes only from a crash between a reservation and its ownership change,
   * or between a move and its release, which leaves a counter high. A counter written within
   * `quietMs` may carry a reservation or a move still on its way (moves `touch` it first), so it
   * is left for a later run; and the write applies only if the counter is still as read, so a
   * claim after the read always wins.
   */
  async recountAll(consultants: readonly Consultant[], now: number, quietMs: number): Promise<RecountResult> {
    const docs = new Map((await byIds<ConsultantLoadDoc>(Collections.consultantLoads, consultants.map((s) => s._id))).map((d) => [d._id, d]));
    const result: RecountResult = { checked: 0, corrected: 0, busy: 0 };
    await inParallel(consultants, 4, async (s) => {
      const doc = docs.get(s._id);
      // No counter yet: the first reservation creates it from counts.
      if (!doc) return;
      if (now - doc.updatedAt < quietMs) {
        result.busy++;
        return;
      }
      result.checked++;
      const active = await customerRepo.countOwned(s._id);
      if (active === doc.active) return;
      const applied = await updated(loads().where({ _id: s._id, active: doc.active, updatedAt: doc.updatedAt }).update({ data: { active, updatedAt: now } }));
      if (applied) result.corrected++;
    });
    return result;
  },
};

export interface RecountResult {
  /** Counters compared with a count of their consultant's customers. */
  checked: number;
  /** Of those, counters that had drifted and were set to the count. */
  corrected: number;
  /** Counters written too recently to recount safely (left for the next run). */
  busy: number;
}

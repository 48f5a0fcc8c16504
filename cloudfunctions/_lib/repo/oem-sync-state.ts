/**
 * The sync's two single documents (`oemSyncState`): `ingest` (the pull cursor; whoever holds
 * its lease is the one writer of OEM changes) and `upload` (whoever holds its lease drains the
 * outbox). A lease is taken with one conditional update, so of two runs exactly one wins; it
 * outlives the function's timeout, so a holder that crashed is replaced only once it is surely
 * dead. Cursor moves are fenced by the holder and the cursor they read.
 */
import { Collections, type OemSyncStateDoc, type SyncError } from '../../../types/model';
import { addOnce, byIds, db, _ } from '../cloud';

export type SyncJob = OemSyncStateDoc['_id'];

const state = () => db.collection(Collections.oemSyncState);
const updated = (res: unknown) => (res as { stats: { updated: number } }).stats.updated === 1;

export const syncStateRepo = {
  getMany: (ids: readonly SyncJob[]) => byIds<OemSyncStateDoc>(Collections.oemSyncState, ids),

  /** Takes the job's lease for `ttlMs`; the document as it now stands, or undefined when another run holds it. */
  async acquire(job: SyncJob, holder: string, now: number, ttlMs: number): Promise<OemSyncStateDoc | undefined> {
    const took = updated(await state().where({ _id: job, leaseUntil: _.lte(now) }).update({ data: { holder, leaseUntil: now + ttlMs, lastRunAt: now } }));
    if (!took) {
      const fresh: OemSyncStateDoc = { _id: job, holder, leaseUntil: now + ttlMs, lastRunAt: now, ...(job === 'ingest' ? { cursor: '' } : {}), total: 0 };
      if (!(await addOnce(Collections.oemSyncState, fresh))) return undefined;
      return fresh;
    }
    const [doc] = await byIds<OemSyncStateDoc>(Collections.oemSyncState, [job]);
    return doc?.holder === holder ? doc : undefined;
  },

  /** Moves the cursor past a page fully written, and extends the lease; false when the lease was lost. */
  async advance(holder: string, from: string, to: string, applied: number, now: number, ttlMs: number): Promise<boolean> {
    return updated(
      await state()
        .where({ _id: 'ingest', holder, cursor: from })
        .update({ data: { cursor: to, total: _.inc(applied), lastSuccessAt: now, lastError: _.remove(), leaseUntil: now + ttlMs } }),
    );
  },

  /** A successful step of a job that has no cursor (upload, the inbox). */
  async succeeded(job: SyncJob, holder: string, count: number, now: number): Promise<void> {
    await state().where({ _id: job, holder }).update({ data: { total: _.inc(count), lastSuccessAt: now, lastError: _.remove() } });
  },

  async failed(job: SyncJob, holder: string, error: SyncError): Promise<void> {
    await state().where({ _id: job, holder }).update({ data: { lastError: _.set(error) } });
  },

  /** Gives the lease back so the next run need not wait for it to expire. */
  async release(job: SyncJob, holder: string): Promise<void> {
    await state().where({ _id: job, holder }).update({ data: { leaseUntil: 0 } });
  },
};

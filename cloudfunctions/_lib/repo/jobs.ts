/**
 * Job documents (`jobs`, `_id` from `jobIds`). A run starts in a one-document transaction; a
 * slice takes the job's lease with one conditional update, and every later write of the slice
 * (progress, finish, failure, release) is conditional on still holding it in the same run, so
 * a runner that lost the lease, or whose run was superseded, changes nothing.
 */
import { Collections, type IssueTally, type JobDoc } from '../../../types/model';
import { afterFailure, LEASE_MS, startRun, isUnfinished, type JobSpec } from '../../_core/jobs';
import { addOnce, db, _, firstRow, rows } from '../cloud';
import { inTransaction, txGet, txPut } from '../tx';

const jobs = () => db.collection(Collections.jobs);

const UNFINISHED = ['queued', 'running'];

async function updated(res: unknown): Promise<boolean> {
  return ((await res) as { stats: { updated: number } }).stats.updated === 1;
}

/** Only the holder of the lease, in the run it took it for. */
const held = (job: Pick<JobDoc, '_id' | 'run'>, owner: string) => ({ _id: job._id, run: job.run, leaseOwner: owner });

export type StartMode =
  /** Start over whatever is running (a newer model supersedes the run applying an older one). */
  | 'supersede'
  /** Start only when no run is unfinished (a timer's periodic run; an unfinished one carries on). */
  | 'when-idle';

export interface PageDone {
  cursor: string;
  processed: number;
  changed: number;
  /** A strategy issue's page: what it added to the run's tally. */
  issue?: Partial<IssueTally>;
}

export const jobRepo = {
  get: (id: string) => firstRow<JobDoc>(jobs().where({ _id: id })),

  /** Unfinished jobs nobody is running (a lost continuation, a crash, a failed slice to retry). */
  idle: (now: number, limit: number) => rows<JobDoc>(jobs().where({ status: _.in(UNFINISHED), leaseUntil: _.lte(now) }).limit(limit)),

  /**
   * Starts a run of the job, or returns the one that stands: with `when-idle` an unfinished run;
   * with `supersede` a run applying the same or a newer model version (saves can land out of order).
   */
  async start(spec: JobSpec, mode: StartMode, now: number): Promise<JobDoc> {
    return inTransaction(async (t) => {
      const prev = await txGet<JobDoc>(t, Collections.jobs, spec._id);
      if (prev && mode === 'when-idle' && isUnfinished(prev)) return prev;
      if (prev && mode === 'supersede' && spec.modelVersion !== undefined && (prev.modelVersion ?? 0) >= spec.modelVersion) return prev;
      const job = startRun(prev, spec, now);
      await txPut(t, Collections.jobs, job);
      return job;
    }, 5);
  },

  /** Records a job that is done as it starts (a once-a-day marker); false when it exists already. */
  claimOnce: (spec: JobSpec, now: number) => addOnce<JobDoc>(Collections.jobs, { ...startRun(undefined, spec, now), status: 'done', finishedAt: now, leaseUntil: 0 }),

  /** Takes the job for one slice; false when someone holds it, or the run is over or was replaced. */
  async takeLease(job: Pick<JobDoc, '_id' | 'run'>, owner: string, now: number): Promise<boolean> {
    return updated(
      jobs()
        .where({ _id: job._id, run: job.run, status: _.in(UNFINISHED), leaseUntil: _.lte(now) })
        .update({ data: { leaseOwner: owner, leaseUntil: now + LEASE_MS, status: 'running', updatedAt: now } }),
    );
  },

  /** Records a page done; false when the lease or the run was lost (stop without doing more). */
  async savePage(job: Pick<JobDoc, '_id' | 'run'>, owner: string, page: PageDone, now: number): Promise<boolean> {
    return updated(
      jobs()
        .where(held(job, owner))
        .update({
          data: {
            cursor: page.cursor,
            processed: _.inc(page.processed),
            changed: _.inc(page.changed),
            failures: 0,
            lastError: _.remove(),
            updatedAt: now,
            ...(page.issue ? { issue: Object.fromEntries(Object.entries(page.issue).map(([k, n]) => [k, _.inc(n)])) } : {}),
          },
        }),
    );
  },

  async finish(job: Pick<JobDoc, '_id' | 'run'>, owner: string, now: number): Promise<boolean> {
    return updated(jobs().where(held(job, owner)).update({ data: { status: 'done', finishedAt: now, leaseUntil: 0, failures: 0, lastError: _.remove(), updatedAt: now } }));
  },

  /** Frees the job for its next slice. */
  async release(job: Pick<JobDoc, '_id' | 'run'>, owner: string, now: number): Promise<void> {
    await jobs().where(held(job, owner)).update({ data: { leaseUntil: 0, updatedAt: now } });
  },

  /** Counts a failed slice and frees the job (failed for good at the limit). */
  async fail(job: Pick<JobDoc, '_id' | 'run' | 'failures'>, owner: string, message: string, now: number): Promise<JobDoc['status']> {
    const patch = afterFailure(job, message, now);
    await jobs().where(held(job, owner)).update({ data: { ...patch, lastError: _.set(patch.lastError) } });
    return patch.status;
  },
};

/**
 * Long jobs in resumable slices (docs/decisions/0010-resumable-jobs.md). A slice takes the
 * job's lease, works page by page from the cursor (each page saved with its cursor and counts
 * before the next starts), stops well within the function's timeout, frees the lease and asks
 * the `jobs` function to continue. A continuation that never arrives is picked up by the `jobs`
 * function's timer within a minute. Everything a page writes is conditional or idempotent, so a
 * page redone after a crash changes nothing twice.
 */
import { randomUUID } from 'node:crypto';
import type { IssueTally, JobDoc } from '../../types/model';
import type { JobProgress } from '../../types/api';
import { canRun, isUnfinished, jobIds, nextPageSize, progressOf, type JobSpec, type SliceBudget } from '../_core/jobs';
import { callFunction } from './cloud';
import { stopwatch } from './clock';
import { backfillPage } from './audiences';
import { finishIssue, issueStep } from './strategies';
import { careStep } from './care';
import { rescorePage } from './pipeline';
import { countDueForRecycling, recyclePage } from './recycle';
import { customerRepo } from './repo/customers';
import { jobRepo, type PageDone, type StartMode } from './repo/jobs';
import { scoringModelRepo } from './repo/scoring-models';

/** Customers read per page: the cloud answers up to 1000 rows, and each page is saved on its own. */
const RESCORE_PAGE = 250;
const RECYCLE_PAGE = 500;
const CARE_PAGE = 200;
/** Customers a strategy issue enrols per page (its reads go by `in` in 500s). */
const ISSUE_PAGE = 500;
/**
 * How long a caller waits on the continuation it asked for: ample for the request to reach the
 * platform (a round trip is ~10 ms), short enough not to hold the caller (a manager's save).
 */
export const CONTINUE_WAIT_MS = 1000;
/** Idle jobs the timer picks up per run. */
const IDLE_PER_RUN = 10;

/**
 * A save restarts its store's rescore a moment after saving the model; a run that still finds
 * an older version this long after the save restarts itself (the save died in between).
 */
const LOST_RESTART_MS = 60_000;

/** A store's model moved on while its rescore ran (a save whose own restart is coming, or was lost). */
class Superseded extends Error {
  constructor(
    readonly modelVersion: number,
    readonly savedAt: number,
  ) {
    super(`the model is at version ${modelVersion}`);
  }
}

const addTally = (a: IssueTally | undefined, b: Partial<IssueTally>): IssueTally => {
  const out: IssueTally = { members: 0, holdout: 0, tasks: 0, allocated: 0, unallocated: 0, ...a };
  for (const k of Object.keys(out) as (keyof IssueTally)[]) out[k] += b[k] ?? 0;
  return out;
};

/** A page of a job: done when nothing was left after the cursor; `read` counts toward the slice. */
type Step = { done: true } | ({ done: false; read: number } & PageDone);

async function rescoreStep(job: JobDoc, limit: number, now: number): Promise<Step> {
  let model;
  if (job.storeId !== undefined && job.modelVersion !== undefined) {
    const saved = await scoringModelRepo.saved(job.storeId);
    model = saved.model;
    if (model.version > job.modelVersion) throw new Superseded(model.version, saved.savedAt ?? 0);
    if (model.version < job.modelVersion) throw new Error(`rescore of ${job.storeId}: the saved model is version ${model.version}, the job applies ${job.modelVersion}`);
  }
  const page = await customerRepo.pageInIdOrder(job.storeId !== undefined ? { storeId: job.storeId } : {}, job.cursor, limit);
  if (!page.length) return { done: true };
  const r = await rescorePage(page, { model, replay: job.replay, retagStale: job.retagStale }, now);
  return { done: false, read: page.length, cursor: page[page.length - 1]._id, processed: r.customers, changed: r.written };
}

async function recycleStep(job: JobDoc, limit: number, now: number): Promise<Step> {
  const r = await recyclePage(job.cursor, limit, job.startedAt, now);
  if (r.lastId === undefined) return { done: true };
  return { done: false, read: r.candidates, cursor: r.lastId, processed: r.candidates, changed: r.recycled };
}

/** Fits a page of the store's customers to the counter set the job was started for; marks it ready at the end. */
async function backfillStep(job: JobDoc, limit: number, now: number): Promise<Step> {
  const r = await backfillPage(job.storeId!, job.specSig!, job.cursor, limit, now);
  if (r.lastId === undefined) return { done: true };
  return { done: false, read: r.read, cursor: r.lastId, processed: r.read, changed: r.written };
}

interface Kind {
  step: (job: JobDoc, limit: number, now: number) => Promise<Step>;
  page: number;
  /**
   * Items of this kind a slice takes on per item of its budget: issuing a customer costs a
   * fraction of a rescore's (reads and writes in bulk, no transaction), so a slice takes more.
   */
  scale?: number;
  /** Runs once the walk is done, before the job is marked done (a failure retries it). */
  finish?: (job: JobDoc, now: number) => Promise<void>;
}

const steps: Record<JobDoc['kind'], Kind> = {
  rescore: { step: rescoreStep, page: RESCORE_PAGE },
  recycle: { step: recycleStep, page: RECYCLE_PAGE },
  audienceBackfill: { step: backfillStep, page: RESCORE_PAGE },
  care: { step: careStep, page: CARE_PAGE },
  strategyIssue: { step: issueStep, page: ISSUE_PAGE, scale: 4, finish: finishIssue },
};

export type SliceOutcome =
  | { ran: false; why: 'missing' | 'finished' | 'busy'; job?: JobProgress }
  | { ran: true; status: JobDoc['status'] | 'lost'; job: JobProgress; more: boolean };

export interface SliceOptions {
  budget: SliceBudget;
  now: number;
}

/**
 * Runs one slice of the job if nobody else is. `more` says the job has work left and is free
 * for the next slice (the caller continues it).
 */
export async function runSlice(jobId: string, { budget, now }: SliceOptions): Promise<SliceOutcome> {
  const stored = await jobRepo.get(jobId);
  if (!stored) return { ran: false, why: 'missing' };
  if (!canRun(stored, now)) return { ran: false, why: isUnfinished(stored) ? 'busy' : 'finished', job: progressOf(stored) };
  const owner = randomUUID();
  if (!(await jobRepo.takeLease(stored, owner, now))) return { ran: false, why: 'busy', job: progressOf(stored) };
  let job: JobDoc = { ...stored, status: 'running', leaseOwner: owner };
  const { step, page, scale = 1, finish } = steps[job.kind];
  const sliceBudget = { ...budget, maxItems: budget.maxItems * scale };
  const elapsed = stopwatch();
  let items = 0;
  let slowestPageMs = 0;
  try {
    for (;;) {
      const limit = nextPageSize(sliceBudget, { items, elapsedMs: elapsed(), slowestPageMs }, page);
      if (limit === 0) break;
      const started = elapsed();
      const done = await step(job, limit, now);
      if (done.done) {
        await finish?.(job, now);
        const finished = await jobRepo.finish(job, owner, now);
        job = { ...job, status: 'done', finishedAt: now, leaseUntil: 0, failures: 0 };
        return { ran: true, status: finished ? 'done' : 'lost', job: progressOf(job), more: false };
      }
      // Lost the lease, or the run was started over: whoever holds it now carries on.
      const saved: PageDone = { cursor: done.cursor, processed: done.processed, changed: done.changed, ...(done.issue ? { issue: done.issue } : {}) };
      if (!(await jobRepo.savePage(job, owner, saved, now))) return { ran: true, status: 'lost', job: progressOf(job), more: false };
      job = { ...job, cursor: done.cursor, processed: job.processed + done.processed, changed: job.changed + done.changed, failures: 0, ...(done.issue ? { issue: addTally(job.issue, done.issue) } : {}) };
      items += done.read;
      slowestPageMs = Math.max(slowestPageMs, elapsed() - started);
    }
    await jobRepo.release(job, owner, now);
    return { ran: true, status: 'running', job: progressOf(job), more: true };
  } catch (err) {
    if (err instanceof Superseded) {
      await jobRepo.release(job, owner, now);
      // The save restarts the job itself; only when it plainly did not (it died) is it done here,
      // replaying to be safe: what the save found about the counting rules is gone with it.
      if (now - err.savedAt < LOST_RESTART_MS) return { ran: true, status: 'lost', job: progressOf(job), more: false };
      await startStoreRescore(job.storeId!, err.modelVersion, { replay: true }, now);
      return { ran: true, status: 'lost', job: progressOf(job), more: true };
    }
    const message = err instanceof Error ? err.message : String(err);
    console.error(`[jobs] ${job._id} run ${job.run}: slice failed:`, err);
    const status = await jobRepo.fail(job, owner, message, now);
    job = { ...job, status, failures: job.failures + 1 };
    // No immediate retry: the continue-jobs timer takes it up again within a minute.
    return { ran: true, status, job: progressOf(job), more: false };
  }
}

/**
 * Asks the `jobs` function to run the job's next slice, waiting briefly: the continuation runs
 * on whether or not the wait saw it finish, and if it never started, the timer takes the job.
 */
export async function continueLater(jobId: string): Promise<void> {
  try {
    await callFunction('jobs', { action: 'continue', params: { jobId } }, CONTINUE_WAIT_MS);
  } catch {
    // The wait ended (the usual case for a long slice) or the call failed: the timer is the safety net.
  }
}

/** Runs a slice and, when work is left, hands the job on. */
export async function runAndContinue(jobId: string, opts: SliceOptions): Promise<SliceOutcome> {
  const outcome = await runSlice(jobId, opts);
  if (outcome.ran && outcome.more) await continueLater(jobId);
  return outcome;
}

/** The timer's sweep: slices of unfinished jobs nobody is running, each handed on if work is left. */
export async function continueIdleJobs(opts: SliceOptions): Promise<{ jobs: number }> {
  const idle = await jobRepo.idle(opts.now, IDLE_PER_RUN);
  const elapsed = stopwatch();
  let ran = 0;
  for (const job of idle) {
    const left = opts.budget.softMs - elapsed();
    if (left <= 0) break;
    const outcome = await runAndContinue(job._id, { ...opts, budget: { ...opts.budget, softMs: left } });
    if (outcome.ran) ran++;
  }
  return { jobs: ran };
}

// ---------- starting jobs ----------

const start = (spec: JobSpec, mode: StartMode, now: number): Promise<JobDoc> => jobRepo.start(spec, mode, now);

/**
 * (Re)starts a store's rescore for its model `modelVersion`, superseding a run for an older
 * version. `replay` when the counting rules changed, `retagStale` when rules were only removed.
 */
export async function startStoreRescore(storeId: string, modelVersion: number, flags: { replay?: boolean; retagStale?: boolean; requestedBy?: string }, now: number): Promise<JobDoc> {
  const total = await customerRepo.countLive({ storeId });
  return start({ _id: jobIds.storeRescore(storeId), kind: 'rescore', storeId, total, modelVersion, ...flags }, 'supersede', now);
}

/** The nightly rescore of every store with its own saved model; an unfinished run carries on. */
export async function startNightlyRescore(now: number): Promise<JobDoc> {
  const total = await customerRepo.countLive({});
  return start({ _id: jobIds.nightlyRescore, kind: 'rescore', total }, 'when-idle', now);
}

/** The hourly recycling run; an unfinished run carries on. */
export async function startRecycling(now: number): Promise<JobDoc> {
  return start({ _id: jobIds.recycle, kind: 'recycle', total: await countDueForRecycling(now) }, 'when-idle', now);
}

/** (Re)starts the backfill of a store's audience counters for the set `specSig`, superseding a run for an older set. */
export async function startAudienceBackfill(storeId: string, specSig: string, requestedBy: string, now: number): Promise<JobDoc> {
  const total = await customerRepo.countLive({ storeId });
  return start({ _id: jobIds.audienceBackfill(storeId), kind: 'audienceBackfill', storeId, total, specSig, requestedBy }, 'supersede', now);
}

/** A store's latest rescore for its manager, or null before the first model change. */
export async function storeRescoreProgress(storeId: string): Promise<JobProgress | null> {
  const job = await jobRepo.get(jobIds.storeRescore(storeId));
  return job ? progressOf(job) : null;
}

/**
 * Long jobs in slices: what a run looks like when it starts or starts over, who may run its
 * next slice (the lease), how much one slice takes on, what a failure does, and the progress a
 * manager reads. Pure: the clock and the elapsed time are passed in; `_lib/jobs.ts` does the I/O.
 */
import type { JobDoc, JobKind } from '../../../types/model';
import type { JobProgress } from '../../../types/api';

/** CloudBase stops any function by 60 s, so a lease this long outlives whoever took it. */
export const MAX_FUNCTION_TIMEOUT_MS = 60_000;
export const LEASE_MS = MAX_FUNCTION_TIMEOUT_MS + 10_000;
/** Slices that fail in a row before the job stops for good (the timer retries once a minute). */
export const MAX_FAILURES = 3;
/** Customers or leads one slice takes on: a crash redoes at most this many. */
export const SLICE_ITEMS = 500;
/** Share of the function's timeout a slice may spend; the rest covers its last page and saving. */
export const SLICE_SHARE = 0.6;

export interface SliceBudget {
  maxItems: number;
  /** No new page starts once this much real time has gone by. */
  softMs: number;
}

/** The slice a function with this timeout (seconds, its config.json) may run. */
export function sliceBudget(timeoutSeconds: number, maxItems = SLICE_ITEMS): SliceBudget {
  return { maxItems, softMs: Math.min(timeoutSeconds * 1000, MAX_FUNCTION_TIMEOUT_MS) * SLICE_SHARE };
}

export interface SliceSoFar {
  items: number;
  elapsedMs: number;
  /** The slowest page so far: the next one is assumed to take as long. */
  slowestPageMs: number;
}

/** How many items the next page may take; 0 ends the slice. */
export function nextPageSize(budget: SliceBudget, so: SliceSoFar, pageSize: number): number {
  const left = budget.maxItems - so.items;
  if (left <= 0 || so.elapsedMs + so.slowestPageMs > budget.softMs) return 0;
  return Math.min(pageSize, left);
}

export const isUnfinished = (job: Pick<JobDoc, 'status'>): boolean => job.status === 'queued' || job.status === 'running';

/** Whether a slice may start now: the job has work left and nobody holds it. */
export const canRun = (job: Pick<JobDoc, 'status' | 'leaseUntil'>, now: number): boolean => isUnfinished(job) && job.leaseUntil <= now;

export interface JobSpec {
  _id: string;
  kind: JobKind;
  storeId?: string;
  total: number;
  modelVersion?: number;
  replay?: boolean;
  retagStale?: boolean;
  requestedBy?: string;
  specSig?: string;
  strategyId?: string;
}

/**
 * A new run of the job (`prev` is the stored document, if any). A rescore that supersedes an
 * unfinished replaying run replays too: the customers it did not reach still hold states
 * counted for the model before it.
 */
export function startRun(prev: JobDoc | undefined, spec: JobSpec, now: number): JobDoc {
  const job: JobDoc = {
    _id: spec._id,
    kind: spec.kind,
    status: 'queued',
    run: (prev?.run ?? 0) + 1,
    processed: 0,
    changed: 0,
    total: spec.total,
    startedAt: now,
    updatedAt: now,
    leaseUntil: 0,
    failures: 0,
  };
  if (spec.storeId !== undefined) job.storeId = spec.storeId;
  if (spec.requestedBy !== undefined) job.requestedBy = spec.requestedBy;
  if (spec.specSig !== undefined) job.specSig = spec.specSig;
  if (spec.strategyId !== undefined) job.strategyId = spec.strategyId;
  if (spec.kind === 'strategyIssue') job.issue = { members: 0, holdout: 0, tasks: 0, allocated: 0, unallocated: 0 };
  if (spec.kind === 'rescore') {
    if (spec.modelVersion !== undefined) job.modelVersion = spec.modelVersion;
    const replay = Boolean(spec.replay) || Boolean(prev && isUnfinished(prev) && prev.replay);
    job.replay = replay;
    job.retagStale = !replay && Boolean(spec.retagStale);
  }
  return job;
}

/** What a failed slice leaves: the failure counted, the lease free, and the job failed at the limit. */
export function afterFailure(job: Pick<JobDoc, 'failures'>, message: string, now: number): Pick<JobDoc, 'failures' | 'status' | 'lastError' | 'leaseUntil' | 'updatedAt'> & { finishedAt?: number } {
  const failures = job.failures + 1;
  const failed = failures >= MAX_FAILURES;
  return {
    failures,
    status: failed ? 'failed' : 'running',
    lastError: { message: message.slice(0, 500), at: now },
    leaseUntil: 0,
    updatedAt: now,
    ...(failed ? { finishedAt: now } : {}),
  };
}

/**
 * The job as a manager's page shows it. The total was counted at the start: customers added
 * meanwhile can push `processed` past it, and a finished job's total is what it really walked.
 */
export function progressOf(job: JobDoc): JobProgress {
  const total = job.status === 'done' ? job.processed : Math.max(job.total, job.processed);
  return {
    status: job.status,
    processed: job.processed,
    total,
    ...(job.modelVersion !== undefined ? { modelVersion: job.modelVersion } : {}),
    startedAt: job.startedAt,
    ...(job.finishedAt !== undefined ? { finishedAt: job.finishedAt } : {}),
    failures: job.failures,
  };
}

/** Job ids: one document per thing a job works on. */
export const jobIds = {
  storeRescore: (storeId: string) => `rescore:store:${storeId}`,
  nightlyRescore: 'rescore:all',
  recycle: 'recycle:all',
  audienceBackfill: (storeId: string) => `audiences:store:${storeId}`,
  strategyIssue: (strategyId: string) => `strategies:issue:${strategyId}`,
} as const;

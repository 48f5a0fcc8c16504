import type { JobDoc } from '../../../../types/model';
import { afterFailure, canRun, LEASE_MS, MAX_FAILURES, nextPageSize, progressOf, sliceBudget, startRun, type JobSpec } from '../job';

const NOW = 1_700_000_000_000;
const spec: JobSpec = { _id: 'rescore:store:s1', kind: 'rescore', storeId: 's1', total: 20000, modelVersion: 2, replay: false, retagStale: true, requestedBy: 'm1' };

describe('a slice fits well within the function that runs it', () => {
  it('spends at most 60% of the timeout, and never plans past CloudBase’s 60 s', () => {
    expect(sliceBudget(60)).toEqual({ maxItems: 500, softMs: 36_000 });
    expect(sliceBudget(20, 50)).toEqual({ maxItems: 50, softMs: 12_000 });
    expect(sliceBudget(900).softMs).toBe(36_000);
  });

  it('takes pages until the items are used up, the last one trimmed to what is left', () => {
    const b = sliceBudget(60, 500);
    expect(nextPageSize(b, { items: 0, elapsedMs: 0, slowestPageMs: 0 }, 250)).toBe(250);
    expect(nextPageSize(b, { items: 400, elapsedMs: 1000, slowestPageMs: 500 }, 250)).toBe(100);
    expect(nextPageSize(b, { items: 500, elapsedMs: 1000, slowestPageMs: 500 }, 250)).toBe(0);
  });

  it('starts no page that would end past the budget, judging by the slowest page so far', () => {
    const b = sliceBudget(20, 10_000);
    expect(nextPageSize(b, { items: 1000, elapsedMs: 9000, slowestPageMs: 2999 }, 250)).toBe(250);
    expect(nextPageSize(b, { items: 1000, elapsedMs: 9000, slowestPageMs: 3001 }, 250)).toBe(0);
  });
});

describe('runs and leases', () => {
  it('a new run starts queued at the beginning, its counters at zero', () => {
    const job = startRun(undefined, spec, NOW);
    expect(job).toEqual({
      _id: 'rescore:store:s1',
      kind: 'rescore',
      storeId: 's1',
      status: 'queued',
      run: 1,
      processed: 0,
      changed: 0,
      total: 20000,
      startedAt: NOW,
      updatedAt: NOW,
      leaseUntil: 0,
      failures: 0,
      modelVersion: 2,
      replay: false,
      retagStale: true,
      requestedBy: 'm1',
    });
    expect(canRun(job, NOW)).toBe(true);
  });

  it('starting over bumps the run and forgets the cursor, the counts and the failures', () => {
    const prev: JobDoc = { ...startRun(undefined, spec, NOW), status: 'running', run: 4, cursor: 'c_9', processed: 900, changed: 12, failures: 2, leaseOwner: 'x', leaseUntil: NOW + LEASE_MS };
    const next = startRun(prev, { ...spec, modelVersion: 3 }, NOW + 5);
    expect(next).toMatchObject({ run: 5, status: 'queued', processed: 0, changed: 0, failures: 0, leaseUntil: 0, modelVersion: 3, startedAt: NOW + 5 });
    expect(next.cursor).toBeUndefined();
    expect(next.leaseOwner).toBeUndefined();
  });

  it('a rescore superseding an unfinished replay replays too: customers it did not reach hold the older counters', () => {
    const replaying = { ...startRun(undefined, { ...spec, replay: true, retagStale: false }, NOW), status: 'running' as const };
    expect(startRun(replaying, { ...spec, modelVersion: 3, replay: false, retagStale: true }, NOW)).toMatchObject({ replay: true, retagStale: false });
    // Once the replay finished, every state fits the model it applied: the next change needs no replay.
    expect(startRun({ ...replaying, status: 'done' }, { ...spec, modelVersion: 3, replay: false, retagStale: true }, NOW)).toMatchObject({ replay: false, retagStale: true });
  });

  it('a strategy issue names its strategy and starts its tally at zero; a new run starts the tally over', () => {
    const issue: JobSpec = { _id: 'strategies:issue:s1', kind: 'strategyIssue', storeId: 'st1', strategyId: 's1', total: 1000, requestedBy: 'm1' };
    const first = startRun(undefined, issue, NOW);
    expect(first).toMatchObject({ strategyId: 's1', run: 1, issue: { members: 0, holdout: 0, tasks: 0, allocated: 0, unallocated: 0 } });
    expect(first.replay).toBeUndefined();
    expect(startRun({ ...first, status: 'done', issue: { members: 900, holdout: 90, tasks: 810, allocated: 40, unallocated: 3 } }, issue, NOW + 1)).toMatchObject({ run: 2, issue: { members: 0, unallocated: 0 } });
  });

  it('a held lease keeps everyone else out until it expires; a finished job runs no more', () => {
    const job = { ...startRun(undefined, spec, NOW), status: 'running' as const, leaseUntil: NOW + LEASE_MS };
    expect(canRun(job, NOW + LEASE_MS - 1)).toBe(false);
    expect(canRun(job, NOW + LEASE_MS)).toBe(true);
    expect(canRun({ ...job, status: 'done', leaseUntil: 0 }, NOW)).toBe(false);
    expect(canRun({ ...job, status: 'failed', leaseUntil: 0 }, NOW)).toBe(false);
    // A lease outlives any function: the platform stops a slice before another may take over.
    expect(LEASE_MS).toBeGreaterThan(60_000);
  });

  it('failures are retried until the limit, then the job fails for good', () => {
    let failures = 0;
    for (let i = 1; i < MAX_FAILURES; i++) {
      const after = afterFailure({ failures }, 'boom', NOW);
      expect(after).toMatchObject({ status: 'running', failures: i, leaseUntil: 0, lastError: { message: 'boom', at: NOW } });
      failures = after.failures;
    }
    expect(afterFailure({ failures }, 'x'.repeat(2000), NOW)).toMatchObject({ status: 'failed', failures: MAX_FAILURES, finishedAt: NOW });
    expect(afterFailure({ failures }, 'x'.repeat(2000), NOW).lastError?.message).toHaveLength(500);
  });
});

describe('progress as the manager reads it', () => {
  const running: JobDoc = { ...startRun(undefined, spec, NOW), status: 'running', processed: 12000, changed: 11000 };

  it('shows what was done of what was counted, and the version it applies; no ids', () => {
    expect(progressOf(running)).toEqual({ status: 'running', processed: 12000, total: 20000, modelVersion: 2, startedAt: NOW, failures: 0 });
  });

  it('never shows more done than in all: customers added meanwhile raise the total', () => {
    expect(progressOf({ ...running, processed: 20050 })).toMatchObject({ processed: 20050, total: 20050 });
  });

  it('a finished job’s total is what it really walked', () => {
    expect(progressOf({ ...running, status: 'done', processed: 19990, finishedAt: NOW + 1 })).toMatchObject({ status: 'done', processed: 19990, total: 19990, finishedAt: NOW + 1 });
  });
});

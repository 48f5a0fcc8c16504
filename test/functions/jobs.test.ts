/**
 * Rescoring and recycling as resumable jobs, through the real SDK on the local cloud: slices
 * with a tiny budget, a runner that dies holding the lease, two runners at once, a manager's
 * save answered at once and finished by continuations from function to function, the timer
 * that takes up what was left, failures, and who may ask for a continuation.
 */
import type { JobProgress } from '../../types/api';
import type { CustomerDoc, EventDoc, JobDoc, StoredCustomer } from '../../types/model';
import { LEASE_MS, MAX_FAILURES } from '../../cloudfunctions/_core/jobs';
import { DEFAULT_MODEL, type ScoringModel } from '../../cloudfunctions/_core/scoring/model';
import { needsReplay } from '../../cloudfunctions/_core/scoring/compile';
import { refreshCustomer } from '../../cloudfunctions/_core/scoring/ingest';
import { emptyState, rebuildState, type CustomerState } from '../../cloudfunctions/_core/scoring/state';
import { derivedChanges } from '../../cloudfunctions/_core/pipeline/derived';
import { DAY } from '../../cloudfunctions/_core/events/day-buckets';
import { dueForRecycle, DEFAULT_POLICY } from '../../cloudfunctions/_core/allocation';
import type { InvocationRecord } from '../../emulator';
import { jobDoc, settledJob } from '../support/jobs';
import { ok, startTestStack, type TestStack } from '../support/stack';


let stack: TestStack;
const invocations: InvocationRecord[] = [];
/** Tests that walk a whole store several times: generous on the shared 2-core machine. */
const WALKS_A_STORE = 180_000;
const STORE = 'store-sh-pudong';
const OTHER = 'store-sz-sip';

const find = <T>(collection: string, query: object): T[] => stack.emulator.db.find(collection, query, { limit: 100000 }) as T[];
const live = (storeId: string) => find<StoredCustomer>('customers', { storeId }).filter((c) => !c.mergedInto);
const lib = () => import('../../cloudfunctions/_lib/jobs');
const repo = async () => (await import('../../cloudfunctions/_lib/repo/jobs')).jobRepo;
const asFunction = <T>(fn: () => Promise<T>) => stack.emulator.withContext(fn);
const clone = (m: ScoringModel): ScoringModel => JSON.parse(JSON.stringify(m)) as ScoringModel;

/** A model whose counting rules changed (store visits now count service visits): every state is replayed. */
function replayingModel(version: number): ScoringModel {
  const m = clone(DEFAULT_MODEL);
  const visit = m.engagement.groups.flatMap((g) => g.rules).find((r) => r.id === 'store_visit')!;
  visit.filter = { ...visit.filter, types: ['store_visit', 'service_visit'] };
  visit.points = 12;
  visit.dailyCap = 12;
  return { ...m, version };
}

/** Saves a store model as a manager's save would, without starting its job. */
async function saveModel(storeId: string, model: ScoringModel): Promise<void> {
  const { scoringModelRepo } = await import('../../cloudfunctions/_lib/repo/scoring-models');
  await asFunction(() => scoringModelRepo.save(storeId, model, model.version - 1, 'test', stack.clock.now()));
}

/**
 * What a synchronous replay of every customer of the store would leave, for each customer: the
 * state from their projected events, and no derived field that a refresh with it would change.
 */
function expectReplayedWith(storeId: string, model: ScoringModel, now: number): void {
  const states = new Map(find<CustomerState & { _id: string }>('customerStates', {}).map(({ _id, ...s }) => [_id, s as CustomerState]));
  const customers = live(storeId);
  const members = customers.flatMap((c) => [c._id, ...(c.mergedIds ?? [])]);
  const events = find<EventDoc & { pending?: true }>('events', { customerId: { $in: members } }).filter((e) => !e.pending);
  const byCustomer = new Map<string, EventDoc[]>();
  for (const e of events) byCustomer.set(e.customerId, [...(byCustomer.get(e.customerId) ?? []), e]);
  const wrong: string[] = [];
  for (const c of customers) {
    const own = [c._id, ...(c.mergedIds ?? [])].flatMap((id) => byCustomer.get(id) ?? []).sort((a, b) => a.timestamp - b.timestamp || (a._id < b._id ? -1 : 1));
    const expected = own.length ? rebuildState(own, model) : emptyState(model);
    if (JSON.stringify(states.get(c._id)) !== JSON.stringify(expected)) wrong.push(`${c._id}: state`);
    else if (derivedChanges(c, refreshCustomer(c, expected, model, now)).changed) wrong.push(`${c._id}: derived fields`);
    else if (c.score?.modelVersion !== model.version) wrong.push(`${c._id}: scored with version ${c.score?.modelVersion}`);
  }
  expect(wrong).toEqual([]);
}

beforeAll(async () => {
  // Enough customers that a store takes more than one 500-customer slice.
  stack = await startTestStack({ customers: 1500 });
  stack.emulator.onInvocation((r) => invocations.push(r));
});
afterAll(() => stack.destroy());

describe('a store rescore in slices', () => {
  it('resumes from its cursor after a runner died holding the lease, and ends as a synchronous replay would', async () => {
    stack.clock.freeze();
    const now = stack.clock.now();
    const { runSlice, startStoreRescore } = await lib();
    const jobs = await repo();
    const model = replayingModel(2);
    expect(needsReplay(DEFAULT_MODEL, model)).toBe(true);
    await saveModel(STORE, model);
    const job = await asFunction(() => startStoreRescore(STORE, 2, { replay: true }, now));
    const customers = live(STORE).length;
    expect(customers).toBeGreaterThan(500);
    expect(job).toMatchObject({ status: 'queued', total: customers, processed: 0, replay: true });

    // Slices of 60 customers (pages of at most 60), each saved before the next.
    const tiny = { budget: { maxItems: 60, softMs: 60_000 }, now };
    for (let i = 1; i <= 3; i++) {
      const r = await asFunction(() => runSlice(job._id, tiny));
      expect(r).toMatchObject({ ran: true, status: 'running', more: true });
      expect(jobDoc(stack, job._id)).toMatchObject({ status: 'running', leaseUntil: 0, failures: 0 });
    }
    const saved = jobDoc(stack, job._id)!;
    // Three slices of 60 rows (merged-away records are passed, not counted).
    expect(saved.processed).toBeGreaterThan(160);
    expect(saved.processed).toBeLessThanOrEqual(180);
    const done = live(STORE).filter((c) => c._id <= saved.cursor!);
    expect(done.every((c) => c.score?.modelVersion === 2)).toBe(true);
    expect(live(STORE).filter((c) => c._id > saved.cursor!).some((c) => c.score?.modelVersion === 2)).toBe(false);

    // A runner takes the next slice, rescores part of its page, and dies: no save, no release.
    const { rescorePage } = await import('../../cloudfunctions/_lib/pipeline');
    expect(await asFunction(() => jobs.takeLease(saved, 'dead-runner', now))).toBe(true);
    const half = find<StoredCustomer>('customers', { storeId: STORE, _id: { $gt: saved.cursor } }).sort((a, b) => (a._id < b._id ? -1 : 1)).slice(0, 25);
    await asFunction(() => rescorePage(half, { model, replay: true }, now));
    expect(jobDoc(stack, job._id)).toMatchObject({ processed: saved.processed, cursor: saved.cursor, leaseOwner: 'dead-runner' });

    // Nobody else runs it while the lease stands, not even the timer's sweep.
    expect(await asFunction(() => runSlice(job._id, tiny))).toMatchObject({ ran: false, why: 'busy' });
    expect(await asFunction(async () => (await lib()).continueIdleJobs(tiny))).toEqual({ jobs: 0 });

    // Once it expired (the platform stopped the dead runner long before), the job resumes at the
    // saved cursor: the half-done page is done again, harmlessly, and counted once.
    stack.clock.advance(LEASE_MS);
    const later = stack.clock.now();
    let slices = 0;
    for (;;) {
      const r = await asFunction(() => runSlice(job._id, { ...tiny, now: later }));
      expect(r.ran).toBe(true);
      slices++;
      if (r.ran && !r.more) break;
    }
    expect(slices).toBeGreaterThan(3);
    const finished = jobDoc(stack, job._id)!;
    expect(finished).toMatchObject({ status: 'done', processed: customers, failures: 0, leaseUntil: 0 });
    expect(finished.changed).toBeGreaterThan(0);
    expect(finished.changed).toBeLessThanOrEqual(customers);
    // Same clock reading for every slice but those after the crash: each customer was refreshed at one of them.
    expectReplayedWith(STORE, model, later);
    stack.clock.resume();
  }, WALKS_A_STORE);

  it('two runners at once: one runs the slice, the other finds it taken; a runner that lost its lease can save nothing', async () => {
    stack.clock.freeze();
    const now = stack.clock.now();
    const { runSlice, startStoreRescore } = await lib();
    const jobs = await repo();
    const model = { ...replayingModel(2), grades: { H: 81, A: 66, B: 46, C: 26 }, version: 3 };
    await saveModel(STORE, model);
    const job = await asFunction(() => startStoreRescore(STORE, 3, {}, now));
    expect(job).toMatchObject({ run: 2, status: 'queued', replay: false });

    const outcomes = await Promise.all(Array.from({ length: 4 }, () => asFunction(() => runSlice(job._id, { budget: { maxItems: 100, softMs: 60_000 }, now }))));
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ran && o.why === 'busy')).toHaveLength(3);
    const after = jobDoc(stack, job._id)!;
    // A slice reads 100 records and rescores the live ones among them (merged-away records are skipped).
    const liveUpTo = (cursor: string | undefined) => live(STORE).filter((c) => c._id <= (cursor ?? '')).length;
    expect(after.processed).toBe(liveUpTo(after.cursor));
    expect(after.processed).toBeGreaterThan(90);

    // A runner whose lease expired mid-slice, and another took over: its late writes to the job are refused.
    expect(await asFunction(() => jobs.takeLease(after, 'slow-runner', now))).toBe(true);
    stack.clock.advance(LEASE_MS);
    const takeover = await asFunction(() => runSlice(job._id, { budget: { maxItems: 100, softMs: 60_000 }, now: stack.clock.now() }));
    expect(takeover).toMatchObject({ ran: true, more: true });
    const resumed = jobDoc(stack, job._id)!;
    expect(resumed.processed).toBe(liveUpTo(resumed.cursor));
    expect(resumed.processed).toBeGreaterThan(after.processed + 90);
    expect(await asFunction(() => jobs.savePage(after, 'slow-runner', { cursor: 'zzz', processed: 100, changed: 100 }, now))).toBe(false);
    expect(await asFunction(() => jobs.finish(after, 'slow-runner', now))).toBe(false);
    expect(jobDoc(stack, job._id)).toMatchObject({ processed: resumed.processed, cursor: resumed.cursor, status: 'running' });

    // Leave it to the timer: it finishes the job through continuations.
    stack.clock.resume();
    await stack.emulator.fireTimer('jobs', 'continue-jobs');
    expect(await settledJob(stack, job._id)).toMatchObject({ status: 'done', processed: live(STORE).length });
  }, WALKS_A_STORE);
});

describe('a manager’s save', () => {
  it('answers at once with the job’s progress, and continuations from function to function finish it', async () => {
    const manager = await stack.signIn('wangjianguo');
    const current = ok(await stack.http<{ model: ScoringModel }>('scoring', { action: 'model', params: {} }, manager)).model;
    const tuned = clone(current);
    tuned.engagement.groups[0].rules[0].points -= 1;
    invocations.length = 0;

    const res = await stack.http<{ model: ScoringModel; job: JobProgress }>('scoring', { action: 'setModel', params: { model: tuned, expectedVersion: current.version } }, manager);
    const saved = ok(res);
    // At once: the reply carries the job untouched; the rescore runs after it.
    expect(saved.job).toMatchObject({ status: 'queued', processed: 0, total: live(STORE).length, modelVersion: current.version + 1 });

    // The page's view of it: it moves forward, never back, and ends done.
    const seen: JobProgress[] = [];
    for (;;) {
      const p = ok(await stack.http<JobProgress>('scoring', { action: 'job', params: {} }, manager));
      if (seen.length) expect(p.processed).toBeGreaterThanOrEqual(seen[seen.length - 1].status === 'done' ? p.processed : seen[seen.length - 1].processed);
      seen.push(p);
      if (p.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(seen[seen.length - 1]).toMatchObject({ status: 'done', processed: live(STORE).length, total: live(STORE).length });
    await settledJob(stack, `rescore:store:${STORE}`);

    // Several slices, each a call from another function, none from a timer.
    const continues = invocations.filter((r) => r.name === 'jobs' && r.action === 'continue');
    expect(continues.length).toBeGreaterThanOrEqual(2);
    expect(continues.every((r) => r.ok && r.source.endsWith(',scf'))).toBe(true);
    expect(invocations.filter((r) => r.source === 'wx_trigger')).toEqual([]);
    expect(live(STORE).every((c) => c.score?.modelVersion === current.version + 1)).toBe(true);
  }, WALKS_A_STORE);

  it('a second save while the first rescore runs starts it over for the newer version', async () => {
    const manager = await stack.signIn('wangjianguo');
    const current = ok(await stack.http<{ model: ScoringModel }>('scoring', { action: 'model', params: {} }, manager)).model;
    // Slow the cloud down so the first run is still going when the second save lands.
    stack.emulator.setLatency(3);
    const first = clone(current);
    first.grades.C += 1;
    const a = ok(await stack.http<{ model: ScoringModel; job: JobProgress }>('scoring', { action: 'setModel', params: { model: first, expectedVersion: current.version } }, manager));
    const second = clone(a.model);
    second.grades.C += 1;
    const b = ok(await stack.http<{ model: ScoringModel; job: JobProgress }>('scoring', { action: 'setModel', params: { model: second, expectedVersion: a.model.version } }, manager));
    expect(b.job).toMatchObject({ status: 'queued', processed: 0, modelVersion: a.model.version + 1 });
    stack.emulator.setLatency(0);
    const done = await settledJob(stack, `rescore:store:${STORE}`);
    expect(done).toMatchObject({ status: 'done', modelVersion: b.model.version, processed: live(STORE).length });
    expect(live(STORE).every((c) => c.score?.modelVersion === b.model.version)).toBe(true);
  }, WALKS_A_STORE);
});

describe('the continue-jobs timer and failures', () => {
  it('takes up a job whose continuation never came', async () => {
    const { startStoreRescore } = await lib();
    const model = { ...clone(DEFAULT_MODEL), version: 2 };
    await saveModel(OTHER, model);
    const job = await asFunction(() => startStoreRescore(OTHER, 2, { retagStale: true }, stack.clock.now()));
    expect(jobDoc(stack, job._id)).toMatchObject({ status: 'queued' });
    await stack.emulator.fireTimer('jobs', 'continue-jobs');
    expect(await settledJob(stack, job._id)).toMatchObject({ status: 'done', processed: live(OTHER).length });
  });

  it('a run that finds a newer model waits for the save to restart it, and restarts itself when the save died', async () => {
    const { startStoreRescore } = await lib();
    const v3 = { ...clone(DEFAULT_MODEL), version: 3, grades: { ...DEFAULT_MODEL.grades, C: 26 } };
    await saveModel(OTHER, v3);
    const job = await asFunction(() => startStoreRescore(OTHER, 3, { retagStale: true }, stack.clock.now()));
    // A save of version 4 that died before restarting the rescore.
    await saveModel(OTHER, { ...v3, version: 4, grades: { ...v3.grades, C: 27 } });
    await stack.emulator.fireTimer('jobs', 'continue-jobs');
    // Just saved: its own restart may still be on its way, so the run only stands aside.
    expect(jobDoc(stack, job._id)).toMatchObject({ run: job.run, modelVersion: 3, processed: 0, leaseUntil: 0 });
    stack.clock.advance(61_000);
    await stack.emulator.fireTimer('jobs', 'continue-jobs');
    const done = await settledJob(stack, job._id);
    // Restarted for the saved version, replaying: what the lost save knew about its rules is gone.
    expect(done).toMatchObject({ run: job.run + 1, status: 'done', modelVersion: 4, replay: true, processed: live(OTHER).length });
    expect(live(OTHER).every((c) => c.score?.modelVersion === 4)).toBe(true);
  }, WALKS_A_STORE);

  it('retries a failing job once a minute and then gives up, which the manager’s page is told', async () => {
    const jobs = await repo();
    // A run for a model version the store never saved: every slice fails.
    const job = await asFunction(() => jobs.start({ _id: `rescore:store:${OTHER}`, kind: 'rescore', storeId: OTHER, total: 10, modelVersion: 99 }, 'supersede', stack.clock.now()));
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (let i = 1; i <= MAX_FAILURES; i++) {
        await stack.emulator.fireTimer('jobs', 'continue-jobs');
        expect(jobDoc(stack, job._id)).toMatchObject({ failures: i, status: i < MAX_FAILURES ? 'running' : 'failed', leaseUntil: 0, lastError: { message: expect.stringMatching(/the job applies 99/) } });
      }
      await stack.emulator.fireTimer('jobs', 'continue-jobs');
      expect(jobDoc(stack, job._id)).toMatchObject({ failures: MAX_FAILURES, status: 'failed' });
    } finally {
      errors.mockRestore();
    }
    const otherManager = find<{ _id: string }>('staff', { storeId: OTHER, role: 'manager' })[0];
    const token = await stack.signIn(otherManager._id);
    expect(ok(await stack.http<JobProgress>('scoring', { action: 'job', params: {} }, token))).toMatchObject({ status: 'failed', failures: MAX_FAILURES });
  });
});

describe('who may continue a job', () => {
  it('only another function: a mini-program call and HTTP access are refused, bad input named', async () => {
    const id = 'rescore:store:nowhere';
    const refused = { ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/only by other functions/) } };
    expect(await stack.emulator.invoke('jobs', { action: 'continue', params: { jobId: id } })).toEqual(refused);
    expect(await stack.emulator.invoke('jobs', { action: 'continue', params: { jobId: id } }, { OPENID: 'o-someone' })).toEqual(refused);
    const http = await stack.http('jobs', { action: 'continue', params: { jobId: id } }, await stack.signIn('wangjianguo'));
    expect(http.status).toBe(403);
    // Nor can anyone fire its timer but the platform.
    const timer = { Type: 'Timer', TriggerName: 'continue-jobs', Time: new Date(stack.clock.now()).toISOString(), Message: '' };
    expect(await stack.emulator.invoke('jobs', timer)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Another function calling (its SOURCE ends in ,scf) is accepted; its params are still checked.
    const viaFunction = await asFunction(async () => {
      const cloud = (await import('wx-server-sdk')).default;
      cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
      const bad = (await cloud.callFunction({ name: 'jobs', data: { action: 'continue', params: { jobId: '' } } })) as { result: unknown };
      const good = (await cloud.callFunction({ name: 'jobs', data: { action: 'continue', params: { jobId: id } } })) as { result: unknown };
      return { bad: bad.result, good: good.result };
    });
    expect(viaFunction.bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'jobId' }] } });
    expect(viaFunction.good).toEqual({ ok: true, data: { ran: false, why: 'missing' } });
  });
});

describe('recycling as a job', () => {
  it('moves exactly the leads due when the run started, slice by slice, and releases each owner’s counter once per lead', async () => {
    stack.clock.freeze();
    const now = stack.clock.now();
    const { runSlice, startRecycling } = await lib();
    const { loadRepo } = await import('../../cloudfunctions/_lib/repo/loads');
    // Many due leads across stores and consultants (grade B: 7 days without follow-up).
    const owned = find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: { $exists: true }, stage: { $ne: 'owner' } }).filter((c) => !c.mergedInto);
    const made = owned.filter((_c, i) => i % 3 === 0).slice(0, 40);
    for (const c of made) stack.patchCustomer(c._id, { grade: 'B', assignedAt: now - 8 * DAY }, ['lastFollowUpAt']);
    const candidates = find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: { $exists: true } }).filter((c) => !c.mergedInto);
    const due = candidates.filter((c) => dueForRecycle(c, c.lastFollowUpAt, now, DEFAULT_POLICY).due).map((c) => c._id).sort();
    expect(due.length).toBeGreaterThanOrEqual(made.length);
    const owners = [...new Set(candidates.map((c) => c.ownerId!))];
    const staff = find<{ _id: string; storeId: string }>('staff', { _id: { $in: owners } });
    const loadsBefore = await asFunction(() => loadRepo.of(staff, now));

    const job = await asFunction(() => startRecycling(now));
    expect(job).toMatchObject({ kind: 'recycle', status: 'queued', total: due.length });
    // A lead that becomes due half a minute after the run started waits for the next run.
    const late = owned.find((c) => !due.includes(c._id))!;
    stack.patchCustomer(late._id, { grade: 'B', assignedAt: now - 7 * DAY + 30_000 }, ['lastFollowUpAt']);
    stack.clock.advance(60_000);
    expect(dueForRecycle({ ...late, grade: 'B', assignedAt: now - 7 * DAY + 30_000 }, undefined, stack.clock.now(), DEFAULT_POLICY).due).toBe(true);
    let slices = 0;
    for (;;) {
      const r = await asFunction(() => runSlice(job._id, { budget: { maxItems: 7, softMs: 60_000 }, now: stack.clock.now() }));
      slices++;
      if (!r.ran || !r.more) break;
    }
    expect(slices).toBeGreaterThan(3);
    const finished = jobDoc(stack, job._id) as JobDoc;
    expect(finished).toMatchObject({ status: 'done', changed: due.length });
    const moved = candidates.filter((c) => !find<CustomerDoc>('customers', { _id: c._id })[0].ownerId).map((c) => c._id).sort();
    expect(moved).toEqual(due);
    expect(find<CustomerDoc>('customers', { _id: late._id })[0].ownerId).toBe(late.ownerId);

    const loadsAfter = await asFunction(() => loadRepo.of(staff, stack.clock.now()));
    for (const s of staff) {
      const lost = candidates.filter((c) => c.ownerId === s._id && due.includes(c._id)).length;
      expect([s._id, loadsAfter.get(s._id)!.active]).toEqual([s._id, loadsBefore.get(s._id)!.active - lost]);
    }
    stack.clock.resume();
  });

  it('the hourly timer starts a run and finishes it; a run still going is left to carry on', async () => {
    const first = (await stack.emulator.fireTimer('leads', 'recycle')) as { ran: boolean };
    expect(first.ran).toBe(true);
    const done = await settledJob(stack, 'recycle:all');
    expect(done.status).toBe('done');
    const jobs = await repo();
    // An unfinished run is not restarted by the next hour's timer.
    const running = await asFunction(() => jobs.start({ _id: 'recycle:all', kind: 'recycle', total: 0 }, 'supersede', stack.clock.now()));
    expect(await asFunction(() => jobs.takeLease(running, 'busy-runner', stack.clock.now()))).toBe(true);
    expect(await stack.emulator.fireTimer('leads', 'recycle')).toMatchObject({ ran: false, why: 'busy' });
    expect(jobDoc(stack, 'recycle:all')).toMatchObject({ run: running.run, leaseOwner: 'busy-runner' });
  });
});

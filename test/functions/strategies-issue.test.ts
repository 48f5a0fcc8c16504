/**
 * Issuing a strategy as a resumable job, through the real SDK on the local cloud: slices walk the
 * audience from a cursor with visible progress, a runner that dies mid-page leaves the job to
 * the next once its lease lapses, and the redone page makes no task twice; pool customers are
 * allocated in bulk without taking one a consultant claimed meanwhile.
 */
import type { ClaimResult, StrategyView } from '../../types/api';
import type { JobDoc, StoredCustomer, StrategyDoc, StrategyMemberDoc, TaskDoc } from '../../types/model';
import { LEASE_MS } from '../../cloudfunctions/_core/jobs';
import { inHoldout } from '../../cloudfunctions/_core/strategies';
import { ok, startTestStack, type TestStack } from '../support/stack';
import { jobDoc } from '../support/jobs';

const A = 'store-sh-pudong';
const SID = 'str-issue-job-1';
const H = 3_600_000;

let stack: TestStack;
let manager: string;
const db = () => stack.emulator.db;
const asFunction = <T>(fn: () => Promise<T>) => stack.emulator.withContext(fn);
const lib = () => import('../../cloudfunctions/_lib/jobs');
const strategies = () => import('../../cloudfunctions/_lib/strategies');

beforeAll(async () => {
  stack = await startTestStack();
  manager = await stack.signIn('wangjianguo');
});
afterAll(() => stack.destroy());

it('walks the audience in slices with progress, resumes after a runner died mid-page, and makes each task once', async () => {
  stack.clock.freeze();
  const now = stack.clock.now();
  const live = db()
    .find<StoredCustomer & { mergedInto?: string }>('customers', { storeId: A }, { sort: { _id: 1 } })
    .filter((c) => !c.mergedInto && c.stage !== 'owner');
  // Owned customers and the pool, in id order: every page allocates some.
  const chosen = live.slice(0, 200);
  const pool = chosen.filter((c) => !c.ownerId);
  const audience = chosen.map((c) => c._id);
  const at = now - 60_000;
  db().insertOne('audiences', { _id: 'aud-issue-job', storeId: A, name: '大人群', rule: { version: 1, root: { kind: 'stage', in: ['lead', 'prospect'] } }, mode: 'snapshot', status: 'active', version: 1, description: '线索或潜客', count: audience.length, countedAt: at, snapshotAt: at, createdBy: 'wangjianguo', createdAt: at, updatedBy: 'wangjianguo', updatedAt: at });
  for (const c of audience) db().insertOne('audienceMembers', { _id: `aud-issue-job:${c}`, audienceId: 'aud-issue-job', storeId: A, customerId: c });
  const window = { startAt: now - 24 * H, endAt: now + 10 * 24 * H, fromMinute: 9 * 60, toMinute: 21 * 60 };
  ok(await stack.http('strategies', { action: 'save', params: { strategyId: SID, expectedVersion: 0, name: '大人群邀约', audienceId: 'aud-issue-job', materialId: 'mat-pd-i1', channel: 'wecom_chat', window, rules: [], holdoutPercent: 10 } }, manager));

  const { runSlice } = await lib();
  const { startIssue, enrol } = await strategies();
  const jobs = (await import('../../cloudfunctions/_lib/repo/jobs')).jobRepo;
  const strategy = () => db().findById<StrategyDoc>('strategies', SID)!;
  const { job } = await asFunction(() => startIssue(strategy(), 'wangjianguo', now));
  expect(job).toMatchObject({ kind: 'strategyIssue', status: 'queued', total: audience.length, processed: 0 });

  // Slices of 15 budget items, each 60 customers (issuing is light: four per item).
  const tiny = { budget: { maxItems: 15, softMs: 60_000 }, now };
  for (let i = 1; i <= 2; i++) expect(await asFunction(() => runSlice(job._id, tiny))).toMatchObject({ ran: true, status: 'running', more: true });
  const saved = jobDoc(stack, job._id)!;
  expect(saved).toMatchObject({ processed: 120, cursor: audience[119], leaseUntil: 0 });
  // The manager sees how far it got.
  const view = ok(await stack.http<StrategyView>('strategies', { action: 'get', params: { strategyId: SID } }, manager));
  expect(view).toMatchObject({ status: 'issued', issuing: { status: 'running', processed: 120, total: audience.length } });

  // A pool customer further on is claimed by a consultant meanwhile: issuing must not take them from her.
  const claimed = pool.find((c) => c._id > saved.cursor! && c.recycledFrom?.consultantId !== 'lina')!;
  expect(ok(await stack.http<ClaimResult>('leads', { action: 'claim', params: { customerId: claimed._id } }, await stack.signIn('lina')))).toMatchObject({ claimed: true });

  // The next runner enrols half its page and dies: no save, no release.
  expect(await asFunction(() => jobs.takeLease(saved, 'dead-runner', now))).toBe(true);
  await asFunction(() => enrol(strategy(), audience.slice(120, 150), now));
  // Of that page, five members' tasks were never written: it died between the member and task writes.
  const page = new Set(audience.slice(120, 150));
  const orphaned = db().find<StrategyMemberDoc>('strategyMembers', { strategyId: SID, holdout: false }).filter((m) => page.has(m.customerId)).slice(0, 5).map((m) => m.customerId);
  expect(orphaned).toHaveLength(5);
  db().remove('tasks', { strategyId: SID, customerId: { $in: orphaned } }, { multi: true });
  expect(await asFunction(() => runSlice(job._id, tiny))).toMatchObject({ ran: false, why: 'busy' });

  // Once its lease lapsed, the job resumes at the saved cursor and redoes that page harmlessly.
  stack.clock.advance(LEASE_MS);
  const later = stack.clock.now();
  for (let slices = 0; ; slices++) {
    expect(slices).toBeLessThan(20);
    const r = await asFunction(() => runSlice(job._id, { ...tiny, now: later }));
    expect(r.ran).toBe(true);
    if (r.ran && !r.more) break;
  }
  const done = jobDoc(stack, job._id) as JobDoc;
  expect(done).toMatchObject({ status: 'done', processed: audience.length, leaseUntil: 0 });

  const members = db().find<StrategyMemberDoc>('strategyMembers', { strategyId: SID });
  const tasks = db().find<TaskDoc>('tasks', { strategyId: SID });
  const perCustomer = new Map<string, number>();
  for (const t of tasks) perCustomer.set(t.customerId, (perCustomer.get(t.customerId) ?? 0) + 1);
  expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
  const held = members.filter((m) => m.holdout);
  for (const m of members) expect(m.holdout).toBe(inHoldout(SID, m.customerId, 10));
  expect(tasks.length).toBe(members.length - held.length);
  for (const id of orphaned) expect(tasks.some((t) => t.customerId === id)).toBe(true);
  for (const t of tasks) expect(t.ownerId).toBe(db().findById<StoredCustomer>('customers', t.customerId)!.ownerId);
  // The claimed customer stays hers, and if in the treated group her task is hers.
  expect(db().findById<StoredCustomer>('customers', claimed._id)!.ownerId).toBe('lina');
  const theirs = tasks.find((t) => t.customerId === claimed._id);
  if (theirs) expect(theirs.ownerId).toBe('lina');

  // The totals are exact though a page was done twice.
  const after = ok(await stack.http<StrategyView>('strategies', { action: 'get', params: { strategyId: SID } }, manager));
  expect(after.issuing).toBeUndefined();
  expect(after.issued).toMatchObject({ members: members.length, holdout: held.length, tasks: tasks.length });

  // A finish repeated after a crash (before the job was marked done) adds nothing twice.
  const { finishIssue } = await strategies();
  await asFunction(() => finishIssue(done));
  expect(db().findById<StrategyDoc>('strategies', SID)!.issued).toEqual(after.issued);

  // Issuing again walks the audience again and makes nothing twice.
  const again = ok(await stack.http<{ members: number; tasks: number; message: string }>('strategies', { action: 'issue', params: { strategyId: SID } }, manager));
  expect(again).toMatchObject({ members: 0, tasks: 0, message: '人群中没有新客户，未重复下发' });
  expect(db().count('tasks', { strategyId: SID })).toBe(tasks.length);
  stack.clock.resume();
}, 120_000);

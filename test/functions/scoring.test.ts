/**
 * scoring.model / setModel / job and the nightly rescore through the real SDK on the emulator.
 * Rescoring runs as a resumable job: a save answers at once with its progress and the job
 * runs on in the background (`settledJob` waits for it).
 */
import type { ScoringModel } from '../../cloudfunctions/_core/scoring/model';
import { DEFAULT_MODEL } from '../../cloudfunctions/_core/scoring/model';
import { refreshCustomer, type DerivedCustomer } from '../../cloudfunctions/_core/scoring/ingest';
import type { CustomerState } from '../../cloudfunctions/_core/scoring/state';
import { derivedChanges } from '../../cloudfunctions/_core/pipeline/derived';
import type { JobProgress } from '../../types/api';
import { settledJob } from '../support/jobs';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let manager: string;
let consultant: string;
const STORE = 'store-sh-pudong';

const find = async <T>(collection: string, query: object): Promise<T[]> => stack.emulator.db.find(collection, query, { limit: 100000 }) as T[];
const scoring = <T>(action: string, params: object, token: string) => stack.http<T>('scoring', { action, params }, token);

beforeAll(async () => {
  stack = await startTestStack();
  consultant = await stack.signIn('zhangwei');
  const [m] = await find<{ _id: string }>('staff', { storeId: STORE, role: 'manager' });
  manager = await stack.signIn(m._id);
});
afterAll(() => stack.destroy());

const clone = (m: ScoringModel): ScoringModel => JSON.parse(JSON.stringify(m)) as ScoringModel;

test('a consultant reads the default model until a manager saves one', async () => {
  const res = ok(await scoring<{ model: ScoringModel; isDefault: boolean }>('model', {}, consultant));
  expect(res).toEqual({ model: DEFAULT_MODEL, isDefault: true });
  expect((await scoring('setModel', { model: DEFAULT_MODEL, expectedVersion: 1 }, consultant)).status).toBe(403);
});

test('a bad field is refused with its name and nothing is written', async () => {
  const bad = clone(DEFAULT_MODEL);
  bad.engagement.groups[0].rules[0].dailyCap = -5;
  const { status, reply } = await scoring('setModel', { model: bad, expectedVersion: 1 }, manager);
  expect(status).toBe(400);
  expect(!reply.ok && reply.error.issues?.map((i) => i.field)).toContain('model.engagement.groups.0.rules.0.dailyCap');
  expect(await find('scoringModels', {})).toEqual([]);
});

test('saving a model rescores the store and bumps the version; a stale version conflicts', async () => {
  const tuned = clone(DEFAULT_MODEL);
  const testDrive = tuned.engagement.groups[0].rules.find((r) => r.id === 'test_drive')!;
  testDrive.points = 30;
  testDrive.dailyCap = 30;
  tuned.engagement.groups[0].cap = 50;
  const scored = (await find<DerivedCustomer>('customers', { storeId: STORE })).filter((c) => c.score?.reasons.some((r) => r.includes('试驾')));
  expect(scored.length).toBeGreaterThan(0);

  const live = (await find<{ mergedInto?: string }>('customers', { storeId: STORE })).filter((c) => !c.mergedInto).length;
  const res = ok(await scoring<{ model: ScoringModel; job: JobProgress }>('setModel', { model: tuned, expectedVersion: 1 }, manager));
  expect(res.model.version).toBe(2);
  expect(res.job).toMatchObject({ status: 'queued', processed: 0, total: live, modelVersion: 2 });
  const job = await settledJob(stack, `rescore:store:${STORE}`);
  expect(job).toMatchObject({ status: 'done', processed: live, modelVersion: 2, failures: 0 });
  expect(ok(await scoring<JobProgress>('job', {}, manager))).toMatchObject({ status: 'done', processed: live, total: live });
  // The progress is the manager's: a consultant is not asked.
  expect((await scoring('job', {}, consultant)).status).toBe(403);
  const after = await find<DerivedCustomer>('customers', { _id: { $in: scored.map((c) => c._id) } });
  expect(after.every((c) => c.score!.modelVersion === 2)).toBe(true);
  const raised = after.filter((c) => c.score!.total > scored.find((s) => s._id === c._id)!.score!.total);
  expect(raised.length).toBeGreaterThan(0);

  expect((await scoring('setModel', { model: tuned, expectedVersion: 1 }, manager)).status).toBe(409);
  expect(ok(await scoring<{ model: ScoringModel; isDefault: boolean }>('model', {}, consultant)).model.version).toBe(2);
});

test('the nightly rescore rewrites exactly the customers whose derived fields moved, and nothing on a second run', async () => {
  const before = (await find<DerivedCustomer>('customers', {})).filter((x) => !(x as { mergedInto?: string }).mergedInto);
  const c = before.find((x) => x.storeId !== STORE && (x.score?.total ?? 0) > 0 && (x.score?.total ?? 0) < 90)!;
  // As if the score had been computed long ago with points that have since expired.
  stack.emulator.db.update('customers', { _id: c._id }, { $set: { score: { ...c.score!, total: 99 }, rankKey: 99 } }, { multi: false });
  const tampered: DerivedCustomer = { ...c, score: { ...c.score!, total: 99 }, rankKey: 99 };
  const states = new Map((await find<CustomerState & { _id: string }>('customerStates', {})).map(({ _id, ...s }) => [_id, s as CustomerState]));
  const storeModel = ok(await scoring<{ model: ScoringModel }>('model', {}, manager)).model;
  const modelOf = (x: DerivedCustomer) => (x.storeId === STORE ? storeModel : DEFAULT_MODEL);

  await stack.emulator.fireTimer('scoring', 'nightly-rescore');
  const job = await settledJob(stack, 'rescore:all');
  const res = { customers: job.processed, written: job.changed };
  expect(res.customers).toBe(before.length);
  const after = new Map((await find<DerivedCustomer>('customers', {})).map((x) => [x._id, x]));
  const rewritten = before.filter((x) => after.get(x._id)!.updatedAt !== x.updatedAt).map((x) => x._id);
  expect(rewritten).toContain(c._id);
  expect(rewritten).toHaveLength(res.written);
  // Every rewrite is stamped with the job's clock: recompute with that clock what should have moved.
  const jobNow = after.get(c._id)!.updatedAt;
  const expected: string[] = [];
  const notCurrent: string[] = [];
  for (const x of before.map((b) => (b._id === c._id ? tampered : b))) {
    const next = refreshCustomer(x, states.get(x._id)!, modelOf(x), jobNow);
    if (derivedChanges(x, next).changed) expected.push(x._id);
    // What is stored now is what a refresh at the job's clock gives, for everyone.
    if (derivedChanges(next, after.get(x._id)!).changed) notCurrent.push(x._id);
  }
  expect(rewritten).toEqual(expected);
  expect(notCurrent).toEqual([]);
  const fixed = after.get(c._id)!;
  expect(fixed.score!.total).toBeLessThan(99);
  expect(fixed.rankKey).not.toBe(99);

  await stack.emulator.fireTimer('scoring', 'nightly-rescore');
  const again = await settledJob(stack, 'rescore:all');
  expect(again.run).toBe(job.run + 1);
  expect({ customers: again.processed, written: again.changed }).toEqual({ customers: res.customers, written: 0 });
});

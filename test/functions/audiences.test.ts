/**
 * Audiences through the real wx-server-sdk on the local cloud: live counts of the article
 * audiences equal a brute-force count over the stored events; membership follows a new event,
 * a grade change, an owner change and a merge; a rule that needs a new counter is backfilled
 * by the job; another store's audiences stay out of reach; a bad rule is named by its field.
 */
import type { AudiencePreview, AudienceView, AudienceDetail } from '../../types/api';
import type { AudienceNode, AudienceRule } from '../../types/audience';
import type { AudienceSpecDoc, EventDoc, StaffDoc, StoredCustomer } from '../../types/model';
import { HIGH_INTENT_ACTIVE, SUV_TEST_DRIVE } from '../../cloudfunctions/_core/audiences/templates';
import { profileOf } from '../../cloudfunctions/_core/audiences/profile';
import { bruteMember } from '../../cloudfunctions/_core/audiences/__tests__/brute-force';
import { jobIds } from '../../cloudfunctions/_core/jobs';
import { ok, startTestStack, type TestStack } from '../support/stack';
import { settledJob } from '../support/jobs';

let stack: TestStack;
let manager: StaffDoc;
let otherManager: StaffDoc;
let consultant: StaffDoc;
let colleague: StaffDoc;
let managerToken: string;
let consultantToken: string;
let otherManagerToken: string;
let seq = 0;

const find = async <T>(collection: string, query: object): Promise<T[]> => (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 1_000_000 }))) as T[];
const customer = async (id: string) => (await find<StoredCustomer>('customers', { _id: id }))[0];
const call = <T>(action: string, params: unknown, token = managerToken) => stack.http<T>('audiences', { action, params }, token);
const preview = async (rule: AudienceRule, token = managerToken) => ok(await call<AudiencePreview>('preview', { rule }, token));
const rule = (...of: AudienceNode[]): AudienceRule => ({ version: 1, root: { kind: 'and', of } });

function profile(c: StoredCustomer) {
  const consents: ('marketing' | 'group_sharing')[] = [];
  if (c.consent?.contact?.granted) consents.push('marketing');
  if (c.consent?.oem_sharing?.granted) consents.push('group_sharing');
  return profileOf(c, consents);
}

/** Whether the customer is a member, from the stored events themselves (no counters). */
async function bruteIsMember(r: AudienceRule, id: string): Promise<boolean> {
  const c = await customer(id);
  if (!c || c.mergedInto) return false;
  const events = await find<EventDoc & { pending?: boolean }>('events', { customerId: { $in: [c._id, ...(c.mergedIds ?? [])] } });
  return bruteMember(r, events.filter((e) => !e.pending), profile(c), stack.clock.now());
}

/** The members of the store, brute force over every stored event. */
async function bruteCount(r: AudienceRule, storeId: string): Promise<number> {
  const customers = await find<StoredCustomer>('customers', { storeId, mergedInto: { $exists: false } });
  const events = await find<EventDoc & { pending?: boolean }>('events', { storeId });
  const byCustomer = new Map<string, EventDoc[]>();
  for (const e of events) if (!e.pending) (byCustomer.get(e.customerId) ?? byCustomer.set(e.customerId, []).get(e.customerId)!).push(e);
  const now = stack.clock.now();
  return customers.filter((c) => bruteMember(r, [c._id, ...(c.mergedIds ?? [])].flatMap((id) => byCustomer.get(id) ?? []), profile(c), now)).length;
}

const used = new Set<string>();
async function pick(where: (c: StoredCustomer) => boolean | Promise<boolean>): Promise<StoredCustomer> {
  const all = (await find<StoredCustomer>('customers', { storeId: manager.storeId, mergedInto: { $exists: false } })).sort((a, b) => a._id.localeCompare(b._id));
  for (const c of all) {
    if (used.has(c._id) || (c.mergedIds?.length ?? 0) > 0) continue;
    if (await where(c)) {
      used.add(c._id);
      return c;
    }
  }
  throw new Error('no such customer in the demo');
}

beforeAll(async () => {
  stack = await startTestStack();
  const staff = await find<StaffDoc>('staff', {});
  manager = staff.find((s) => s.role === 'manager' && s.storeId === 'store-sh-pudong')!;
  otherManager = staff.find((s) => s.role === 'manager' && s.storeId !== manager.storeId)!;
  consultant = staff.find((s) => s._id === 'zhangwei')!;
  colleague = staff.find((s) => s.role === 'consultant' && s.storeId === manager.storeId && s._id !== consultant._id)!;
  [managerToken, consultantToken, otherManagerToken] = await Promise.all([stack.signIn(manager._id), stack.signIn(consultant._id), stack.signIn(otherManager._id)]);
});

afterAll(() => stack.destroy());

describe('live counts', () => {
  it.each([
    ['高意向&高活跃', HIGH_INTENT_ACTIVE],
    ['SUV试驾', SUV_TEST_DRIVE],
  ])('counts the %s audience as a brute-force count over the stored events does, with members and a Chinese description', async (_name, r) => {
    const p = await preview(r);
    expect(p.missing).toEqual([]);
    expect(p.count).toBe(await bruteCount(r, manager.storeId));
    expect(p.count).toBeGreaterThan(0);
    expect(p.total).toBe((await find('customers', { storeId: manager.storeId, mergedInto: { $exists: false } })).length);
    expect(p.sample.length).toBe(Math.min(8, p.count!));
    for (const m of p.sample) {
      expect(await bruteIsMember(r, m.customerId)).toBe(true);
      expect(m.stageLabel).toMatch(/^(线索|潜客|保客)$/);
    }
    expect(p.description).toMatch(/[\u4e00-\u9fa5]/);
  });

  it("counts another store's customers for its manager, never this store's", async () => {
    const p = await preview(SUV_TEST_DRIVE, otherManagerToken);
    expect(p.count).toBe(await bruteCount(SUV_TEST_DRIVE, otherManager.storeId));
    const theirs = new Set((await find<StoredCustomer>('customers', { storeId: otherManager.storeId })).map((c) => c._id));
    for (const m of p.sample) expect(theirs.has(m.customerId)).toBe(true);
  });

  it('names a bad rule by its field: a shape error and an unknown tag', async () => {
    const shape = await call('preview', { rule: rule({ kind: 'behaviour', event: { types: ['share'] }, count: { op: 'gte', value: -1 }, window: { kind: 'last', days: 30 } }) });
    expect(shape.status).toBe(400);
    expect(JSON.stringify(shape.reply)).toContain('rule.root.of.0.count.value');
    const tag = await call('preview', { rule: rule({ kind: 'tags', match: 'any', ids: ['no-such-tag'] }) });
    expect(tag.status).toBe(400);
    expect(JSON.stringify(tag.reply)).toContain('rule.root.of.0.ids.0');
  });
});

describe('membership kept current', () => {
  it('follows a new event: a recorded test drive', async () => {
    const r = rule({ kind: 'owner', in: [consultant._id] }, { kind: 'behaviour', event: { types: ['test_drive'] }, count: { op: 'gte', value: 1 }, window: { kind: 'last', days: 7 } });
    const c = await pick(async (x) => x.ownerId === consultant._id && !(await bruteIsMember(r, x._id)));
    const before = (await preview(r)).count!;
    ok(await stack.http('customers', { action: 'followUp', params: { customerId: c._id, messageId: `aud-test-${++seq}-td`, kind: 'test_drive', modelId: 'lanyue' } }, consultantToken));
    expect(await bruteIsMember(r, c._id)).toBe(true);
    const after = await preview(r);
    expect(after.count).toBe(before + 1);
    expect(after.count).toBe(await bruteCount(r, manager.storeId));
  });

  it('follows a grade change', async () => {
    const r = rule({ kind: 'owner', in: [consultant._id] }, { kind: 'grade', in: ['C'] });
    const c = await pick((x) => x.ownerId === consultant._id && x.grade !== 'C');
    const before = (await preview(r)).count!;
    ok(await stack.http('customers', { action: 'setGrade', params: { customerId: c._id, grade: 'C' } }, consultantToken));
    expect((await preview(r)).count).toBe(before + 1);
  });

  it('follows an owner change', async () => {
    const r = rule({ kind: 'owner', in: [colleague._id] });
    const c = await pick((x) => x.ownerId === consultant._id);
    const before = (await preview(r)).count!;
    ok(await stack.http('leads', { action: 'reassign', params: { customerIds: [c._id], to: colleague._id } }, managerToken));
    expect((await customer(c._id)).ownerId).toBe(colleague._id);
    expect((await preview(r)).count).toBe(before + 1);
  });

  it('follows a merge: the survivor counts both histories, the merged-away record leaves', async () => {
    const sharesOf = async (id: string) => (await find<EventDoc>('events', { customerId: id, type: 'share' })).length;
    const x = await pick(async (c) => c.ownerId === consultant._id && (await sharesOf(c._id)) >= 1);
    const y = await pick(async (c) => c.ownerId === consultant._id && (await sharesOf(c._id)) >= 1);
    const k = (await sharesOf(x._id)) + (await sharesOf(y._id));
    const r = rule({ kind: 'owner', in: [consultant._id] }, { kind: 'behaviour', event: { types: ['share'] }, count: { op: 'gte', value: k }, window: { kind: 'ever' } });
    expect(await bruteIsMember(r, x._id)).toBe(false);
    expect(await bruteIsMember(r, y._id)).toBe(false);
    const before = (await preview(r)).count!;
    ok(await stack.http('customers', { action: 'merge', params: { customerIds: [x._id, y._id], reason: '同一人' } }, managerToken));
    const after = await preview(r);
    expect(after.count).toBe(before + 1);
    expect(after.count).toBe(await bruteCount(r, manager.storeId));
  });
});

describe('saved audiences', () => {
  it('saves a rule that needs a new counter: counted after the backfill job, equal to brute force', async () => {
    const r = rule({ kind: 'stage', in: ['lead', 'prospect'] }, { kind: 'behaviour', event: { types: ['call'] }, count: { op: 'gte', value: 1 }, window: { kind: 'last', days: 90 } });
    const p = await preview(r);
    expect(p.count).toBeNull();
    expect(p.missing).toHaveLength(1);
    expect(p.missing[0].description).toMatch(/电话|通话/);
    const saved = ok(await call<AudienceView>('save', { audienceId: 'aud-test-calls', name: '近期通话线索', rule: r, mode: 'dynamic', expectedVersion: 0 }));
    expect(saved.version).toBe(1);
    const job = await settledJob(stack, jobIds.audienceBackfill(manager.storeId), 120_000);
    expect(job.status).toBe('done');
    const spec = (await find<AudienceSpecDoc>('audienceSpecs', { _id: manager.storeId }))[0];
    expect(spec.readySig).toBe(spec.sig);
    const got = ok(await call<AudienceDetail>('get', { audienceId: 'aud-test-calls' }));
    expect(got.count).toBe(await bruteCount(r, manager.storeId));
    expect(got.count).toBeGreaterThan(0);
    expect((await preview(r)).missing).toEqual([]);
    const list = ok(await call<AudienceView[]>('list', {}));
    expect(list.map((a) => a.id)).toContain('aud-test-calls');
  });

  it('freezes a snapshot at save time', async () => {
    const r = rule({ kind: 'owner', in: [consultant._id] }, { kind: 'grade', in: ['B'] });
    const saved = ok(await call<AudienceView>('save', { audienceId: 'aud-test-snap', name: '张伟的B级客户', rule: r, mode: 'snapshot', expectedVersion: 0 }));
    expect(saved.count).toBe((await preview(r)).count);
    const c = await pick((x) => x.ownerId === consultant._id && x.grade === 'B');
    ok(await stack.http('customers', { action: 'setGrade', params: { customerId: c._id, grade: 'A' } }, consultantToken));
    expect(ok(await call<AudienceDetail>('get', { audienceId: 'aud-test-snap' })).count).toBe(saved.count);
    expect((await preview(r)).count).toBe(saved.count! - 1);
  });

  it("keeps another store's audiences out of reach", async () => {
    ok(await call<AudienceView>('save', { audienceId: 'aud-test-mine', name: '线索', rule: rule({ kind: 'stage', in: ['lead'] }), mode: 'dynamic', expectedVersion: 0 }));
    expect((await call('get', { audienceId: 'aud-test-mine' }, otherManagerToken)).status).toBe(404);
    expect((await call('archive', { audienceId: 'aud-test-mine' }, otherManagerToken)).status).toBe(404);
    expect((await call('save', { audienceId: 'aud-test-mine', name: '改', rule: rule({ kind: 'stage', in: ['owner'] }), mode: 'dynamic', expectedVersion: 1 }, otherManagerToken)).status).toBe(404);
    const theirs = ok(await call<AudienceView[]>('list', {}, otherManagerToken));
    expect(theirs.map((a) => a.id)).not.toContain('aud-test-mine');
    expect((await call('preview', { rule: rule({ kind: 'stage', in: ['lead'] }) }, consultantToken)).status).toBe(403);
  });
});

/**
 * The live profile through the real wx-server-sdk on the emulator: the change check the
 * sidebar polls, and the score, grade and first-contact SLA the profile carries.
 */
import type { CustomerProfile, CustomerPulse, MergeView, TrackResult } from '../../types/api';
import type { CustomerDoc, EventDoc, StaffDoc } from '../../types/model';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: StaffDoc;
let manager: StaffDoc;
let consultantToken: string;
let managerToken: string;
let mine: CustomerDoc[];

const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];
const call = <T>(action: string, params: unknown, token = consultantToken) => stack.http<T>('customers', { action, params }, token);

beforeAll(async () => {
  stack = await startTestStack();
  const staff = await find<StaffDoc>('staff', {});
  consultant = staff.filter((s) => s.role === 'consultant').sort((a, b) => a._id.localeCompare(b._id))[0];
  manager = staff.find((s) => s.role === 'manager' && s.storeId === consultant.storeId)!;
  consultantToken = await stack.signIn(consultant._id);
  managerToken = await stack.signIn(manager._id);
  mine = (await find<CustomerDoc>('customers', { ownerId: consultant._id })).sort((a, b) => a._id.localeCompare(b._id));
});

afterAll(() => stack.destroy());

describe('customers.pulse', () => {
  it('changes when a new event lands on the customer', async () => {
    const c = mine[0];
    const before = ok(await call<CustomerPulse>('pulse', { customerId: c._id }));
    expect(before).toEqual({ updatedAt: c.updatedAt, lastActivityAt: c.lastActivityAt });

    const at = stack.clock.now();
    const messageId = `pulse-${at}`;
    const res = ok(
      await stack.http<TrackResult>(
        'track',
        { action: 'ingest', params: { events: [{ messageId, event: 'wecom_chat', customerId: c._id, properties: {}, originalTimestamp: at, sentAt: at, source: 'wecom', storeId: consultant.storeId }] } },
        consultantToken,
      ),
    );
    expect(res.accepted).toEqual([messageId]);
    const after = ok(await call<CustomerPulse>('pulse', { customerId: c._id }));
    expect(after.updatedAt).toBeGreaterThan(before.updatedAt);
    expect(after.lastActivityAt).toBeGreaterThanOrEqual(at - 1000);
  });

  it("is not found for a customer the consultant does not own", async () => {
    const others = await find<CustomerDoc>('customers', { storeId: consultant.storeId });
    const notMine = others.find((c) => c.ownerId && c.ownerId !== consultant._id)!;
    const r = await call('pulse', { customerId: notMine._id });
    expect(r.status).toBe(404);
  });
});

describe('customers.profile', () => {
  it('carries the score with reasons, the grade view and the merged count', async () => {
    const withEvents: CustomerDoc[] = [];
    for (const c of mine.slice(1)) {
      if ((await find<EventDoc>('events', { customerId: c._id })).length >= 3) withEvents.push(c);
      if (withEvents.length === 2) break;
    }
    const merge = ok(await call<MergeView>('merge', { customerIds: withEvents.map((c) => c._id), reason: '同一客户' }, managerToken));
    const p = ok(await call<CustomerProfile>('profile', { customerId: merge.survivor.id }));
    expect(p.mergedCount).toBe(1);
    expect(p.score).toMatchObject({ total: expect.any(Number), fit: expect.any(Number), engagement: expect.any(Number), modelVersion: expect.any(Number) });
    expect(p.score!.total).toBeGreaterThanOrEqual(0);
    expect(p.score!.total).toBeLessThanOrEqual(100);
    for (const r of p.score!.reasons) expect(r).toMatch(/[\u4e00-\u9fa5]/);
    expect(p.gradeInfo.label).toMatch(/^[HABC]级（.+）$|^未定级$/);
    if (p.grade) expect(p.gradeInfo.grade).toBe(p.grade);
    expect(p.updatedAt).toBeGreaterThanOrEqual(p.lastActivityAt - 1);
  });

  it('shows the first-contact SLA while the owner has not contacted a newly assigned lead, and not after', async () => {
    const c = mine[mine.length - 1];
    stack.emulator.db.update('customers', { _id: c._id }, { $set: { assignedAt: stack.clock.now() - 30 * 60_000 }, $unset: { firstContactAt: '' } }, { multi: false });
    const pending = ok(await call<CustomerProfile>('profile', { customerId: c._id }));
    expect(['pending', 'due_soon']).toContain(pending.sla?.state);
    expect(pending.sla?.label).toMatch(/剩余/);

    stack.emulator.db.update('customers', { _id: c._id }, { $set: { firstContactAt: stack.clock.now() } }, { multi: false });
    const contacted = ok(await call<CustomerProfile>('profile', { customerId: c._id }));
    expect(contacted.sla).toBeUndefined();
  });

  it("shows the consultant's own grade with who set it", async () => {
    const c = mine[mine.length - 2];
    stack.emulator.db.update(
      'customers',
      { _id: c._id },
      { $set: { grade: 'A', gradeInfo: { consultant: { grade: 'A', setAt: stack.clock.now() - 60_000, by: consultant._id }, suggested: { grade: 'B', at: stack.clock.now(), score: 50 } } } },
      { multi: false },
    );
    const p = ok(await call<CustomerProfile>('profile', { customerId: c._id }));
    expect(p.gradeInfo).toEqual({ grade: 'A', source: 'consultant', label: 'A级（15天内购车）', suggested: 'B', setBy: { name: consultant.name, at: expect.any(Number) } });
  });
});

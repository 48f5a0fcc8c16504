/**
 * The ranked lead list through the real SDK on the emulator: order and paging by rank (with
 * ties and customers not scored yet), each filter, search by name and 尾号, the filter bar's
 * options, and the manager's team view.
 */
import type { LeadFilterOptions, LeadSummary, Page, TeamMember } from '../../types/api';
import type { StaffDoc, StoredCustomer } from '../../types/model';
import { chinaDayStart } from '../../cloudfunctions/_core/events/day-buckets';
import { tagById } from '../../cloudfunctions/_core/catalog';
import { ok, startTestStack, type TestStack } from '../support/stack';


let stack: TestStack;
let consultant: string;
let manager: string;
let mine: StoredCustomer[];

const HOUR = 3_600_000;
const find = async (query: object): Promise<StoredCustomer[]> => (await Promise.resolve(stack.emulator.db.find('customers', query, { limit: 100000 }))) as StoredCustomer[];
const set = (id: string, fields: object, unset: string[] = []) => stack.patchCustomer(id, fields, unset);
const byRank = (a: StoredCustomer, b: StoredCustomer) => (b.rankKey ?? -1) - (a.rankKey ?? -1) || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);
const ids = (xs: { _id: string }[]) => xs.map((x) => x._id);


beforeAll(async () => {
  stack = await startTestStack();
  [consultant, manager] = await Promise.all([stack.signIn('zhangwei'), stack.signIn('wangjianguo')]);
  mine = (await find({ ownerId: 'zhangwei' })).sort((a, b) => (a._id < b._id ? -1 : 1));
  // Ties at the top, in the middle and at zero, and customers the scorer has not reached yet.
  const keys: (number | undefined)[] = [4095, 4095, 4095, 3080, 3080, 2050, 80, 80, 0, 0, undefined, undefined, undefined];
  keys.forEach((k, i) => (k === undefined ? set(mine[i]._id, {}, ['rankKey']) : set(mine[i]._id, { rankKey: k })));
  set(mine[0]._id, {
    grade: 'H',
    score: { total: 95, fit: 40, engagement: 55, reasons: ['近30天浏览SUV内容5次，累计停留6分钟', '预约试驾'], penalties: [], at: stack.clock.now(), modelVersion: 1 },
    gradeInfo: { suggested: { grade: 'H', at: stack.clock.now(), score: 95 } },
  });
  mine = await find({ ownerId: 'zhangwei' });
});
afterAll(() => stack.destroy());

describe('ranking', () => {
  it('orders by rank, ties by id, unscored customers last, without gaps or repeats across pages', async () => {
    const expected = ids([...mine].sort(byRank));
    for (const limit of [4, 7]) {
      const leads = await stack.allLeads(consultant, { limit });
      expect(leads.map((l) => l.id)).toEqual(expected);
    }
    // rank is the default and can be asked for by name.
    const first = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { sort: 'rank', limit: 3 } }, consultant));
    expect(first.items.map((l) => l.id)).toEqual(expected.slice(0, 3));
  });

  it('shows the score, its first reason and whose grade it is on the card', async () => {
    const [top] = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { grades: ['H'], limit: 50 } }, consultant)).items.filter((l) => l.id === mine.find((c) => c.score?.total === 95)!._id);
    expect(top).toMatchObject({ grade: 'H', gradeSource: 'score', score: 95, reason: '近30天浏览SUV内容5次，累计停留6分钟' });
  });

  it('sorts by latest activity when asked', async () => {
    const leads = await stack.allLeads(consultant, { sort: 'recent', limit: 9 });
    const expected = [...mine].sort((a, b) => b.lastActivityAt - a.lastActivityAt || (a._id < b._id ? 1 : -1));
    expect(leads.map((l) => l.id)).toEqual(ids(expected));
  });

  it('shows the first-contact SLA only while a lead awaits its first contact', async () => {
    // Leads the ranking test above left alone (it set ranks on the first 13 by id).
    const ranked = new Set([...mine].sort((a, b) => (a._id < b._id ? -1 : 1)).slice(0, 13).map((c) => c._id));
    const [late, contacted, fresh] = mine.filter((c) => c.stage !== 'owner' && !ranked.has(c._id)).slice(0, 3);
    const now = stack.clock.now();
    set(late._id, { grade: 'H', assignedAt: now - 3 * HOUR }, ['firstContactAt']);
    set(contacted._id, { grade: 'H', assignedAt: now - 3 * HOUR, firstContactAt: now - 2 * HOUR });
    set(fresh._id, { grade: 'B', assignedAt: now - HOUR }, ['firstContactAt']);
    const leads = new Map((await stack.allLeads(consultant)).map((l) => [l.id, l]));
    expect(leads.get(late._id)!.sla).toEqual({ state: 'overdue', label: expect.stringMatching(/^已超时1小时\d*分?钟?，请尽快联系$/) });
    expect(leads.get(contacted._id)!.sla).toBeUndefined();
    expect(leads.get(fresh._id)!.sla).toEqual({ state: 'pending', label: expect.stringMatching(/^剩余2[23]小时/) });
  });
});

describe('filters and search', () => {
  beforeAll(async () => {
    mine = await find({ ownerId: 'zhangwei' });
  });
  const expectSame = (leads: LeadSummary[], expected: StoredCustomer[]) => {
    expect(expected.length).toBeGreaterThan(0);
    expect(leads.map((l) => l.id).sort()).toEqual(ids(expected).sort());
  };

  it('filters by grade, including leads without one, and by stage', async () => {
    expectSame(await stack.allLeads(consultant, { grades: ['H', 'A'] }), mine.filter((c) => c.grade === 'H' || c.grade === 'A'));
    expectSame(await stack.allLeads(consultant, { grades: ['none'] }), mine.filter((c) => !c.grade));
    expectSame(await stack.allLeads(consultant, { grades: ['B', 'none'] }), mine.filter((c) => !c.grade || c.grade === 'B'));
    expectSame(await stack.allLeads(consultant, { stages: ['prospect'] }), mine.filter((c) => c.stage === 'prospect'));
  });

  it('filters by a tag at any level: the leaf or one of its ancestors', async () => {
    const tagged = mine.find((c) => c.tags.length > 0)!.tags[0];
    expectSame(await stack.allLeads(consultant, { tagId: tagged.tagId }), mine.filter((c) => c.tags.some((t) => t.tagId === tagged.tagId)));
    const parent = tagged.path[tagged.path.length - 1];
    const under = mine.filter((c) => c.tags.some((t) => t.tagId === parent || t.path.includes(parent)));
    expect(under.length).toBeGreaterThanOrEqual(mine.filter((c) => c.tags.some((t) => t.tagId === tagged.tagId)).length);
    expectSame(await stack.allLeads(consultant, { tagId: parent }), under);
  });

  it('filters by model of interest and source channel, and combines filters', async () => {
    const modelId = mine.find((c) => c.vehiclesOfInterest.length)!.vehiclesOfInterest[0].modelId;
    expectSame(await stack.allLeads(consultant, { modelId }), mine.filter((c) => c.vehiclesOfInterest.some((v) => v.modelId === modelId)));
    const channel = mine[5].sourceChannel;
    expectSame(await stack.allLeads(consultant, { channel }), mine.filter((c) => c.sourceChannel === channel));
    const both = mine.filter((c) => c.sourceChannel === channel && c.stage === mine[5].stage);
    expectSame(await stack.allLeads(consultant, { channel, stages: [mine[5].stage], limit: 2 }), both);
  });

  it('finds leads by part of the name, taking the input literally', async () => {
    const target = mine[mine.length - 1];
    const part = target.name.slice(1);
    expectSame(await stack.allLeads(consultant, { q: part }), mine.filter((c) => c.name.includes(part)));
    expect(await stack.allLeads(consultant, { q: '.*' })).toEqual([]);
  });

  it('finds leads by the last four digits of the phone (尾号)', async () => {
    const target = mine.find((c) => c.identities.phone)!;
    const tail = target.identities.phone!.slice(-4);
    const expected = mine.filter((c) => (c.phoneTail ?? c.identities.phone?.slice(-4)) === tail);
    expectSame(await stack.allLeads(consultant, { q: tail }), expected);
    // A stored tail is what the search reads.
    const other = mine.find((c) => c.identities.phone && !c.identities.phone.endsWith('0000') && c._id !== target._id)!;
    set(other._id, { phoneTail: '0000' });
    expect((await stack.allLeads(consultant, { q: '0000' })).map((l) => l.id)).toContain(other._id);
  });

  it('applies the same filters to the pool', async () => {
    const pool = await find({ storeId: 'store-sh-pudong', ownerId: { $exists: false } });
    const channel = pool[0].sourceChannel;
    expectSame(await stack.allLeads(consultant, { channel, sort: 'recent' }, 'pool'), pool.filter((c) => c.sourceChannel === channel));
  });

  it('names the field of a bad filter value with HTTP 400', async () => {
    for (const [params, field] of [
      [{ tagId: 'no-such-tag' }, 'tagId'],
      [{ modelId: 'no-such-model' }, 'modelId'],
      [{ channel: 'Auto Home' }, 'channel'],
      [{ grades: ['X'] }, 'grades.0'],
      [{ sort: 'score' }, 'sort'],
      [{ q: '' }, 'q'],
    ] as const) {
      const r = await stack.http('leads', { action: 'list', params }, consultant);
      expect(r.status).toBe(400);
      expect(r.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field }] } });
    }
  });
});

describe('filter options', () => {
  it("offers the tags, models and channels in the caller's scope, most frequent first, with counts", async () => {
    mine = await find({ ownerId: 'zhangwei' });
    const opts = ok(await stack.http<LeadFilterOptions>('leads', { action: 'filters' }, consultant));
    expect(opts.tags.length).toBeGreaterThan(3);
    expect(opts.tags.length).toBeLessThanOrEqual(30);
    for (const list of [opts.tags, opts.models, opts.channels]) {
      expect(list.map((o) => o.count)).toEqual([...list.map((o) => o.count)].sort((a, b) => b - a));
      expect(list.every((o) => /[\u4e00-\u9fa5A-Za-z]/.test(o.name) && o.name !== o.id)).toBe(true);
    }
    const top = opts.tags[0];
    expect(top.name).toBe(tagById(top.id)!.name);
    expect(top.count).toBe(mine.filter((c) => c.tags.some((t) => t.tagId === top.id)).length);
    const channel = opts.channels[0];
    expect(channel.count).toBe(mine.filter((c) => c.sourceChannel === channel.id).length);
    const model = opts.models[0];
    expect(model.count).toBe(mine.filter((c) => c.vehiclesOfInterest.some((v) => v.modelId === model.id)).length);

    const store = ok(await stack.http<LeadFilterOptions>('leads', { action: 'filters' }, manager));
    const storeCount = store.channels.find((c) => c.id === channel.id)!.count;
    expect(storeCount).toBe((await find({ storeId: 'store-sh-pudong', sourceChannel: channel.id, mergedInto: { $exists: false } })).length);
  });

  it('counts each option under the other filters in force, and the pool’s when asked', async () => {
    mine = await find({ ownerId: 'zhangwei' });
    const prospects = mine.filter((c) => c.stage === 'prospect');
    const opts = ok(await stack.http<LeadFilterOptions>('leads', { action: 'filters', params: { stages: ['prospect'] } }, consultant));
    for (const m of opts.models) expect(m.count).toBe(prospects.filter((c) => c.vehiclesOfInterest.some((v) => v.modelId === m.id)).length);
    for (const ch of opts.channels) expect(ch.count).toBe(prospects.filter((c) => c.sourceChannel === ch.id).length);
    // A model picked does not narrow its own list, only the others.
    const model = opts.models[0].id;
    const withModel = ok(await stack.http<LeadFilterOptions>('leads', { action: 'filters', params: { stages: ['prospect'], modelId: model } }, consultant));
    expect(withModel.models).toEqual(opts.models);
    for (const ch of withModel.channels) {
      expect(ch.count).toBe(prospects.filter((c) => c.sourceChannel === ch.id && c.vehiclesOfInterest.some((v) => v.modelId === model)).length);
    }
    const pool = await find({ storeId: 'store-sh-pudong', ownerId: { $exists: false }, mergedInto: { $exists: false } });
    const poolOpts = ok(await stack.http<LeadFilterOptions>('leads', { action: 'filters', params: { pool: true } }, consultant));
    expect(poolOpts.channels[0].count).toBe(pool.filter((c) => c.sourceChannel === poolOpts.channels[0].id).length);
  });
});

describe('team', () => {
  it("gives the manager the store's consultants with their load and overdue first contacts", async () => {
    const staff = (await Promise.resolve(stack.emulator.db.find('staff', { storeId: 'store-sh-pudong', role: 'consultant' }))) as StaffDoc[];
    const now = stack.clock.now();
    // One of lina's leads awaits first contact past its 24-hour SLA, one got it in time.
    const linas = (await find({ ownerId: 'lina' })).filter((c) => c.stage !== 'owner');
    set(linas[0]._id, { assignedAt: now - 30 * HOUR }, ['grade', 'firstContactAt']);
    set(linas[1]._id, { assignedAt: now - 30 * HOUR, firstContactAt: now - 29 * HOUR }, ['grade']);
    const team = ok(await stack.http<TeamMember[]>('leads', { action: 'team' }, manager));
    expect(team.map((m) => m.id).sort()).toEqual(staff.filter((s) => s.active).map((s) => s._id).sort());
    const dayStart = chinaDayStart(stack.clock.now());
    for (const m of team) {
      const owned = await find({ ownerId: m.id });
      const s = staff.find((x) => x._id === m.id)!;
      expect(m).toMatchObject({ name: s.name, capacity: s.capacity, modelLines: s.modelLines, activeLeads: owned.length });
      expect(m.receivedToday).toBe(owned.filter((c) => (c.assignedAt ?? 0) >= dayStart).length);
    }
    const lina = team.find((m) => m.id === 'lina')!;
    const overdue = (await find({ ownerId: 'lina' })).filter((c) => c.assignedAt !== undefined && c.firstContactAt === undefined && c.assignedAt < now - (c.grade === 'H' || c.grade === 'A' ? 2 : 24) * HOUR);
    expect(lina.overdue).toBe(overdue.length);
    expect(lina.overdue).toBeGreaterThanOrEqual(1);

    // The manager's 只看超时 filter lists exactly those leads.
    const listed = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { ownerId: 'lina', overdue: true, limit: 50 } }, manager));
    expect(listed.items.map((l) => l.id).sort()).toEqual(overdue.map((c) => c._id).sort());
    expect(listed.items.every((l) => l.sla?.state === 'overdue')).toBe(true);
  });

  it('is for managers only', async () => {
    const r = await stack.http('leads', { action: 'team' }, consultant);
    expect(r.status).toBe(403);
  });
});

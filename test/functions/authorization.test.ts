/**
 * The authorization matrix, generated from the one table in test/support/access-table.ts:
 * every action of types/schemas.ts × every role × every kind of resource it can be pointed at,
 * through the real SDK (staff and anonymous over the HTTP gateway, the customer as a
 * mini-program user by OPENID). Each case asserts the exact outcome and then:
 * - refused or declined: nothing was written (the store's write counters, rateLimits aside);
 * - a refusal of a resource that exists reads exactly like the same refusal of an unknown one;
 * - allowed: the effect happened, and every document written belongs to the caller's store.
 * Writes that are expected to happen get fresh resources, so later cases see the seed as it was.
 */
import { settledJob } from '../support/jobs';
import { jobIds } from '../../cloudfunctions/_core/jobs';
import type { ActionName, ApiReply, FunctionName, ParsedParams, Result } from '../../types/api';
import { ErrorCodes } from '../../types/api';
import type { EventDoc, FollowUpDoc, StaffDoc, StoredCustomer } from '../../types/model';
import { schemas } from '../../types/schemas';
import type { MergeDoc } from '../../cloudfunctions/_lib/repo/merges';
import { chooseSurvivor } from '../../cloudfunctions/_core/oneid/resolve';
import { DEMO_CUSTOMERS } from '../../seed/directory';
import { ACCESS, ROLES, TARGETS, type Outcome, type Role, type Row, type TargetType } from '../support/access-table';
import { ok, startTestStack, type TestStack } from '../support/stack';
import { clientId, makeSend } from '../support/sends';

const A = 'store-sh-pudong';
/** The H5 page's device token an anonymous customer presents with a link (the mini-program's OPENID needs none). */
const DEVICE = 'authorization-matrix-device-token';
const B = 'store-sh-jiading';
const C = 'store-sz-sip';
const STORE_NAMES: Record<string, string> = { [A]: '上海浦东店', [C]: '苏州工业园区店' };
const UNKNOWN_CUSTOMER = 'cus-9999999';
/** Never a caller: a store-A consultant to send leads to and to sit in groups the caller is not in. */
const BYSTANDER = 'liuting';

interface Person {
  role: Role;
  /** Staff id or customer id. */
  id?: string;
  storeId?: string;
  openid?: string;
}
const PEOPLE: Record<Role, Person> = {
  anonymous: { role: 'anonymous' },
  customer: { role: 'customer', id: 'cus-0000001', storeId: A, openid: DEMO_CUSTOMERS[0].openid },
  consultant: { role: 'consultant', id: 'zhangwei', storeId: A },
  manager: { role: 'manager', id: 'wangjianguo', storeId: A },
  otherConsultant: { role: 'otherConsultant', id: 'zhujun', storeId: B },
  otherManager: { role: 'otherManager', id: 'xuhaiyan', storeId: B },
};
/** The staff ids the `staff` and `owner` kinds name. */
const STAFF_OF = { consultant: 'zhangwei', colleague: 'lina', otherStore: 'zhujun', unknown: 'nobody-at-all' } as const;
const isStaff = (who: Person) => who.storeId !== undefined && who.role !== 'customer';
const isConsultant = (who: Person) => who.role === 'consultant' || who.role === 'otherConsultant';


/** A customer named by a case: the id sent, and the live customer it stands for (the survivor of a merged one). */
interface CustomerRef {
  id: string;
  resolved: string;
}

/** What one case is pointed at. */
interface Target {
  kind: string;
  customers: CustomerRef[];
  /** A staff, merge, activity, chat, store or person id, or an OAuth code. */
  id?: string;
  /** For a chat: the customers whose WeCom contacts are in it. */
  members?: StoredCustomer[];
  /** Ids that may appear in a refusal: replaced before comparing it with the refusal of an unknown resource. */
  names: string[];
  /** The store a customer's writes through this resource belong to (a tracked link's). */
  storeId?: string;
}

interface Driver<F extends FunctionName, A extends ActionName<F>> {
  /** The action writes when allowed: every allowed case gets fresh resources. */
  writes?: boolean;
  /** Customers it needs (e.g. with a WeCom contact). */
  need?: (c: StoredCustomer) => boolean;
  params(t: Target, who: Person): ParsedParams<F, A> | Promise<ParsedParams<F, A>> | Record<string, unknown>;
  /** A 200 answer that says nothing was done: its reason (compared across kinds), else undefined. */
  declined?(data: Result<F, A>): string | undefined;
  /** The effect of an allowed call, within the caller's scope. */
  check?(data: Result<F, A>, t: Target, who: Person, written: Written[]): void | Promise<void>;
}
type Drivers = { [F in FunctionName]: { [A in ActionName<F>]: Driver<F, A> } };

interface Written {
  collection: string;
  id: string;
}

let stack: TestStack;
const db = () => stack.emulator.db;
const doc = <T = StoredCustomer>(collection: string, id: string) => db().findById<T>(collection, id);
const customer = (id: string) => doc<StoredCustomer>('customers', id);

// ---------- callers ----------

const tokens = new Map<string, string>();
async function tokenOf(who: Person): Promise<string> {
  const id = who.id!;
  if (!tokens.has(id)) tokens.set(id, await stack.signIn(id));
  return tokens.get(id)!;
}

/** Calls as `who`: staff and anonymous through the HTTP gateway, the customer as a mini-program user. */
async function call(who: Person, fn: string, body: unknown): Promise<{ status: number; reply: ApiReply<unknown> }> {
  if (who.role === 'customer') {
    const reply = (await stack.emulator.invoke(fn, body, { OPENID: who.openid! })) as ApiReply<unknown>;
    return { status: reply.ok ? 200 : ErrorCodes[reply.error.code], reply };
  }
  return stack.http(fn, body, who.role === 'anonymous' ? undefined : await tokenOf(who));
}
/** Setup as `who` (never a case under test): must succeed. */
async function setup<T>(who: Person, fn: string, body: unknown): Promise<T> {
  return ok((await call(who, fn, body)) as { reply: ApiReply<T> });
}

// ---------- resources, picked from the seed by shape ----------

const used = new Set<string>(DEMO_CUSTOMERS.map((_, i) => `cus-${String(i + 1).padStart(7, '0')}`));
const shared = new Map<string, Target>();

const SHAPES: Record<'own' | 'colleague' | 'pool' | 'otherStore', object> = {
  own: { storeId: A, ownerId: STAFF_OF.consultant },
  colleague: { storeId: A, ownerId: STAFF_OF.colleague },
  pool: { storeId: A, ownerId: { $exists: false } },
  otherStore: { storeId: B, ownerId: STAFF_OF.otherStore },
};

/** Unused live customers of a shape, marked used. */
function take(shape: keyof typeof SHAPES, n: number, need: (c: StoredCustomer) => boolean = () => true): StoredCustomer[] {
  const rows = db()
    .find<StoredCustomer>('customers', { ...SHAPES[shape], mergedInto: { $exists: false } }, { sort: { _id: 1 } })
    .filter((c) => !used.has(c._id) && need(c))
    .slice(0, n);
  if (rows.length < n) throw new Error(`not enough ${shape} customers left in the seed`);
  for (const c of rows) used.add(c._id);
  return rows;
}
const ref = (c: StoredCustomer): CustomerRef => ({ id: c._id, resolved: c._id });

/** A colleague's customer merged (by the manager) into one of the consultant's: its id now stands for the survivor. */
async function mergedAway(need: (c: StoredCustomer) => boolean): Promise<CustomerRef> {
  const owns = db().find<StoredCustomer>('customers', { ...SHAPES.own, mergedInto: { $exists: false } }, { sort: { _id: 1 } }).filter((c) => !used.has(c._id));
  for (const gone of db().find<StoredCustomer>('customers', { ...SHAPES.colleague, mergedInto: { $exists: false } }, { sort: { _id: 1 } })) {
    if (used.has(gone._id) || !need(gone)) continue;
    // OneID keeps the customer with the strongest identifier, then the oldest: pick a pair it keeps the own one of.
    const survivor = owns.find((c) => chooseSurvivor([c, gone])._id === c._id);
    if (!survivor) continue;
    used.add(gone._id).add(survivor._id);
    // The merged customer's owner is the owner of the one updated last: make that the own one.
    stack.patchCustomer(survivor._id, { updatedAt: stack.clock.now() });
    const merge = await setup<Result<'customers', 'merge'>>(PEOPLE.manager, 'customers', { action: 'merge', params: { customerIds: [survivor._id, gone._id], reason: '同一人' } });
    expect(merge.survivor.id).toBe(survivor._id);
    expect(customer(survivor._id)!.ownerId).toBe(STAFF_OF.consultant);
    return { id: gone._id, resolved: survivor._id };
  }
  throw new Error('no colleague’s customer left that OneID would merge into an own one');
}

/** A merge record of a store: two of its consultant's customers merged by its manager. */
async function mergeRecord(store: 'store' | 'otherStore'): Promise<string> {
  const shape = store === 'store' ? 'own' : 'otherStore';
  const manager = store === 'store' ? PEOPLE.manager : PEOPLE.otherManager;
  const pair = take(shape, 2);
  return (await setup<Result<'customers', 'merge'>>(manager, 'customers', { action: 'merge', params: { customerIds: pair.map((c) => c._id), reason: '同一人' } })).id;
}

/** A pool customer merged (by the manager) into another one that stays in the pool. */
async function mergedInPool(need: (c: StoredCustomer) => boolean): Promise<CustomerRef> {
  const [gone] = take('pool', 1, need);
  const [other] = take('pool', 1);
  const merge = await setup<Result<'customers', 'merge'>>(PEOPLE.manager, 'customers', { action: 'merge', params: { customerIds: [other._id, gone._id], reason: '同一人' } });
  const survivor = merge.survivor.id;
  expect(customer(survivor)!.ownerId).toBeUndefined();
  return { id: survivor === gone._id ? other._id : gone._id, resolved: survivor };
}

async function customerOf(kind: string, need: (c: StoredCustomer) => boolean): Promise<CustomerRef> {
  if (kind === 'unknown') return { id: UNKNOWN_CUSTOMER, resolved: UNKNOWN_CUSTOMER };
  if (kind === 'merged') return mergedAway(need);
  if (kind === 'mergedPool') return mergedInPool(need);
  return ref(take(kind as keyof typeof SHAPES, 1, need)[0]);
}

const withRefs = (kind: string, customers: CustomerRef[], extra: Partial<Target> = {}): Target => ({ kind, customers, names: customers.map((c) => c.id), ...extra });

async function makeTarget(type: TargetType, kind: string, who: Person, need: (c: StoredCustomer) => boolean): Promise<Target> {
  switch (type) {
    case 'customer':
    case 'contact':
      return withRefs(kind, [await customerOf(kind, need)]);
    case 'event':
      return withRefs(kind, [await customerOf(kind === 'elsewhere' ? 'own' : kind, need)], kind === 'elsewhere' ? { id: C } : {});
    case 'pair': {
      const pair =
        kind === 'mixed'
          ? [ref(take('own', 1)[0]), ref(take('otherStore', 1)[0])]
          : kind === 'merged' || kind === 'mergedPool' || kind === 'unknown'
            ? [await customerOf(kind, need), ref(take('own', 1)[0])]
            : take(kind as keyof typeof SHAPES, 2).map(ref);
      return withRefs(kind, pair);
    }
    case 'reassign': {
      const to = { toConsultant: BYSTANDER, toManager: PEOPLE.manager.id!, toOtherStore: STAFF_OF.otherStore, toUnknown: STAFF_OF.unknown }[kind as 'toConsultant'];
      if (to) return withRefs(kind, [ref(take('own', 1)[0])], { id: to, names: [to] });
      return withRefs(kind, [await customerOf(kind, need)], { id: 'pool' });
    }
    case 'staff':
    case 'owner': {
      const id = kind === 'omitted' ? undefined : STAFF_OF[kind as keyof typeof STAFF_OF];
      return { kind, customers: [], ...(id ? { id } : {}), names: id ? [id] : [] };
    }
    case 'chat': {
      if (kind === 'unknown') return { kind, customers: [], id: 'wrUnknownGroupChat0000000000', names: ['wrUnknownGroupChat0000000000'] };
      const members: StoredCustomer[] = [];
      for (const k of ['own', 'colleague', 'pool', 'otherStore'] as const) members.push(customer((await targetFor('contact', k, who, false, hasContact)).customers[0].id)!);
      const chatId = stack.wecom.registerGroupChat({
        name: '授权矩阵群',
        members: [kind === 'member' && who.id && isStaff(who) ? who.id : BYSTANDER],
        externalContacts: members.map((c) => c.identities.externalUserId!),
      });
      return { kind, customers: members.map(ref), id: chatId, members, names: [chatId] };
    }
    case 'merge': {
      const id = kind === 'unknown' ? 'merge-unknown-0000' : await mergeRecord(kind as 'store' | 'otherStore');
      return { kind, customers: [], id, names: [id] };
    }
    case 'task': {
      if (kind === 'unknown') return { kind, customers: [], id: 'task-unknown-0000', names: ['task-unknown-0000'] };
      const shape = kind as 'own' | 'colleague' | 'otherStore';
      const [c] = take(shape, 1);
      const id = `authz-task/${kind}/${++seq}`;
      db().insertOne('tasks', { _id: id, storeId: c.storeId, ownerId: c.ownerId, customerId: c._id, kind: 'next_follow_up', title: '下次跟进', dueAt: stack.clock.now() + 3_600_000, status: 'open', createdAt: stack.clock.now() - 60_000, completesOn: ['call'] });
      return { kind, customers: [], id, names: [id] };
    }
    case 'material': {
      const id = { unknown: `mat-authz-new-${++seq}`, brand: 'mat-001', store: 'mat-pd-p1', otherStore: 'mat-jd-p1' }[kind as 'brand'];
      return { kind, customers: [], id, names: [id] };
    }
    case 'audience': {
      if (kind === 'unknown') return { kind, customers: [], id: `aud-authz-new-${++seq}`, names: [] };
      const id = `aud-authz-${kind}-${++seq}`;
      const storeId = kind === 'store' ? A : B;
      const at = stack.clock.now() - 60_000;
      db().insertOne('audiences', { _id: id, storeId, name: '授权矩阵人群', rule: { version: 1, root: { kind: 'stage', in: ['lead'] } }, mode: 'dynamic', status: 'active', version: 1, description: '线索', count: 0, countedAt: at, createdBy: 'import', createdAt: at, updatedBy: 'import', updatedAt: at });
      return { kind, customers: [], id, names: [id] };
    }
    case 'strategy': {
      if (kind === 'unknown') return { kind, customers: [], id: `str-authz-new-${++seq}`, names: [] };
      const id = `str-authz-${kind}-${++seq}`;
      insertStrategy(id, kind === 'store' ? A : B);
      return { kind, customers: [], id, names: [id] };
    }
    case 'activity': {
      const id = { unknown: 'act-unknown', store: 'act-suv-weekend', otherStore: 'act-nev-tasting' }[kind as 'store'];
      return { kind, customers: [], id, names: [id] };
    }
    case 'link': {
      const { link } = makeSend(stack, { customerId: PEOPLE.customer.id!, storeId: A, consultantId: 'zhangwei', activityId: 'act-suv-weekend' });
      const [sendId, mac] = link.split('.');
      const token = kind === 'forged' ? `${sendId}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}` : link;
      return { kind, customers: [], id: token, names: [token, sendId], storeId: A };
    }
    case 'storeFilter':
      return { kind, customers: [], ...(kind === 'omitted' ? {} : { id: kind === 'store' ? A : C }), names: [] };
    case 'person': {
      const id = { unknown: 'nobody-at-all', staff: 'chenxiaodong', customer: 'cus-0000002' }[kind as 'staff'];
      return { kind, customers: [], id, names: [id] };
    }
    case 'code': {
      const id =
        kind === 'invalid' ? `made-up-oauth-code-${++seq}` : kind === 'member' ? stack.wecom.issueCode('chenxiaodong') : kind === 'notStaff' ? stack.wecom.issueCode('not-on-sidekick') : stack.wecom.issueOutsiderCode();
      return { kind, customers: [], id, names: [id] };
    }
  }
}

/** A store's snapshot audience (no members) and, with an id, a draft strategy on it. */
function audienceFor(storeId: string): string {
  const id = `aud-authz-snap-${storeId}`;
  const at = stack.clock.now() - 60_000;
  if (!doc('audiences', id)) db().insertOne('audiences', { _id: id, storeId, name: '授权矩阵快照', rule: { version: 1, root: { kind: 'stage', in: ['lead'] } }, mode: 'snapshot', status: 'active', version: 1, description: '线索', count: 0, countedAt: at, snapshotAt: at, createdBy: 'import', createdAt: at, updatedBy: 'import', updatedAt: at });
  return id;
}
function insertStrategy(id: string, storeId: string): void {
  const at = stack.clock.now() - 60_000;
  db().insertOne('strategies', { _id: id, storeId, name: '授权矩阵策略', audienceId: audienceFor(storeId), materialId: 'mat-001', channel: 'wecom_chat', window: strategyWindow(), rules: [], holdoutPercent: 0, status: 'draft', version: 1, createdBy: 'import', createdAt: at, updatedBy: 'import', updatedAt: at });
}
const strategyWindow = () => ({ startAt: stack.clock.now() - 86_400_000, endAt: stack.clock.now() + 7 * 86_400_000, fromMinute: 600, toMinute: 1200 });

/** The resources of a case: fresh when the case is expected to write, else the same ones for every role. */
async function targetFor(type: TargetType, kind: string, who: Person, fresh: boolean, need: (c: StoredCustomer) => boolean): Promise<Target> {
  // OAuth codes are single-use and chats name their member: always made for the case.
  if (fresh || type === 'code' || type === 'chat') return makeTarget(type, kind, who, need);
  const key = `${type}/${kind}/${need.name}`;
  if (!shared.has(key)) shared.set(key, await makeTarget(type, kind, who, need));
  return shared.get(key)!;
}
const anyCustomer = () => true;
const hasContact = (c: StoredCustomer) => !!c.identities.externalUserId;

// ---------- what was written ----------

/** Committed writes per collection, sign-in counters aside (any attempt may count). */
function counts(): Record<string, number> {
  const c = db().writeCounts();
  delete c.rateLimits;
  return c;
}

/** Collections of the platform, not of any store: sign-in counters and WeCom's token cache. */
const PLATFORM = new Set(['rateLimits', 'wecomTokens']);

function storeOf(w: Written): string | undefined {
  if (w.collection === 'scoringModels' || w.collection === 'allocationCursors' || w.collection === 'audienceSpecs' || w.collection === 'stores') return w.id;
  if (w.collection === 'customerStates') return customer(w.id)?.storeId;
  return doc<{ storeId?: string }>(w.collection, w.id)?.storeId;
}

// ---------- how each action is called and checked ----------

let seq = 0;
const staffOrStoreA = (who: Person) => (isStaff(who) ? who.storeId! : A);
const history = (id: string) => [id, ...(customer(id)?.mergedIds ?? [])];
const otherGrade = (id: string) => (customer(id)?.gradeInfo?.consultant?.grade === 'B' ? 'C' : 'B');

const DRIVERS: Drivers = {
  auth: {
    me: {
      params: () => ({}),
      check: (me, _t, who) => expect(me.id).toBe(who.id),
    },
    demoPeople: {
      params: () => ({}),
      check: (stores) => expect(stores.map((s) => s.id).sort()).toEqual([A, B, C].sort()),
    },
    demoSignIn: {
      params: (t) => ({ personId: t.id! }),
      check: (grant, t) => expect(grant.me.id).toBe(t.id),
    },
    wecomSignIn: {
      params: (t) => ({ code: t.id! }),
      check: (grant) => expect(grant.me.id).toBe('chenxiaodong'),
    },
    jsapiConfig: {
      params: () => ({ url: 'https://sidebar.example.com/#/pages/sidebar/index' }),
      check: (c) => expect(c.config.signature).toMatch(/^[0-9a-f]{40}$/),
    },
    signOutEverywhere: {
      writes: true,
      params: (t) => (t.id ? { staffId: t.id } : {}),
      check: (r, t, who, written) => {
        const target = t.id ?? who.id!;
        expect(r.staffId).toBe(target);
        expect(written).toContainEqual({ collection: 'staff', id: target });
      },
    },
  },
  leads: {
    list: {
      params: (t) => ({ limit: 50, ...(t.id ? { ownerId: t.id } : {}) }),
      check: (page, t, who) => {
        for (const item of page.items) {
          const c = customer(item.id)!;
          expect(c).toMatchObject({ storeId: who.storeId });
          expect(c.mergedInto).toBeUndefined();
          if (isConsultant(who)) expect(c.ownerId).toBe(who.id);
          if (t.id) expect(c.ownerId).toBe(t.id);
        }
        if (t.kind === 'omitted') expect(page.items.length).toBeGreaterThan(0);
      },
    },
    pool: {
      params: () => ({ limit: 50 }),
      check: (page, _t, who) => {
        expect(page.items.length).toBeGreaterThan(0);
        for (const item of page.items) {
          expect(customer(item.id)!.storeId).toBe(who.storeId);
          expect(customer(item.id)!.ownerId).toBeUndefined();
        }
      },
    },
    claim: {
      writes: true,
      params: (t) => ({ customerId: t.customers[0].id }),
      declined: (r) => (r.claimed ? undefined : r.code),
      check: (r, t, who) => {
        expect(r.claimed).toBe(true);
        expect(customer(t.customers[0].resolved)?.ownerId).toBe(who.id);
      },
    },
    filters: {
      params: () => ({}),
      check: (f, _t, who) => {
        const scope = db().count('customers', { storeId: who.storeId, mergedInto: { $exists: false }, ...(isConsultant(who) ? { ownerId: who.id } : {}) });
        expect(f.channels.reduce((n, c) => n + c.count, 0)).toBeLessThanOrEqual(scope);
      },
    },
    team: {
      params: () => ({}),
      check: (team, _t, who) => {
        expect(team).toHaveLength(5);
        for (const m of team) expect(doc<StaffDoc>('staff', m.id)).toMatchObject({ storeId: who.storeId, role: 'consultant' });
      },
    },
    reassign: {
      writes: true,
      params: (t) => ({ customerIds: t.customers.map((c) => c.id), to: t.id!, reason: '授权矩阵' }),
      declined: (r) => (r.moved.length ? undefined : JSON.stringify(r.refused.map((x) => x.message))),
      check: (r, t) => {
        expect(r.moved).toEqual([t.customers[0].id]);
        expect(customer(t.customers[0].resolved)?.ownerId).toBe(t.id === 'pool' ? undefined : t.id);
      },
    },
  },
  customers: {
    profile: {
      params: (t) => ({ customerId: t.customers[0].id }),
      check: (p, t, who) => {
        expect(p.id).toBe(t.customers[0].resolved);
        // The full phone only for the consultant who owns the customer.
        if (!isConsultant(who)) expect(p.phone).toBeUndefined();
      },
    },
    timeline: {
      params: (t) => ({ customerId: t.customers[0].id, limit: 50 }),
      check: (page, t, who) => {
        const ids = history(t.customers[0].resolved);
        expect(page.items.length).toBeGreaterThan(0);
        for (const item of page.items) {
          const e = doc<EventDoc>('events', item.id)!;
          expect(ids).toContain(e.customerId);
          expect(e.storeId).toBe(who.storeId);
        }
      },
    },
    byExternalUserId: {
      need: hasContact,
      params: (t) => ({ externalUserId: t.kind === 'unknown' ? 'wmUnknownContact0000000000000000' : (customer(t.customers[0].id)!.identities.externalUserId ?? customer(t.customers[0].resolved)!.identities.externalUserId!) }),
      check: (r, t) => expect(r.customerId).toBe(t.customers[0].resolved),
    },
    firstScreen: {
      params: (t) => ({ customerId: t.customers[0].id, timelineLimit: 50, followUpsLimit: 50 }),
      check: (r, t, who) => {
        const ids = history(t.customers[0].resolved);
        expect(r.customerId).toBe(t.customers[0].resolved);
        expect(r.profile.id).toBe(t.customers[0].resolved);
        if (!isConsultant(who)) expect(r.profile.phone).toBeUndefined();
        expect(r.timeline.items.length).toBeGreaterThan(0);
        for (const item of r.timeline.items) expect(ids).toContain(doc<EventDoc>('events', item.id)!.customerId);
        for (const item of r.followUps.items) expect(ids).toContain(doc<FollowUpDoc>('followUps', item.id)!.customerId);
      },
    },
    byExternalChat: {
      params: (t) => ({ chatId: t.id! }),
      check: (group, t, who) => {
        // The caller's customers among the members (a manager's: the store's), the others only counted.
        const visible = t.members!.filter((c) => c.storeId === who.storeId && (!isConsultant(who) || c.ownerId === who.id)).map((c) => c._id);
        expect(group.customers.map((c) => c.id).sort()).toEqual(visible.sort());
        expect(group.othersCount).toBe(t.members!.length - visible.length);
      },
    },
    pulse: {
      params: (t) => ({ customerId: t.customers[0].id }),
      check: (p, t) => expect(p.updatedAt).toBe(customer(t.customers[0].resolved)!.updatedAt),
    },
    followUps: {
      params: (t) => ({ customerId: t.customers[0].id, limit: 50 }),
      check: (page, t) => {
        const ids = history(t.customers[0].resolved);
        for (const item of page.items) expect(ids).toContain(doc<FollowUpDoc>('followUps', item.id)!.customerId);
      },
    },
    followUp: {
      writes: true,
      params: (t) => ({ customerId: t.customers[0].id, messageId: `authz-fu-${++seq}`, kind: 'note', note: '授权矩阵回访' }),
      check: (r, t, who) => {
        expect(r.created).toBe(true);
        const f = doc<FollowUpDoc>('followUps', r.followUp.id)!;
        expect(f.storeId).toBe(who.storeId);
        // Recorded on the live customer whose scope was checked, not on a merged-away record.
        expect(f.customerId).toBe(t.customers[0].resolved);
        expect(customer(t.customers[0].resolved)!.lastFollowUpAt).toBe(f.at);
      },
    },
    setGrade: {
      writes: true,
      params: (t) => ({ customerId: t.customers[0].id, grade: otherGrade(t.customers[0].resolved) }),
      check: (r, t) => {
        // The grade lands on the live customer, the one whose scope was checked.
        expect(customer(t.customers[0].resolved)!.gradeInfo?.consultant?.grade).toBe(r.grade);
      },
    },
    merges: {
      params: () => ({ limit: 50 }),
      check: (page, _t, who) => {
        for (const m of page.items) expect(doc<MergeDoc>('merges', m.id)!.storeId).toBe(who.storeId);
      },
    },
    merge: {
      writes: true,
      params: (t) => ({ customerIds: t.customers.map((c) => c.id), reason: '同一人' }),
      check: (m, t) => {
        const ids = t.customers.map((c) => c.id);
        expect(ids).toContain(m.survivor.id);
        for (const id of ids.filter((x) => x !== m.survivor.id)) expect(customer(id)!.mergedInto).toBe(m.survivor.id);
      },
    },
    undoMerge: {
      writes: true,
      params: (t) => ({ mergeId: t.id!, reason: '误合并' }),
      check: (m) => {
        expect(m.undone).toBeDefined();
        for (const c of m.merged) expect(customer(c.id)!.mergedInto).toBeUndefined();
      },
    },
    withdrawConsent: {
      writes: true,
      params: (t) => {
        // The customer consented to sharing with the OEM (set before the call: not the case's write).
        const id = t.customers[0].resolved;
        if (customer(id)) stack.patchCustomer(id, { consent: { oem_sharing: { granted: true, at: stack.clock.now() - 86_400_000, noticeVersion: 'oem-2025-02', channel: 'oem' } } });
        return { customerId: t.customers[0].id, purpose: 'oem_sharing' };
      },
      declined: (r) => (r.changed ? undefined : 'already withdrawn'),
      check: (r, t, who, written) => {
        expect(r).toMatchObject({ purpose: 'oem_sharing', granted: false, changed: true });
        expect(customer(t.customers[0].resolved)!.consent?.oem_sharing?.granted).toBe(false);
        const entry = written.find((w) => w.collection === 'consents');
        expect(doc<{ storeId: string; recordedBy: string }>('consents', entry!.id)).toMatchObject({ storeId: who.storeId, recordedBy: who.id });
      },
    },
  },
  oemSync: {
    status: {
      params: () => ({}),
      check: (r) => expect(r).toMatchObject({ configured: true, queued: expect.any(Number), dead: expect.any(Number) }),
    },
    deadLetters: {
      params: () => ({ limit: 50 }),
      check: (page, _t, who) => {
        for (const d of page.items) expect(doc<{ storeId: string }>('oemOutbox', d.id)!.storeId).toBe(who.storeId);
      },
    },
    replay: {
      writes: true,
      params: () => {
        // A dead letter in each of stores A and B (set before the call).
        for (const storeId of [A, B]) {
          const id = `evt:matrix-dead-${storeId}-${++seq}`;
          db().insertOne('oemOutbox', { _id: id, customerId: `matrix-${storeId}`, storeId, seq: 1, kind: 'event', item: { type: 'track', messageId: id, event: 'store_visit', properties: {}, context: { storeId } }, status: 'dead', attempts: 8, nextAt: 0, createdAt: stack.clock.now(), lastError: { code: 'timeout', message: 'x', at: 0 } });
        }
        return { all: true };
      },
      check: (r, _t, who) => {
        expect(r.queued).toBeGreaterThan(0);
        // The caller's store's dead letters are queued again; the other store's stay dead.
        expect(db().count('oemOutbox', { storeId: who.storeId, status: 'dead' })).toBe(0);
        expect(db().count('oemOutbox', { storeId: who.storeId === A ? B : A, status: 'dead' })).toBeGreaterThan(0);
      },
    },
  },
  jobs: {},
  scoring: {
    job: {
      params: () => ({}),
      // Each manager sees their own store's rescore (none started yet in the matrix, or one setModel began).
      check: (r) => expect(r === null || typeof r === 'object').toBe(true),
    },
    model: {
      params: () => ({}),
      check: (r, _t, who) => expect(r.model.version).toBe(doc<{ model: { version: number } }>('scoringModels', who.storeId!)?.model.version ?? 1),
    },
    setModel: {
      writes: true,
      async params(_t, who) {
        const store = staffOrStoreA(who);
        const { model } = await setup<Result<'scoring', 'model'>>(store === A ? PEOPLE.manager : PEOPLE.otherManager, 'scoring', { action: 'model', params: {} });
        return { model: { ...model, name: `授权矩阵 ${++seq}` }, expectedVersion: model.version };
      },
      check: async (r, _t, who) => {
        expect(doc<{ model: { version: number } }>('scoringModels', who.storeId!)?.model.version).toBe(r.model.version);
        // The rescore it started runs on in the background: let it finish inside this case.
        await settledJob(stack, jobIds.storeRescore(who.storeId!));
      },
    },
  },
  track: {
    ingest: {
      writes: true,
      params: (t, who) => {
        const at = stack.clock.now();
        return {
          events: [{ messageId: `authz-ev-${++seq}`, event: 'store_visit', properties: { durationMinutes: 20 }, originalTimestamp: at, source: 'store', storeId: t.id ?? staffOrStoreA(who), customerId: t.customers[0].id }],
        };
      },
      declined: (r) => (r.accepted.length ? undefined : JSON.stringify(r.rejected.map((x) => x.issues))),
      check: (r, t, who) => {
        expect(r.accepted).toHaveLength(1);
        const e = doc<EventDoc>('events', r.accepted[0])!;
        expect(e.storeId).toBe(who.storeId);
        expect(e.customerId).toBe(t.customers[0].resolved);
      },
    },
  },
  tasks: {
    inbox: {
      params: () => ({}),
      check: (inbox, _t, who) => {
        const items = inbox.byDue.flatMap((s) => s.items);
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) expect(customer(item.customer.id)).toMatchObject({ storeId: who.storeId, ownerId: who.id });
      },
    },
    complete: {
      writes: true,
      params: (t) => ({ taskId: t.id! }),
      check: (r, t, who) => {
        expect(r).toEqual({ taskId: t.id, done: true });
        expect(doc<{ status: string; doneBy: string }>('tasks', t.id!)).toMatchObject({ status: 'done', doneBy: who.id });
      },
    },
    schedule: {
      writes: true,
      params: (t) => ({ taskId: `authz-${++seq}-next`, customerId: t.customers[0].id, kind: 'next_follow_up', at: stack.clock.now() + 86_400_000, note: '授权矩阵回访' }),
      check: (r, t, who, written) => {
        expect(r.customer.id).toBe(t.customers[0].resolved);
        const task = written.find((w) => w.collection === 'tasks');
        expect(doc<{ ownerId: string; customerId: string }>('tasks', task!.id)).toMatchObject({ ownerId: who.id, customerId: t.customers[0].resolved });
      },
    },
  },
  strategies: {
    list: { params: () => ({}), check: (list, _t, who) => { for (const x of list) expect(doc<{ storeId: string }>('strategies', x.id)!.storeId).toBe(who.storeId); } },
    get: { params: (t) => ({ strategyId: t.id! }), check: (v, t) => expect(v.id).toBe(t.id) },
    save: {
      writes: true,
      params: (t, who) => ({ strategyId: t.id!, expectedVersion: doc<{ version: number }>('strategies', t.id!)?.version ?? 0, name: '授权矩阵策略', audienceId: audienceFor(who.storeId!), materialId: 'mat-001', channel: 'wecom_chat', window: strategyWindow(), rules: [{ id: 'r1', when: { kind: 'not_opened', hours: 24 }, then: [{ kind: 'reinvite', max: 1 }] }] }),
      check: (v, t, who) => {
        expect(v).toMatchObject({ id: t.id, status: 'draft' });
        expect(doc<{ storeId: string }>('strategies', t.id!)!.storeId).toBe(who.storeId);
      },
    },
    issue: {
      writes: true,
      params: (t) => ({ strategyId: t.id! }),
      check: (r, t, who) => {
        expect(r.strategy).toMatchObject({ id: t.id, status: 'issued' });
        expect(doc<{ storeId: string }>('strategies', t.id!)!.storeId).toBe(who.storeId);
      },
    },
    progress: { params: (t) => ({ strategyId: t.id! }), check: (p, t) => expect(p.strategy.id).toBe(t.id) },
    home: { params: () => ({}), check: (h) => expect(h.kpis.activeLeads).toBeGreaterThan(0) },
  },
  materials: {
    list: {
      params: () => ({}),
      check: (list, _t, who) => {
        expect(list.length).toBeGreaterThan(0);
        for (const m of list) expect([undefined, who.storeId]).toContain(doc<{ storeId?: string }>('materials', m.id)!.storeId);
      },
    },
    save: {
      writes: true,
      params: (t) => ({ materialId: t.id!, kind: 'script', title: '授权矩阵话术', body: '您好，这是一条测试话术，请忽略。' }),
      check: (m, t, who) => {
        expect(m).toMatchObject({ id: t.id, storeOwned: true });
        expect(doc<{ storeId: string }>('materials', t.id!)!.storeId).toBe(who.storeId);
      },
    },
    archive: {
      writes: true,
      params: (t) => ({ materialId: t.id!, archived: false }),
      check: (m, t) => expect(m).toMatchObject({ id: t.id, archived: false }),
    },
  },
  sends: {
    send: {
      writes: true,
      params: (t, who) => ({ sendId: `authzSend${String(++seq).padStart(14, '0')}`, customerId: t.customers[0].id, materialId: who.storeId === B ? 'mat-jd-s2' : 'mat-pd-s2', channel: 'copy' }),
      declined: (r) => (r.sent ? undefined : r.code),
      check: (r, t, who) => {
        expect(r.sent).toBe(true);
        if (!r.sent) return;
        expect(doc<{ storeId: string; customerId: string; consultantId: string }>('sends', r.sendId)).toMatchObject({ storeId: who.storeId, customerId: t.customers[0].resolved, consultantId: who.id });
      },
    },
    batch: {
      writes: true,
      params: (t, who) => ({ materialId: who.storeId === B ? 'mat-jd-s2' : 'mat-pd-s2', channel: 'copy', items: [{ sendId: `authzBatch${String(++seq).padStart(14, '0')}`, customerId: t.customers[0].id }] }),
      declined: (r) => (r.sent.length ? undefined : JSON.stringify(r.skipped)),
      check: (r, t) => expect(r.sent.map((s) => s.customerId)).toEqual([t.customers[0].id]),
    },
    ofCustomer: {
      params: (t) => ({ customerId: t.customers[0].id }),
      check: (list, t) => {
        for (const s of list) expect(history(t.customers[0].resolved)).toContain(doc<{ customerId: string }>('sends', s.id)!.customerId);
      },
    },
    cap: {
      params: () => ({}),
      check: (r, _t, who) => expect(r).toMatchObject(doc<{ frequencyCap?: object }>('stores', who.storeId!)?.frequencyCap ?? { touches: 2, days: 7, isDefault: true }),
    },
    setCap: {
      writes: true,
      // The default again (so later cases see the seed's cap), stored as the store's own.
      params: () => ({ touches: 2, days: 7 }),
      check: (r, _t, who) => {
        expect(r).toEqual({ touches: 2, days: 7, isDefault: false });
        expect(doc<{ frequencyCap?: object }>('stores', who.storeId!)?.frequencyCap).toEqual({ touches: 2, days: 7 });
      },
    },
  },
  audiences: {
    preview: {
      params: () => ({ rule: { version: 1, root: { kind: 'stage', in: ['lead', 'prospect'] } } }),
      check: (r, _t, who) => {
        expect(r.count).toBeGreaterThan(0);
        expect(r.count).toBe(db().select('customers', { storeId: who.storeId, stage: { $in: ['lead', 'prospect'] }, mergedInto: { $exists: false } }).length);
      },
    },
    save: {
      writes: true,
      params: (t) => ({ audienceId: t.id!, name: '授权矩阵人群', rule: { version: 1, root: { kind: 'grade', in: ['H'] } }, mode: 'dynamic', expectedVersion: doc<{ version: number }>('audiences', t.id!)?.version ?? (t.kind === 'unknown' ? 0 : 1) }),
      check: (a, t, who) => {
        expect(a.id).toBe(t.id);
        expect(doc<{ storeId: string }>('audiences', t.id!)!.storeId).toBe(who.storeId);
      },
    },
    list: {
      params: () => ({}),
      check: (list, _t, who) => {
        for (const a of list) expect(doc<{ storeId: string }>('audiences', a.id)!.storeId).toBe(who.storeId);
      },
    },
    get: {
      params: (t) => ({ audienceId: t.id! }),
      check: (a, t) => expect(a.id).toBe(t.id),
    },
    archive: {
      writes: true,
      params: (t) => ({ audienceId: t.id! }),
      check: (a, t) => expect(a).toMatchObject({ id: t.id, status: 'archived' }),
    },
  },
  activities: {
    open: { writes: true, params: (t) => ({ link: t.id!, device: DEVICE, visitId: clientId() }), check: (o) => expect(o.activity.id).toBe('act-suv-weekend') },
    beat: { writes: true, params: (t) => ({ link: t.id!, device: DEVICE, visitId: clientId(), seconds: 15 }), check: (r) => expect(r.tracked).toBe(false) },
    share: { writes: true, params: (t) => ({ link: t.id!, device: DEVICE, shareId: clientId() }), check: (r) => expect(r.tracked).toBe(false) },
    consent: {
      writes: true,
      params: (t) => ({ link: t.id!, device: DEVICE, granted: false, noticeVersion: 'invite-2025-03' }),
      check: (r) => expect(r).toMatchObject({ purpose: 'tracking', granted: false }),
    },
    register: {
      writes: true,
      params: (t) => ({ activityId: 'act-suv-weekend', link: t.id!, device: DEVICE, name: '李明', phone: '13800000001' }),
      check: (r) => expect(r.registered).toBe(true),
    },
    cancel: {
      writes: true,
      // A place to give back, taken as the same person first.
      params: async (t, who) => {
        if (t.kind === 'valid' && !isStaff(who)) await setup(who, 'activities', { action: 'register', params: { activityId: 'act-suv-weekend', link: t.id!, device: DEVICE, name: '李明', phone: '13800000001' } });
        return { activityId: 'act-suv-weekend', link: t.id!, device: DEVICE };
      },
      check: (r) => expect(r.status).toBe('cancelled'),
    },
    // Reading them names the link's recipient on first sight (a write of the link's store).
    mine: { writes: true, params: (t) => ({ link: t.id!, device: DEVICE }), check: (r) => expect(r.known).toBe(true) },
    get: {
      params: (t) => ({ activityId: t.id! }),
      check: (a, t) => expect(a.id).toBe(t.id),
    },
    upcoming: {
      params: (t) => (t.id ? { storeId: t.id } : {}),
      check: (list, t) => {
        expect(list.length).toBeGreaterThan(0);
        if (t.id) for (const a of list) expect(a.storeName).toBe(STORE_NAMES[t.id]);
      },
    },
  },
};

// ---------- the matrix ----------

const actionsOf = (table: object) => Object.entries(table).flatMap(([fn, actions]) => Object.keys(actions as object).map((a) => `${fn}.${a}`)).sort();
const rowOf = (fn: string, action: string): Row | undefined => (ACCESS as Record<string, Record<string, Row>>)[fn]?.[action];
const driverOf = (fn: string, action: string) => (DRIVERS as unknown as Record<string, Record<string, Driver<FunctionName, never>>>)[fn]?.[action];
const kindsOf = (row: Row): readonly (string | undefined)[] => (row.target ? TARGETS[row.target] : [undefined]);
function expected(row: Row, role: Role, kind: string | undefined): Outcome {
  const cell = row.expect[role] as Outcome | Record<string, Outcome>;
  return typeof cell === 'string' ? cell : cell[kind!];
}
/** Whether the customer is one the caller may see (refused for another reason, it need not read like unknown). */
function inReach(who: Person, c: CustomerRef): boolean {
  const live = customer(c.resolved);
  return !!live && isStaff(who) && live.storeId === who.storeId && (!isConsultant(who) || live.ownerId === who.id);
}
/** Kinds whose refusal is about something else than the resource being unknown. */
const OWN_REASON = new Set(['elsewhere', 'omitted', 'toConsultant', 'toManager', 'toOtherStore', 'toUnknown']);

beforeAll(async () => {
  // Consultants hold a dozen live leads each in a small demo; the table takes dozens of them per person.
  stack = await startTestStack({ customers: 4000 });
  // WeCom's access token is cached in the database on first use: fill the cache before any case.
  await setup(PEOPLE.manager, 'auth', { action: 'jsapiConfig', params: { url: 'https://sidebar.example.com/' } });
});
afterAll(() => stack.destroy());

test('every action of types/schemas.ts has a row in the access table and a driver here', () => {
  const actions = actionsOf(schemas);
  expect(actionsOf(ACCESS)).toEqual(actions);
  expect(actionsOf(DRIVERS)).toEqual(actions);
  for (const name of actions) {
    const row = rowOf(...(name.split('.') as [string, string]))!;
    for (const role of ROLES) {
      const cell = row.expect[role];
      if (typeof cell !== 'string') expect([name, role, Object.keys(cell).sort()]).toEqual([name, role, [...TARGETS[row.target!]].sort()]);
    }
  }
});

/** Normalised refusals of the `unknown` kind, per action and role. */
const unknownAnswer = new Map<string, string>();

for (const name of actionsOf(schemas)) {
  const [fn, action] = name.split('.') as [FunctionName, string];
  const row = rowOf(fn, action);
  const drv = driverOf(fn, action);
  if (!row || !drv) continue; // the coverage test above names it
  describe(name, () => {
    for (const role of ROLES) {
      for (const kind of kindsOf(row)) {
        const outcome = expected(row, role, kind);
        test(`${role}${kind ? ` × ${kind}` : ''} → ${outcome}`, async () => {
          const who = PEOPLE[role];
          const t = row.target
            ? await targetFor(row.target, kind!, who, !!drv.writes && outcome === 'ok', drv.need ?? anyCustomer)
            : { kind: '', customers: [], names: [] };
          const params = await drv.params(t, who);
          // Lead counters are made from a count when first read (ADR 0008): start every case
          // without them, so a refusal that makes one is caught.
          db().remove('consultantLoads', {}, { multi: true });
          const before = counts();
          const written: Written[] = [];
          const stop = db().onWrite((collection, id) => collection !== 'rateLimits' && written.push({ collection, id }));
          let res: Awaited<ReturnType<typeof call>>;
          try {
            res = await call(who, fn, { action, params });
          } finally {
            stop();
          }
          // Revoked sessions: sign in again in the next case.
          if (name === 'auth.signOutEverywhere') tokens.clear();
          const { status, reply } = res;
          const declined = reply.ok ? drv.declined?.(reply.data as never) : undefined;
          const actual: Outcome = !reply.ok ? (reply.error.code as Outcome) : declined !== undefined ? 'declined' : 'ok';
          const wantStatus = outcome === 'ok' || outcome === 'declined' ? 200 : ErrorCodes[outcome];
          // The reply's message rides along so a failure shows it.
          const message = reply.ok ? undefined : reply.error.message;
          expect({ outcome: actual, status, message }).toEqual({ outcome, status: wantStatus, message });

          if (outcome !== 'ok') {
            expect(written).toEqual([]);
            expect(counts()).toEqual(before);
            // Out of reach reads exactly like unknown: the same answer once the ids sent are masked.
            const text = reply.ok ? declined! : JSON.stringify(reply.error);
            const normal = t.names.reduce((s, n) => s.split(n).join('<id>'), text);
            const key = `${name}/${role}/${outcome}`;
            if (kind === 'unknown') unknownAnswer.set(key, normal);
            else if (kind && !OWN_REASON.has(kind) && !(t.customers.length && t.customers.every((c) => inReach(who, c))) && unknownAnswer.has(key)) {
              expect(normal).toBe(unknownAnswer.get(key));
            }
            return;
          }
          if (!reply.ok) throw new Error('unreachable: checked above');
          // Allowed: everything written belongs to the caller's store (for a customer or anonymous: only
          // through a tracked link, to the link's store; nothing otherwise).
          const outOfStore = written.filter((w) => !PLATFORM.has(w.collection) && (isStaff(who) ? storeOf(w) !== who.storeId : t.storeId === undefined || storeOf(w) !== t.storeId));
          expect(outOfStore).toEqual([]);
          // A read writes nothing but the lead counters it made from a count.
          if (!drv.writes) expect(written.filter((w) => !PLATFORM.has(w.collection) && w.collection !== 'consultantLoads')).toEqual([]);
          await drv.check?.(reply.data as never, t, who, written);
        });
      }
    }
  });
}

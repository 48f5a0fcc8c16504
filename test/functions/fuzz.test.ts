/**
 * Property-based fuzzing of every function through the real SDK, with fast-check: for each
 * function, RUNS generated calls, one at a time, mostly over the HTTP gateway (as the H5 app,
 * with real, forged and tampered sessions, foreign origins, other methods, raw bodies) and some
 * as a mini-program user (`invoke` with a customer's, a staff member's, an unknown or no OPENID).
 * Calls mix known and made-up actions, missing, extra and wrong-typed params, huge strings,
 * unicode, prototype keys, nested arrays, numbers as strings, timer-shaped bodies and valid
 * params aimed at what the caller may not touch (another store's customers, staff and merges;
 * a colleague's customers).
 *
 * None of the generated calls is an in-scope write, so for every call:
 * - the answer is an ApiReply with a known error code and its HTTP status, never a 5xx;
 * - nothing was written (the store's per-collection write counters, sign-in counters aside;
 *   the caches functions fill on first use, WeCom's token and the lead counters, are filled first);
 * - nothing leaked onto Object.prototype in this process (the functions run in it);
 * and around each function's run the content hash of every collection is unchanged.
 * The seed is fixed; fast-check prints it with the shrunk counterexample on failure. To explore
 * further: SIDEKICK_FUZZ_SEED=<n> SIDEKICK_FUZZ_RUNS=<n> npx jest test/functions/fuzz.test.ts.
 */
import fc from 'fast-check';
import type { ApiReply, ErrorCode, FunctionName } from '../../types/api';
import { ErrorCodes } from '../../types/api';
import type { CustomerDoc, StaffDoc } from '../../types/model';
import { schemas, touchpointTypes } from '../../types/schemas';
import { DEMO_CUSTOMERS } from '../../seed/directory';
import { HIGH_INTENT_ACTIVE, SUV_TEST_DRIVE } from '../../cloudfunctions/_core/audiences/templates';
import { ok, startTestStack, type TestStack } from '../support/stack';

const SEED = Number(process.env.SIDEKICK_FUZZ_SEED ?? 20250317);
const RUNS = Math.max(1000, Number(process.env.SIDEKICK_FUZZ_RUNS ?? 1000));

const A = 'store-sh-pudong';
const B = 'store-sh-jiading';
const C = 'store-sz-sip';

let stack: TestStack;
const db = () => stack.emulator.db;

/** Ids the generated calls aim at, gathered from the seed in beforeAll. */
const pools = {
  /** Customers of stores B and C, and ids nobody has. */
  foreignCustomers: [] as string[],
  /** A colleague's customers (store A, 李娜's): out of reach for the consultant, readable by the manager. */
  colleagueCustomers: [] as string[],
  foreignStaff: [] as string[],
  foreignContacts: [] as string[],
  foreignMerges: [] as string[],
  /** The seed's tasks of other stores' consultants. */
  foreignTasks: [] as string[],
  chats: [] as string[],
  people: [] as string[],
  /** The store's scoring model as the app would send it back. */
  model: {} as Record<string, unknown>,
};
/** Store A's staff: a signOutEverywhere naming one of them (or nobody: oneself) would be an in-scope write. */
let storeAStaff = new Set<string>();
const tokens: Record<'consultant' | 'manager' | 'customer', string> = { consultant: '', manager: '', customer: '' };
const openids = { customer: DEMO_CUSTOMERS[0].openid, consultant: '', manager: '', unknown: 'oUnknownOpenid000000000000000' };

// ---------- values ----------

/** Tracked-link tokens that are not ours: the right shape with a made-up signature, or junk. */
const forgedLink = fc.oneof(
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{22}$/), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)).map(([id, mac]) => `${id}.${mac}`),
  fc.string({ maxLength: 90 }),
);
const device = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{24}$/), fc.string({ maxLength: 70 }));
const clientIdArb = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{16}$/), fc.string({ maxLength: 70 }));

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const TRICKY = [
  '', ' ', '\u0000', '\ud800', '\u202e', '💥', '张伟', 'null', 'undefined', 'true', '[]', '{}', '{"$gt":""}', '$where', '../../etc/passwd', '%00', '<script>', 'a'.repeat(65), '尾'.repeat(129),
  ...PROTO_KEYS,
];
const NUMBERISH = ['-1', '0', '1', 'NaN', 'Infinity', '-Infinity', '1e309', '0x10', ' 7 ', '1_000', '9007199254740993', '-0', '1.5'];
const NUMBERS = [-1, 0, 0.5, -0, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER + 2, 86_401, 10_000_001];

/** A JSON value with own `__proto__` / `constructor` keys (JSON.parse makes them plain own properties). */
const polluting = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}},"a":1}',
  '[{"__proto__":{"polluted":"yes"}}]',
).map((text) => JSON.parse(text) as unknown);

const huge = fc.constantFrom(1_000, 100_000, 1_100_000).map((n) => 'x'.repeat(n));
const str = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 6, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERISH) },
  { weight: 1, arbitrary: huge },
);
const num = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(...NUMBERS));
const scalar = fc.oneof(str, num, fc.boolean(), fc.constant(null));
const nestedArray = fc.integer({ min: 1, max: 60 }).map((depth) => {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v, depth];
  return v;
});
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: nestedArray },
  { weight: 2, arbitrary: polluting },
  { weight: 3, arbitrary: fc.dictionary(fc.oneof(str, fc.constantFrom(...PROTO_KEYS)), scalar, { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 300 }) },
);

// ---------- valid params aimed out of scope ----------

const pick = (list: () => string[]) => fc.nat().map((i) => list()[i % list().length]);
const foreignCustomer = pick(() => pools.foreignCustomers);
/** Out of reach for the consultant, in reach of the manager: only for reads and consultant-only writes. */
const anyCustomer = fc.oneof(foreignCustomer, pick(() => pools.colleagueCustomers));
const foreignStaff = pick(() => pools.foreignStaff);
const cursor = fc.option(fc.oneof(str, fc.constantFrom('eyJ2IjoxLCJpZCI6ImN1cy0wMDAwMDAxIn0', 'W10', '!!!')), { nil: undefined });
const limit = fc.option(fc.oneof(fc.integer({ min: 1, max: 50 }), num), { nil: undefined });
const messageId = fc.stringMatching(/^fuzz-[A-Za-z0-9_.:-]{4,40}$/);
const reason = fc.oneof(fc.constant('同一人'), str);
const leadFilters = fc.record(
  {
    cursor,
    limit,
    sort: fc.constantFrom('rank', 'recent'),
    grades: fc.uniqueArray(fc.constantFrom('H', 'A', 'B', 'C', 'none'), { maxLength: 5 }),
    stages: fc.uniqueArray(fc.constantFrom('lead', 'prospect', 'owner'), { maxLength: 3 }),
    tagId: fc.constantFrom('intent-horizon-d7', 'vehicle_pref-body-suv', 'intent', 'nope'),
    modelId: fc.constantFrom('lanyue', 'tuyao', 'yunyi', 'nope'),
    channel: fc.constantFrom('autohome', 'store', 'douyin_live', 'nope'),
    q: fc.oneof(fc.stringMatching(/^\d{4}$/), fc.constantFrom('张', '李娜', '%', '.*')),
    overdue: fc.boolean(),
  },
  { requiredKeys: [] },
);
const followUpKinds = fc.oneof(
  fc.record({ kind: fc.constant('call'), outcome: fc.constantFrom('connected', 'no_answer', 'busy', 'wrong_number'), durationSeconds: fc.integer({ min: 0, max: 86_400 }) }),
  fc.record({ kind: fc.constant('visit'), durationMinutes: fc.integer({ min: 1, max: 720 }) }),
  fc.record({ kind: fc.constant('test_drive'), modelId: fc.constantFrom('lanyue', 'nope') }),
  fc.record({ kind: fc.constant('quote'), modelId: fc.constant('lanyue'), price: fc.integer({ min: 0, max: 10_000_000 }) }),
  fc.record({ kind: fc.constant('order'), modelId: fc.constant('lanyue'), price: fc.integer({ min: 0, max: 10_000_000 }), deposit: fc.integer({ min: 0, max: 50_000 }) }),
  fc.record({ kind: fc.constant('lost'), reason: fc.constantFrom('price', 'other', 'bought_competitor') }),
  fc.record({ kind: fc.constant('note'), note: fc.constantFrom('回访', '💥') }),
);
const at = (offsetMs: number) => stack.clock.now() + offsetMs;
const trackEvent = fc.record(
  {
    messageId,
    event: fc.constantFrom(...touchpointTypes),
    identities: fc.record({ phone: fc.stringMatching(/^1[3-9]\d{9}$/), externalUserId: pick(() => pools.foreignContacts), oemId: fc.constantFrom('LS000000000001') }, { requiredKeys: [] }),
    customerId: foreignCustomer,
    properties: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()), { maxKeys: 4 }),
    originalTimestamp: fc.integer({ min: -86_400_000, max: 0 }).map(at),
    source: fc.constantFrom('store', 'wecom', 'autohome'),
    // Never the caller's store: an event there could make a new lead.
    storeId: fc.constantFrom(B, C, 'store-nowhere'),
    staffId: foreignStaff,
  },
  { requiredKeys: ['messageId', 'event', 'originalTimestamp', 'source', 'storeId'] },
);

/** Every path to a value inside `v` (object keys and array indexes). */
function pathsOf(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}
/** A copy of `v` with the value at one of its paths (chosen by `n`) replaced. */
function replaceDeep(v: unknown, n: number, value: unknown): unknown {
  const paths = pathsOf(v).filter((p) => p.length > 0);
  if (!paths.length) return value;
  const path = paths[n % paths.length];
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}
/** Valid data with one value somewhere inside swapped for junk. */
const brokenDeep = <T>(valid: fc.Arbitrary<T>) => fc.tuple(valid, fc.nat(), junk).map(([v, n, j]) => replaceDeep(v, n, j));

type ParamsArb = fc.Arbitrary<Record<string, unknown>>;
const VALID: { [F in FunctionName]: { [A in keyof (typeof schemas)[F]]: ParamsArb } } = {
  auth: {
    me: fc.constant({}),
    demoPeople: fc.constant({}),
    demoSignIn: fc.record({ personId: pick(() => pools.people) }),
    wecomSignIn: fc.record({ code: fc.oneof(str, fc.stringMatching(/^[A-Za-z0-9]{16,40}$/)) }),
    jsapiConfig: fc.record({ url: fc.oneof(fc.webUrl(), fc.constantFrom('https://sidebar.example.com/#/pages/sidebar/index')) }),
    signOutEverywhere: fc.record({ staffId: fc.oneof(foreignStaff, fc.constant('nobody-at-all')) }),
  },
  leads: {
    list: fc.tuple(leadFilters, fc.option(fc.oneof(foreignStaff, fc.constant('lina')), { nil: undefined })).map(([f, ownerId]) => ({ ...f, ...(ownerId ? { ownerId } : {}) })),
    pool: leadFilters,
    claim: fc.record({ customerId: anyCustomer }),
    filters: fc.constant({}),
    team: fc.constant({}),
    reassign: fc.record({
      customerIds: fc.array(foreignCustomer, { minLength: 1, maxLength: 5 }),
      to: fc.oneof(fc.constant('pool'), foreignStaff, fc.constant('nobody-at-all')),
      reason: fc.option(str, { nil: undefined }),
    }),
  },
  customers: {
    profile: fc.record({ customerId: anyCustomer }),
    timeline: fc.record({ customerId: anyCustomer, cursor, limit, types: fc.array(fc.constantFrom(...touchpointTypes), { maxLength: 4 }) }, { requiredKeys: ['customerId'] }),
    byExternalUserId: fc.record({ externalUserId: fc.oneof(pick(() => pools.foreignContacts), fc.constant('wmUnknownContact0000000000000000')) }),
    firstScreen: fc.oneof(
      fc.record({ customerId: anyCustomer, timelineLimit: limit, followUpsLimit: limit }, { requiredKeys: ['customerId'] }),
      fc.record({ externalUserId: fc.oneof(pick(() => pools.foreignContacts), fc.constant('wmUnknownContact0000000000000000')) }),
    ),
    byExternalChat: fc.record({ chatId: fc.oneof(pick(() => pools.chats), fc.stringMatching(/^wr[A-Za-z0-9_-]{10,30}$/)) }),
    pulse: fc.record({ customerId: anyCustomer }),
    followUps: fc.record({ customerId: anyCustomer, cursor, limit }, { requiredKeys: ['customerId'] }),
    followUp: fc
      .tuple(fc.record({ customerId: anyCustomer, messageId, at: fc.option(fc.integer({ min: -8 * 86_400_000, max: 120_000 }).map(at), { nil: undefined }), note: fc.option(str, { nil: undefined }) }), followUpKinds)
      .map(([base, kind]) => ({ ...base, ...kind })),
    setGrade: fc.record({ customerId: anyCustomer, grade: fc.constantFrom('H', 'A', 'B', 'C', null) }),
    merges: fc.record({ cursor, limit }, { requiredKeys: [] }),
    merge: fc.record({ customerIds: fc.array(foreignCustomer, { minLength: 2, maxLength: 5 }), reason }),
    undoMerge: fc.record({ mergeId: fc.oneof(pick(() => pools.foreignMerges), fc.constant('merge-nowhere')), reason }),
    // Other stores' customers only: a colleague's customer is the manager's to record a withdrawal for
    // (a purpose with no record yet, e.g. contact, is then a real ledger entry: an in-scope write).
    withdrawConsent: fc.record({ customerId: foreignCustomer, purpose: fc.constantFrom('contact', 'tracking', 'oem_sharing', 'marketing') }),
  },
  // The seed has no dead letters: a replay in scope finds nothing to queue.
  oemSync: {
    status: fc.constant({}),
    deadLetters: fc.record({ cursor, limit }, { requiredKeys: [] }),
    replay: fc.oneof(fc.constant({ all: true }), fc.record({ ids: fc.array(fc.oneof(str, fc.constant('evt:nowhere')), { minLength: 1, maxLength: 3 }) }), fc.constant({ all: false })),
  },
  // Not an app action: what a job continuation carries, sent by a client (it must be refused).
  jobs: { continue: fc.record({ jobId: fc.constantFrom('rescore:all', 'recycle:all', 'rescore:store:store-sh-pudong') }) },
  scoring: {
    model: fc.constant({}),
    job: fc.constant({}),
    // A model object (valid or not) with a version that is never the stored one.
    setModel: fc.record({
      model: fc.oneof(
        { weight: 1, arbitrary: fc.constant(null).map(() => pools.model) },
        // The model the app would send back, broken somewhere deep inside.
        { weight: 4, arbitrary: brokenDeep(fc.constant(null).map(() => pools.model)) },
        { weight: 1, arbitrary: fc.dictionary(str, scalar, { maxKeys: 3 }) },
      ),
      expectedVersion: fc.constantFrom(999, 1000),
    }),
  },
  track: {
    ingest: fc.record({ events: fc.array(fc.oneof({ weight: 4, arbitrary: trackEvent }, { weight: 2, arbitrary: brokenDeep(trackEvent) }, { weight: 1, arbitrary: junk }), { minLength: 1, maxLength: 4 }) }),
  },
  tasks: {
    // The seed's tasks of other stores' consultants, and ids nobody has.
    inbox: fc.constant({}),
    complete: fc.record({ taskId: fc.oneof(pick(() => pools.foreignTasks), fc.constant('task-nowhere'), str) }),
    schedule: fc.record({ taskId: fc.stringMatching(/^fuzz-[A-Za-z0-9]{4,20}$/), customerId: anyCustomer, kind: fc.constantFrom('next_follow_up', 'appointment'), appointment: fc.constantFrom('test_drive', 'store_visit'), at: fc.integer({ min: -86_400_000, max: 100 * 86_400_000 }).map(at), note: str }, { requiredKeys: ['taskId', 'customerId', 'kind', 'at'] }),
  },
  materials: {
    list: fc.record({ kind: fc.constantFrom('script', 'invitation', 'nope'), archived: fc.boolean() }, { requiredKeys: [] }),
    // Only the brand's and other stores' materials: a save or archive of one's own would be an in-scope write.
    save: fc.record({ materialId: fc.constantFrom('mat-001', 'mat-jd-s1', 'mat-sz-i1'), kind: fc.constantFrom('script', 'invitation', 'poster'), title: str, summary: str, body: str, activityId: fc.constantFrom('act-nev-tasting', 'act-mpv-day', 'act-nowhere') }, { requiredKeys: ['materialId', 'kind', 'title'] }),
    archive: fc.record({ materialId: fc.constantFrom('mat-001', 'mat-jd-s1', 'mat-sz-i1', 'mat-nowhere'), archived: fc.boolean() }),
  },
  sends: {
    send: fc.record({ sendId: fc.stringMatching(/^[A-Za-z0-9_-]{22,30}$/), customerId: anyCustomer, materialId: fc.constantFrom('mat-pd-s1', 'mat-jd-s1', 'mat-001'), channel: fc.constantFrom('wecom_chat', 'copy', 'wecom_mass'), taskId: fc.option(pick(() => pools.foreignTasks), { nil: undefined }) }, { requiredKeys: ['sendId', 'customerId', 'materialId', 'channel'] }),
    batch: fc.record({ materialId: fc.constantFrom('mat-pd-s1', 'mat-jd-s1'), channel: fc.constantFrom('wecom_mass', 'copy'), items: fc.array(fc.record({ sendId: fc.stringMatching(/^[A-Za-z0-9_-]{22,30}$/), customerId: anyCustomer }), { minLength: 1, maxLength: 3 }) }),
    ofCustomer: fc.record({ customerId: anyCustomer }),
    cap: fc.constant({}),
    // Never a cap the schema takes (that would be an in-scope write): both fields out of range,
    // fractional or not numbers, so a variant that swaps one of them for junk stays invalid.
    setCap: fc.record({ touches: fc.constantFrom(0, -1, 11, 2.5, 1e9, '2', null), days: fc.constantFrom(0, 31, 6.5, -7, '7', null) }),
  },
  // Other stores' strategies and ids nobody has; a save names another store's audience or a broken rule tree.
  strategies: {
    list: fc.constant({}),
    get: fc.record({ strategyId: fc.constantFrom('str-fuzz-other', 'str-nowhere') }),
    save: fc.record({
      strategyId: fc.constantFrom('str-fuzz-other', 'str-nowhere'),
      expectedVersion: fc.constantFrom(0, 1, 7),
      name: str,
      audienceId: fc.constantFrom('aud-fuzz-other', 'aud-nowhere'),
      materialId: fc.constantFrom('mat-001', 'mat-jd-s1', 'mat-nowhere'),
      channel: fc.constantFrom('wecom_chat', 'wecom_mass', 'sms'),
      window: brokenDeep(fc.constant({ startAt: 0, endAt: 86_400_000, fromMinute: 600, toMinute: 1200 })),
      rules: fc.oneof(brokenDeep(fc.constant([{ id: 'a', when: { kind: 'opened' }, then: [{ kind: 'call', slaHours: 4 }], next: [{ id: 'b', when: { kind: 'not_registered', hours: 48 }, then: [{ kind: 'move', strategyId: 'str-fuzz-other' }] }] }])), fc.constant([])),
      holdoutPercent: fc.integer({ min: -5, max: 80 }),
    }, { requiredKeys: ['strategyId', 'expectedVersion', 'name', 'audienceId', 'materialId', 'channel', 'window'] }),
    issue: fc.record({ strategyId: fc.constantFrom('str-fuzz-other', 'str-nowhere') }),
    progress: fc.record({ strategyId: fc.constantFrom('str-fuzz-other', 'str-nowhere') }),
    home: fc.constant({}),
  },
  // Other stores' audiences and ids nobody has; previews only read (a rule, valid or broken deep inside).
  audiences: {
    preview: fc.record({ rule: fc.oneof(fc.constant(HIGH_INTENT_ACTIVE), brokenDeep(fc.constant(SUV_TEST_DRIVE)), fc.dictionary(str, scalar, { maxKeys: 3 })), sample: fc.integer({ min: -1, max: 30 }) }, { requiredKeys: ['rule'] }),
    save: fc.record({ audienceId: fc.constantFrom('aud-fuzz-other', 'aud-nowhere'), name: str, rule: brokenDeep(fc.constant(SUV_TEST_DRIVE)), mode: fc.constantFrom('dynamic', 'snapshot', 'nope'), expectedVersion: fc.constantFrom(1, 7) }),
    list: fc.constant({}),
    get: fc.record({ audienceId: fc.constantFrom('aud-fuzz-other', 'aud-nowhere') }),
    archive: fc.record({ audienceId: fc.constantFrom('aud-fuzz-other', 'aud-nowhere') }),
  },
  activities: {
    get: fc.record({ activityId: fc.constantFrom('act-suv-weekend', 'act-nev-tasting', 'act-nowhere') }),
    upcoming: fc.record({ storeId: fc.constantFrom(A, B, C, 'store-nowhere') }, { requiredKeys: [] }),
    // The customer's side with links that are not ours (made up, or a real-looking one re-signed): always refused.
    open: fc.record({ link: forgedLink, device, visitId: clientIdArb }, { requiredKeys: ['link', 'visitId'] }),
    beat: fc.record({ link: forgedLink, device, visitId: clientIdArb, seconds: fc.integer({ min: -5, max: 90_000 }), final: fc.boolean() }, { requiredKeys: ['link', 'visitId', 'seconds'] }),
    share: fc.record({ link: forgedLink, device, shareId: clientIdArb, target: fc.constantFrom('friend', 'moments', 'group', 'everyone') }, { requiredKeys: ['link', 'shareId'] }),
    consent: fc.record({ link: forgedLink, device, granted: fc.boolean(), noticeVersion: fc.constantFrom('invite-2025-03', '') }, { requiredKeys: ['link', 'granted', 'noticeVersion'] }),
    register: fc.record(
      { activityId: fc.constantFrom('act-suv-weekend', 'act-nev-tasting', 'act-nowhere'), link: forgedLink, device, name: fc.constantFrom('李明', ''), phone: fc.constantFrom('13800000001', '1234'), phoneCode: fc.constantFrom('made-up-code'), party: fc.integer({ min: 0, max: 9 }) },
      { requiredKeys: ['activityId', 'link'] },
    ),
    cancel: fc.record({ activityId: fc.constantFrom('act-suv-weekend', 'act-nowhere'), link: forgedLink, device }, { requiredKeys: ['activityId', 'link'] }),
    // Without a link it only reads (the caller's own registrations).
    mine: fc.record({ link: forgedLink, device }, { requiredKeys: [] }),
  },
};

/** Valid params, then maybe broken: a key dropped, an extra (or prototype) key, a value swapped for junk. */
function paramsFor(fn: FunctionName, action: string): fc.Arbitrary<unknown> {
  const valid = (VALID[fn] as Record<string, ParamsArb>)[action];
  return fc.oneof(
    { weight: 5, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.nat(), fc.oneof(str, fc.constantFrom(...PROTO_KEYS)), junk).map(([p, i, key, value]) => {
        const keys = Object.keys(p);
        const copy: Record<string, unknown> = { ...p };
        const mode = i % 3;
        if (mode === 0 && keys.length) delete copy[keys[i % keys.length]];
        else if (mode === 1 && keys.length) copy[keys[i % keys.length]] = value;
        else Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
        return copy;
      }),
    },
    { weight: 2, arbitrary: junk },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

// ---------- calls ----------

type Via =
  | { kind: 'http'; method: string; authorization?: string; origin?: string }
  | { kind: 'invoke'; openid?: string };
interface FuzzCall {
  fn: FunctionName;
  via: Via;
  /** The event, or for HTTP a raw body that is not JSON of an object. */
  body: unknown;
  raw?: string;
}

/** Session tokens (read when the call is made): real ones, and the ways a forged one can look. */
type Lazy = () => string;
const authorization: fc.Arbitrary<Lazy | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 8, arbitrary: fc.constantFrom('consultant', 'manager', 'consultant', 'manager', 'customer').map((r): Lazy => () => `Bearer ${tokens[r]}`) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('consultant', 'manager', 'customer'), fc.nat(), fc.constantFrom('flip', 'append', 'swap', 'truncate')).map(
      ([r, i, how]): Lazy =>
        () => {
          const t = tokens[r];
          const [payload, sig] = t.split('.');
          const at = i % t.length;
          const forged = {
            flip: t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1),
            append: `${t}.x`,
            swap: `${sig}.${payload}`,
            truncate: t.slice(0, t.length - 1 - (i % 5)),
          }[how];
          return `Bearer ${forged}`;
        },
    ),
  },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9_-]{10,60}\.[A-Za-z0-9_-]{43}$/)).map((x): Lazy => () => `Bearer ${x}`) },
  { weight: 1, arbitrary: fc.constantFrom('Basic Zm9vOmJhcg==', 'bearer abc', 'Bearer', 'Bearer  x', '', 'Token abc').map((x): Lazy => () => x) },
);
const viaHttp = fc.record({
  method: fc.oneof({ weight: 20, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') }),
  authorization,
  origin: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1:1') }),
});
const viaInvoke = fc.constantFrom<keyof typeof openids | undefined>('customer', 'consultant', 'manager', 'unknown', undefined);
/** Mostly the H5 app over HTTP; one call in four as a mini-program user. */
const via: fc.Arbitrary<() => Via> = fc.oneof(
  { weight: 3, arbitrary: viaHttp.map((h) => (): Via => ({ kind: 'http', method: h.method, ...(h.authorization ? { authorization: h.authorization() } : {}), ...(h.origin ? { origin: h.origin } : {}) })) },
  { weight: 1, arbitrary: viaInvoke.map((k) => (): Via => ({ kind: 'invoke', ...(k ? { openid: openids[k] } : {}) })) },
);

/** A real session or a vouched OPENID: staff of store A or its demo customer. */
const signedIn: fc.Arbitrary<() => Via> = fc.oneof(
  fc.constantFrom('consultant', 'manager', 'customer').map((r) => (): Via => ({ kind: 'http', method: 'POST', authorization: `Bearer ${tokens[r]}` })),
  fc.constantFrom('consultant', 'manager', 'customer').map((r) => (): Via => ({ kind: 'invoke', openid: openids[r] })),
);

const RAW_BODIES = ['', 'not json', '{', '{"action":', '[]', '[1,2]', 'null', '"x"', '123', 'true', '{"action":"me"}garbage', '\ufeff{}'];

function callFor(fn: FunctionName): fc.Arbitrary<FuzzCall> {
  // A function without app actions (jobs) is fuzzed with its internal one, which no client may call.
  const known = Object.keys(schemas[fn]).length ? Object.keys(schemas[fn]) : ['continue'];
  const action = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: str },
    { weight: 1, arbitrary: junk },
  );
  const body = fc.tuple(action, fc.nat()).chain(([a, i]) => {
    const params = typeof a === 'string' && known.includes(a) ? paramsFor(fn, a) : junk;
    return fc.tuple(params, fc.nat({ max: 19 })).map(([p, extra]): unknown => {
      const b: Record<string, unknown> = { action: a, params: p };
      if (i % 17 === 0) delete b.action;
      // Timer-shaped bodies and forged identities the platform, not the body, must decide.
      if (extra === 0) Object.assign(b, { Type: 'Timer', TriggerName: 'recycle', Time: new Date(0).toISOString() });
      if (extra === 1) b.TriggerName = 'nightly-rescore';
      if (extra === 2) b.userInfo = { openId: openids.manager, appId: 'wx0000' };
      if (extra === 3) Object.assign(b, { OPENID: openids.manager, token: tokens.manager, staffId: 'wangjianguo', role: 'manager' });
      if (extra === 4) Object.defineProperty(b, '__proto__', { value: { polluted: 'yes' }, enumerable: true, configurable: true, writable: true });
      return b;
    });
  });
  const payload = fc.oneof(
    { weight: 15, arbitrary: body.map((b) => ({ body: b })) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({ body: undefined, raw })) },
  );
  const chaos = fc.tuple(via, payload).map(([v, b]) => ({ via: v, ...b }));
  // A quarter of the calls are well formed from a signed-in caller, aimed at what they may not touch.
  const aimed = fc
    .tuple(signedIn, fc.constantFrom(...known))
    .chain(([v, a]) => (VALID[fn] as Record<string, ParamsArb>)[a].map((params) => ({ via: v, body: { action: a, params } as unknown })));
  return fc.oneof({ weight: 3, arbitrary: chaos }, { weight: 1, arbitrary: aimed }).map((c) => neutralise({ fn, ...c, via: c.via() }));
}

/**
 * The few valid calls a generator can still make that would be in-scope writes become
 * out-of-scope ones: signing oneself (or a colleague) out everywhere names another store's staff.
 */
function neutralise(c: FuzzCall): FuzzCall {
  const b = c.body as { action?: unknown; params?: unknown } | undefined;
  if (c.fn !== 'auth' || b?.action !== 'signOutEverywhere') return c;
  const parsed = schemas.auth.signOutEverywhere.safeParse(b.params ?? {});
  if (!parsed.success || (parsed.data.staffId !== undefined && !storeAStaff.has(parsed.data.staffId))) return c;
  return { ...c, body: { ...b, params: { staffId: pools.foreignStaff[0] } } };
}

function isApiReply(x: unknown): x is ApiReply<unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { ok?: unknown; data?: unknown; error?: { code?: unknown; message?: unknown; issues?: unknown } };
  if (r.ok === true) return 'data' in r;
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false;
  const { code, message, issues } = r.error;
  return typeof code === 'string' && code in ErrorCodes && typeof message === 'string' && (issues === undefined || Array.isArray(issues));
}

/**
 * On `activities` the demo customer acts on their own data (consent, a place, without a link:
 * in-scope writes the fuzzer cannot tell from refused ones; the authorization matrix and
 * invite.test cover them): there the customer's OPENID and session are a stranger's.
 */
function asStranger(c: FuzzCall): FuzzCall {
  if (c.fn !== 'activities') return c;
  if (c.via.kind === 'invoke' && c.via.openid === openids.customer) return { ...c, via: { ...c.via, openid: openids.unknown } };
  if (c.via.kind === 'http' && c.via.authorization === `Bearer ${tokens.customer}`) return { ...c, via: { ...c.via, authorization: undefined } };
  return c;
}

/** Sends the call; returns the reply and the HTTP status it came with (for `invoke`, the status its code maps to). */
async function send(call: FuzzCall): Promise<{ status: number; reply: unknown }> {
  const c = asStranger(call);
  if (c.via.kind === 'invoke') {
    const event = c.body !== null && typeof c.body === 'object' && !Array.isArray(c.body) ? c.body : {};
    const reply = await stack.emulator.invoke(c.fn, event, c.via.openid ? { OPENID: c.via.openid } : {});
    return { status: isApiReply(reply) && !reply.ok ? ErrorCodes[reply.error.code] : 200, reply };
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.via.authorization !== undefined) headers.authorization = c.via.authorization;
  if (c.via.origin) headers.origin = c.via.origin;
  const hasBody = c.via.method !== 'GET';
  const res = await fetch(`${stack.url}/fn/${c.fn}`, { method: c.via.method, headers, ...(hasBody ? { body: c.raw ?? JSON.stringify(c.body ?? null) } : {}) });
  const text = await res.text();
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    reply = { notJson: text.slice(0, 200) };
  }
  return { status: res.status, reply };
}

// ---------- the database, unchanged ----------

function counts(): Record<string, number> {
  const c = db().writeCounts();
  delete c.rateLimits;
  return c;
}
function contentHash(): Record<string, string> {
  return Object.fromEntries(db().collectionNames().filter((n) => n !== 'rateLimits').map((n) => [n, db().contentHash(n)]));
}

const SERVER_ERRORS = new Set<ErrorCode>(['INTERNAL', 'CONFIG', 'UPSTREAM']);

/** What is wrong with one call's outcome, or undefined. */
function wrongWith(status: number, reply: unknown, before: Record<string, number>): string | undefined {
  if (!isApiReply(reply)) return `the answer is not an ApiReply: ${JSON.stringify(reply).slice(0, 300)}`;
  const wanted = reply.ok ? 200 : ErrorCodes[reply.error.code];
  if (status !== wanted) return `HTTP ${status} for ${reply.ok ? 'an answer' : reply.error.code}, not ${wanted}`;
  if (status >= 500) return `a server error: HTTP ${status}`;
  if (!reply.ok && SERVER_ERRORS.has(reply.error.code)) return `a server error: ${reply.error.code} ${reply.error.message}`;
  // No generated call is an in-scope write: refused or answered, the database is as it was.
  const after = counts();
  const written = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((n) => (before[n] ?? 0) !== (after[n] ?? 0));
  if (written.length) return `it wrote to ${written.join(', ')}`;
  if ((Object.prototype as Record<string, unknown>).polluted !== undefined) return 'it polluted Object.prototype';
  return undefined;
}

/**
 * One generated call. Checked in plain code, with an error only when something is wrong: each
 * `expect` builds an error with its stack even when it passes, which was a tenth of this file's time.
 */
async function property(c: FuzzCall): Promise<void> {
  const before = counts();
  const { status, reply } = await send(c);
  const wrong = wrongWith(status, reply, before);
  if (wrong) throw new Error(wrong);
}

const FUNCTIONS = Object.keys(schemas) as FunctionName[];

beforeAll(async () => {
  stack = await startTestStack({ customers: 400 });
  const customers = db().find<CustomerDoc & { mergedInto?: string }>('customers', {}, { sort: { _id: 1 } });
  pools.foreignCustomers = [...customers.filter((c) => c.storeId !== A).map((c) => c._id).filter((_, i) => i % 7 === 0), 'cus-9999999', 'cus-0000000'];
  pools.colleagueCustomers = customers.filter((c) => c.ownerId === 'lina').slice(0, 30).map((c) => c._id);
  // Another store's strategy, on another store's audience: what a forged call aims at.
  const at = stack.clock.now() - 60_000;
  db().insertOne('audiences', { _id: 'aud-fuzz-other', storeId: B, name: '嘉定人群', rule: { version: 1, root: { kind: 'stage', in: ['lead'] } }, mode: 'snapshot', status: 'active', version: 1, description: '线索', count: 0, countedAt: at, snapshotAt: at, createdBy: 'import', createdAt: at, updatedBy: 'import', updatedAt: at });
  db().insertOne('strategies', { _id: 'str-fuzz-other', storeId: B, name: '嘉定策略', audienceId: 'aud-fuzz-other', materialId: 'mat-001', channel: 'wecom_chat', window: { startAt: at, endAt: at + 7 * 86_400_000, fromMinute: 600, toMinute: 1200 }, rules: [], holdoutPercent: 0, status: 'issued', version: 1, createdBy: 'import', createdAt: at, updatedBy: 'import', updatedAt: at });
  pools.foreignTasks = db().find<{ _id: string; storeId: string }>('tasks', {}, { sort: { _id: 1 } }).filter((t) => t.storeId !== A).map((t) => t._id).slice(0, 20);
  pools.foreignContacts = customers.filter((c) => c.storeId !== A && c.identities.externalUserId).slice(0, 30).map((c) => c.identities.externalUserId!);
  const staff = db().find<StaffDoc>('staff', {});
  storeAStaff = new Set(staff.filter((s) => s.storeId === A).map((s) => s._id));
  pools.foreignStaff = staff.filter((s) => s.storeId !== A).map((s) => s._id);
  pools.people = [...staff.map((s) => s._id), 'cus-0000001', 'cus-0000002', 'nobody-at-all'];
  openids.consultant = staff.find((s) => s._id === 'zhangwei')!.openid!;
  openids.manager = staff.find((s) => s._id === 'wangjianguo')!.openid!;
  tokens.consultant = await stack.signIn('zhangwei');
  tokens.manager = await stack.signIn('wangjianguo');
  tokens.customer = await stack.signIn('cus-0000001');

  // Another store's merges to aim undo at; group chats with and without the caller.
  const managerB = await stack.signIn('xuhaiyan');
  const bLeads = customers.filter((c) => c.storeId === B && !c.mergedInto).slice(-6).map((c) => c._id);
  for (let i = 0; i < bLeads.length; i += 2) {
    pools.foreignMerges.push(ok(await stack.http<{ id: string }>('customers', { action: 'merge', params: { customerIds: bLeads.slice(i, i + 2), reason: '同一人' } }, managerB)).id);
  }
  const contacts = customers.filter((c) => c.identities.externalUserId).slice(0, 40).map((c) => c.identities.externalUserId!);
  pools.chats = [
    stack.wecom.registerGroupChat({ name: '有我的群', members: ['zhangwei', 'wangjianguo'], externalContacts: contacts }),
    stack.wecom.registerGroupChat({ name: '别人的群', members: ['zhujun'], externalContacts: contacts }),
    stack.wecom.registerGroupChat({ name: '内部群', members: ['zhangwei'], externalContacts: [], internal: true }),
  ];
  // setModel is sent with versions 999 and 1000: a CONFLICT, never a save.
  pools.model = ok(await stack.http<{ model: Record<string, unknown> & { version: number } }>('scoring', { action: 'model', params: {} }, tokens.manager)).model;
  expect(pools.model.version).toBeLessThan(999);
  // Caches the functions fill on first use, before the runs: WeCom's access token, the
  // consultants' lead counters (made from a count the first time they are read; ADR 0008).
  ok(await stack.http('auth', { action: 'jsapiConfig', params: { url: 'https://sidebar.example.com/' } }, tokens.manager));
  ok(await stack.http('leads', { action: 'team', params: {} }, tokens.manager));
  ok(await stack.http('leads', { action: 'team', params: {} }, managerB));
});
afterAll(() => stack.destroy());

describe.each(FUNCTIONS.map((fn, i) => [fn, i] as const))('%s', (fn, i) => {
  test(`${RUNS} generated calls: a known answer, never a 5xx, nothing written`, async () => {
    const start = contentHash();
    await fc.assert(fc.asyncProperty(callFor(fn), property), { numRuns: RUNS, seed: SEED + i });
    expect(contentHash()).toEqual(start);
  });
});

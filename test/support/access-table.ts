/**
 * Who may do what: the one table the authorization matrix (test/functions/authorization.test.ts)
 * is generated from. Every action of `types/schemas.ts` has a row; for each role it gives the
 * outcome, per kind of resource when the action is pointed at one. Adding an action is adding
 * a row here (and its params in the test); an action without a row fails the test (and tsc).
 *
 * The people and things are fixed, seen from store A (上海浦东店):
 * - roles: `anonymous` (no session, no OPENID), `customer` (a demo customer of store A,
 *   through the mini-program's OPENID), `consultant` (张伟 of store A), `manager` (王建国, store
 *   A), `otherConsultant` (朱俊 of store B, 上海嘉定店), `otherManager` (徐海燕, store B).
 * - customer kinds: `own` (owned by the consultant), `colleague` (owned by another consultant
 *   of store A), `pool` (store A, nobody's), `otherStore` (store B, owned by the other
 *   consultant), `merged` (a colleague's customer merged into one of the consultant's: a stale
 *   id whose survivor is the consultant's), `mergedPool` (a pool customer merged into another
 *   one of the pool), `unknown` (no such id).
 * So `own` is the consultant's, in the manager's store, and another store's to the store-B
 * roles; `otherStore` is the other consultant's own.
 */
import type { ErrorCode } from '../../types/api';
import type { Schemas } from '../../types/schemas';

export const ROLES = ['anonymous', 'customer', 'consultant', 'manager', 'otherConsultant', 'otherManager'] as const;
export type Role = (typeof ROLES)[number];

/**
 * `ok`: done, within the caller's scope. `declined`: a 200 answer that says it was not done
 * (a claim someone else owns, a track event or a reassigned lead refused one by one) and
 * nothing was written. Otherwise the exact error code (and its HTTP status) with nothing written.
 */
export type Outcome = 'ok' | 'declined' | Extract<ErrorCode, 'INVALID_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;

const CUSTOMER = ['unknown', 'own', 'colleague', 'pool', 'otherStore', 'merged', 'mergedPool'] as const;

/**
 * What an action can be pointed at, and the kinds of it tried. `unknown` comes first: every
 * refusal of another kind that has the same outcome must read exactly like it.
 */
export const TARGETS = {
  /** One customer id (`customerId`). */
  customer: CUSTOMER,
  /** The same for a track event's `customerId` (recorded at the caller's store); `elsewhere`: an own customer, at a store not the caller's. */
  event: [...CUSTOMER, 'elsewhere'],
  /** Two customers of a kind to merge; `merged` pairs a merged-away customer with an own one, `mixed` an own one with another store's. */
  pair: [...CUSTOMER, 'mixed'],
  /**
   * leads.reassign: a lead of a kind sent to the pool; or an own lead sent `toConsultant` (a
   * consultant of store A), `toManager` (store A's manager, who holds no leads), `toOtherStore`
   * (the other consultant), `toUnknown` (no such staff).
   */
  reassign: [...CUSTOMER, 'toConsultant', 'toManager', 'toOtherStore', 'toUnknown'],
  /** A staff id: `omitted`, the `consultant`, their `colleague` (store A), the `otherStore` consultant, `unknown`. */
  staff: ['unknown', 'omitted', 'consultant', 'colleague', 'otherStore'],
  /** leads.list `ownerId`, the same people. */
  owner: ['omitted', 'consultant', 'colleague', 'otherStore'],
  /** A customer's WeCom external contact id (customers.byExternalUserId). */
  contact: CUSTOMER,
  /** A WeCom customer group: one the caller is in (holding contacts of every customer kind), one they are not in, one WeCom does not know. */
  chat: ['unknown', 'member', 'notMember'],
  /** A merge record of store A (`store`) or of store B (`otherStore`). */
  merge: ['unknown', 'store', 'otherStore'],
  /** A task in the inbox: the consultant's own, a colleague's (store A), the other store consultant's. */
  task: ['unknown', 'own', 'colleague', 'otherStore'],
  /** A material: the brand's (read-only to stores), store A's own, store B's own; `unknown` is a new id (a save creates it). */
  material: ['unknown', 'brand', 'store', 'otherStore'],
  /** A saved audience: store A's, store B's; `unknown` is a new id (a save creates it). */
  audience: ['unknown', 'store', 'otherStore'],
  /**
   * A tracked link of store A's invitation sent to the `customer` role's person: `forged` (its
   * signature changed), `valid`. Anonymous callers present the H5 page's device token with it.
   */
  link: ['forged', 'valid'],
  /** A strategy: store A's, store B's; `unknown` is a new id (a save creates it). */
  strategy: ['unknown', 'store', 'otherStore'],
  /** A store event: store A's, another store's. */
  activity: ['unknown', 'store', 'otherStore'],
  /** activities.upcoming `storeId`. */
  storeFilter: ['omitted', 'store', 'otherStore'],
  /** The demo sign-in's person: a consultant, a demo customer. */
  person: ['unknown', 'staff', 'customer'],
  /** A WeCom OAuth code: made up or used, a Sidekick staff member's, a corp member without an account, someone outside the corp. */
  code: ['invalid', 'member', 'notStaff', 'outsider'],
} as const;
export type TargetType = keyof typeof TARGETS;
export type KindOf<T extends TargetType> = (typeof TARGETS)[T][number];

type Cell<K extends string> = Outcome | Readonly<Record<K, Outcome>>;
export type Row =
  | { readonly target?: undefined; readonly expect: Readonly<Record<Role, Outcome>> }
  | { [T in TargetType]: { readonly target: T; readonly expect: Readonly<Record<Role, Cell<KindOf<T>>>> } }[TargetType];

const OK = 'ok' as const;
const NF = 'NOT_FOUND' as const;
const DECLINED = 'declined' as const;
const FORBIDDEN = 'FORBIDDEN' as const;
const UNAUTHENTICATED = 'UNAUTHENTICATED' as const;

type AnyCell = Outcome | Readonly<Record<string, Outcome>>;
type StaffRole = Exclude<Role, 'anonymous' | 'customer'>;

/** The same outcome for every role. */
const everyone = <const C extends AnyCell>(c: C) => ({ anonymous: c, customer: c, consultant: c, manager: c, otherConsultant: c, otherManager: c });
/** Staff actions: no session is 401, a customer 403. */
const staff = <const S extends Record<StaffRole, AnyCell>>(s: S) => ({ anonymous: UNAUTHENTICATED, customer: FORBIDDEN, ...s });
const allStaff = <const C extends AnyCell>(c: C) => staff({ consultant: c, manager: c, otherConsultant: c, otherManager: c });
/** The customer's own acts: the person the link or the platform vouches for; staff are refused. */
const asCustomer = <const C extends AnyCell>(c: C) => ({ anonymous: c, customer: c, consultant: FORBIDDEN, manager: FORBIDDEN, otherConsultant: FORBIDDEN, otherManager: FORBIDDEN });
const managersOnly = <const S extends Record<'manager' | 'otherManager', AnyCell>>(s: S) => staff({ consultant: FORBIDDEN, otherConsultant: FORBIDDEN, ...s });
const consultantsOnly = <const S extends Record<'consultant' | 'otherConsultant', AnyCell>>(s: S) => staff({ manager: FORBIDDEN, otherManager: FORBIDDEN, ...s });

/** A customer as each staff role may see it: a consultant their own, a manager their store; merged ids follow to the survivor. */
const SEEN = {
  consultant: { unknown: NF, own: OK, colleague: NF, pool: NF, otherStore: NF, merged: OK, mergedPool: NF },
  manager: { unknown: NF, own: OK, colleague: OK, pool: OK, otherStore: NF, merged: OK, mergedPool: OK },
  otherStore: { unknown: NF, own: NF, colleague: NF, pool: NF, otherStore: OK, merged: NF, mergedPool: NF },
} as const;
const customerReads = staff({ consultant: SEEN.consultant, manager: SEEN.manager, otherConsultant: SEEN.otherStore, otherManager: SEEN.otherStore });
/** Follow-ups and grades are the owning consultant's; managers are refused by role. */
const ownerWrites = consultantsOnly({ consultant: SEEN.consultant, otherConsultant: SEEN.otherStore });

export const ACCESS = {
  auth: {
    me: { expect: { ...everyone(OK), anonymous: UNAUTHENTICATED } },
    demoPeople: { expect: everyone(OK) },
    demoSignIn: { target: 'person', expect: everyone({ unknown: NF, staff: OK, customer: OK }) },
    // The code is the credential, whoever presents it.
    wecomSignIn: { target: 'code', expect: everyone({ invalid: UNAUTHENTICATED, member: OK, notStaff: FORBIDDEN, outsider: FORBIDDEN }) },
    jsapiConfig: { expect: allStaff(OK) },
    signOutEverywhere: {
      target: 'staff',
      expect: staff({
        // A consultant only for themselves; a manager for staff of their store; others read as unknown.
        consultant: { unknown: FORBIDDEN, omitted: OK, consultant: OK, colleague: FORBIDDEN, otherStore: FORBIDDEN },
        manager: { unknown: NF, omitted: OK, consultant: OK, colleague: OK, otherStore: NF },
        otherConsultant: { unknown: FORBIDDEN, omitted: OK, consultant: FORBIDDEN, colleague: FORBIDDEN, otherStore: OK },
        otherManager: { unknown: NF, omitted: OK, consultant: NF, colleague: NF, otherStore: OK },
      }),
    },
  },
  leads: {
    list: {
      target: 'owner',
      expect: staff({
        consultant: { omitted: OK, consultant: OK, colleague: FORBIDDEN, otherStore: FORBIDDEN },
        // A manager may narrow to anyone; another store's consultant has no leads in this store.
        manager: { omitted: OK, consultant: OK, colleague: OK, otherStore: OK },
        otherConsultant: { omitted: OK, consultant: FORBIDDEN, colleague: FORBIDDEN, otherStore: OK },
        otherManager: { omitted: OK, consultant: OK, colleague: OK, otherStore: OK },
      }),
    },
    pool: { expect: allStaff(OK) },
    claim: {
      target: 'customer',
      expect: consultantsOnly({
        // Someone else's lead of the store is a race lost (手慢了), an answer, not an error. A
        // merged-away lead is claimed as its survivor (already theirs, or from the pool).
        consultant: { unknown: NF, own: OK, colleague: DECLINED, pool: OK, otherStore: NF, merged: OK, mergedPool: OK },
        otherConsultant: SEEN.otherStore,
      }),
    },
    filters: { expect: allStaff(OK) },
    team: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    reassign: {
      target: 'reassign',
      expect: managersOnly({
        // Leads the manager may not move are refused one by one, unknown ones alike.
        // A merged-away lead cannot move (merged: refused); one already in the pool is left there (mergedPool).
        manager: { unknown: DECLINED, own: OK, colleague: OK, pool: OK, otherStore: DECLINED, merged: DECLINED, mergedPool: OK, toConsultant: OK, toManager: 'INVALID_INPUT', toOtherStore: NF, toUnknown: NF },
        otherManager: { unknown: DECLINED, own: DECLINED, colleague: DECLINED, pool: DECLINED, otherStore: OK, merged: DECLINED, mergedPool: DECLINED, toConsultant: NF, toManager: NF, toOtherStore: DECLINED, toUnknown: NF },
      }),
    },
  },
  customers: {
    profile: { target: 'customer', expect: customerReads },
    timeline: { target: 'customer', expect: customerReads },
    byExternalUserId: { target: 'contact', expect: customerReads },
    firstScreen: { target: 'customer', expect: customerReads },
    byExternalChat: { target: 'chat', expect: allStaff({ unknown: NF, member: OK, notMember: FORBIDDEN }) },
    pulse: { target: 'customer', expect: customerReads },
    followUps: { target: 'customer', expect: customerReads },
    followUp: { target: 'customer', expect: ownerWrites },
    setGrade: { target: 'customer', expect: ownerWrites },
    merges: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    merge: {
      target: 'pair',
      expect: managersOnly({
        // A merged-away customer cannot be merged again; its survivor can.
        manager: { unknown: NF, own: OK, colleague: OK, pool: OK, otherStore: NF, merged: 'CONFLICT', mergedPool: 'CONFLICT', mixed: NF },
        otherManager: { unknown: NF, own: NF, colleague: NF, pool: NF, otherStore: OK, merged: NF, mergedPool: NF, mixed: NF },
      }),
    },
    undoMerge: { target: 'merge', expect: managersOnly({ manager: { unknown: NF, store: OK, otherStore: NF }, otherManager: { unknown: NF, store: NF, otherStore: OK } }) },
    // A withdrawal the customer stated: whoever may see the customer records it.
    withdrawConsent: { target: 'customer', expect: customerReads },
  },
  oemSync: {
    status: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    deadLetters: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    // Every dead letter of the caller's store goes back in the queue; another store's stay.
    replay: { expect: managersOnly({ manager: OK, otherManager: OK }) },
  },
  scoring: {
    model: { expect: allStaff(OK) },
    setModel: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    job: { expect: managersOnly({ manager: OK, otherManager: OK }) },
  },
  // No app actions: `jobs.continue` answers other functions only (see test/functions/jobs.test.ts).
  jobs: {},
  track: {
    ingest: {
      target: 'event',
      expect: staff({
        // Events are refused one by one; a customer out of reach reads like an unknown one.
        consultant: { unknown: DECLINED, own: OK, colleague: DECLINED, pool: DECLINED, otherStore: DECLINED, merged: OK, mergedPool: DECLINED, elsewhere: DECLINED },
        manager: { unknown: DECLINED, own: OK, colleague: OK, pool: OK, otherStore: DECLINED, merged: OK, mergedPool: OK, elsewhere: DECLINED },
        otherConsultant: { unknown: DECLINED, own: DECLINED, colleague: DECLINED, pool: DECLINED, otherStore: OK, merged: DECLINED, mergedPool: DECLINED, elsewhere: DECLINED },
        otherManager: { unknown: DECLINED, own: DECLINED, colleague: DECLINED, pool: DECLINED, otherStore: OK, merged: DECLINED, mergedPool: DECLINED, elsewhere: DECLINED },
      }),
    },
  },
  tasks: {
    inbox: { expect: consultantsOnly({ consultant: OK, otherConsultant: OK }) },
    // A task is its consultant's; anyone else's reads as unknown.
    complete: {
      target: 'task',
      expect: consultantsOnly({
        consultant: { unknown: NF, own: OK, colleague: NF, otherStore: NF },
        otherConsultant: { unknown: NF, own: NF, colleague: NF, otherStore: OK },
      }),
    },
    schedule: { target: 'customer', expect: ownerWrites },
  },
  audiences: {
    // Counted over the caller's store only: a rule naming another store's people counts nobody.
    preview: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    // A new id is created; an edit of another store's audience reads like one that does not exist.
    save: { target: 'audience', expect: managersOnly({ manager: { unknown: OK, store: OK, otherStore: NF }, otherManager: { unknown: OK, store: NF, otherStore: OK } }) },
    list: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    get: { target: 'audience', expect: managersOnly({ manager: { unknown: NF, store: OK, otherStore: NF }, otherManager: { unknown: NF, store: NF, otherStore: OK } }) },
    archive: { target: 'audience', expect: managersOnly({ manager: { unknown: NF, store: OK, otherStore: NF }, otherManager: { unknown: NF, store: NF, otherStore: OK } }) },
  },
  strategies: {
    list: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    // Another store's strategy reads like one that does not exist; a new id is created by a save.
    get: { target: 'strategy', expect: managersOnly({ manager: { unknown: NF, store: OK, otherStore: NF }, otherManager: { unknown: NF, store: NF, otherStore: OK } }) },
    save: { target: 'strategy', expect: managersOnly({ manager: { unknown: OK, store: OK, otherStore: NF }, otherManager: { unknown: OK, store: NF, otherStore: OK } }) },
    issue: { target: 'strategy', expect: managersOnly({ manager: { unknown: NF, store: OK, otherStore: NF }, otherManager: { unknown: NF, store: NF, otherStore: OK } }) },
    progress: { target: 'strategy', expect: managersOnly({ manager: { unknown: NF, store: OK, otherStore: NF }, otherManager: { unknown: NF, store: NF, otherStore: OK } }) },
    home: { expect: managersOnly({ manager: OK, otherManager: OK }) },
  },
  materials: {
    list: { expect: allStaff(OK) },
    // A manager creates (a new id) or edits the store's own; the brand's and another store's read as unknown.
    save: {
      target: 'material',
      expect: managersOnly({ manager: { unknown: OK, brand: NF, store: OK, otherStore: NF }, otherManager: { unknown: OK, brand: NF, store: NF, otherStore: OK } }),
    },
    archive: {
      target: 'material',
      expect: managersOnly({ manager: { unknown: NF, brand: NF, store: OK, otherStore: NF }, otherManager: { unknown: NF, brand: NF, store: NF, otherStore: OK } }),
    },
  },
  sends: {
    // Only the owning consultant sends to a customer (a merged-away id sends to its survivor).
    send: { target: 'customer', expect: ownerWrites },
    batch: { target: 'customer', expect: ownerWrites },
    ofCustomer: { target: 'customer', expect: customerReads },
    // The store's frequency cap: its manager reads and sets it; consultants are refused by role.
    cap: { expect: managersOnly({ manager: OK, otherManager: OK }) },
    setCap: { expect: managersOnly({ manager: OK, otherManager: OK }) },
  },
  activities: {
    // Public: an invitation opens before sign-in.
    get: { target: 'activity', expect: everyone({ unknown: NF, store: OK, otherStore: OK }) },
    upcoming: { target: 'storeFilter', expect: everyone(OK) },
    // The customer's side: authenticated by the link's signature with the OPENID or device token.
    // Staff only preview a link (nothing recorded) and never act as the customer.
    open: { target: 'link', expect: everyone({ forged: UNAUTHENTICATED, valid: OK }) },
    beat: { target: 'link', expect: everyone({ forged: UNAUTHENTICATED, valid: OK }) },
    share: { target: 'link', expect: everyone({ forged: UNAUTHENTICATED, valid: OK }) },
    consent: { target: 'link', expect: asCustomer({ forged: UNAUTHENTICATED, valid: OK }) },
    register: { target: 'link', expect: asCustomer({ forged: UNAUTHENTICATED, valid: OK }) },
    cancel: { target: 'link', expect: asCustomer({ forged: UNAUTHENTICATED, valid: OK }) },
    mine: { target: 'link', expect: asCustomer({ forged: UNAUTHENTICATED, valid: OK }) },
  },
} as const satisfies { readonly [F in keyof Schemas]: { readonly [A in keyof Schemas[F]]: Row } };

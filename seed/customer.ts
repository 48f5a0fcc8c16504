/**
 * One customer's story: who they are, a plan (stage, interests, purchases), the touchpoints that
 * plan produces, and the profile fields derived from those touchpoints (stage, last touch,
 * stores visited, vehicles of interest, tags), so the profile and the timeline always agree.
 */
import type {
  CustomerDoc,
  CustomerIdentities,
  EventDoc,
  FollowUpDoc,
  FollowUpKind,
  IdentityDoc,
  IdentitySource,
  IdentityType,
  IntentGrade,
  MaterialKind,
  LifecycleStage,
  OwnedVehicle,
  StaffDoc,
  TagAssignment,
  TouchpointType,
} from '../types/model';
import type { LostReason } from '../cloudfunctions/_core/followups/follow-up';
import { isCustomerInteraction } from '../cloudfunctions/_core/events/activity';
import { DEFAULT_POLICY, gradeKey } from '../cloudfunctions/_core/allocation/policy';
import type { DerivedCustomer } from '../cloudfunctions/_core/scoring/ingest';
import { mergeCustomers, undoMerge, type Identifier } from '../cloudfunctions/_core/oneid';
import { autoMergeReason, kindsFor, MANUAL_REASONS, mergePlans, UNDO_REASON, type DuplicateKind, type IdentifiedKind, type MergeDoc, type MergePlan } from './merges';
import { scoreCustomer, type StateDoc } from './scoring';
import {
  channelById,
  describeEvent,
  formatWan,
  MODELS,
  modelById,
  STAGE_TAG,
  tagPath,
  type CarModel,
  type DescribeLookups,
  type EventPropsByType,
  type FormKind,
  type ServiceKind,
  type ShareTarget,
  type Trim,
} from '../cloudfunctions/_core/catalog';
import {
  CITY_TIER,
  consultantsOf,
  managerOf,
  customerId,
  DEMO_CONSULTANT_ID,
  DEMO_CUSTOMERS,
  DEMO_STORE_ID,
  STORES,
  type DemoCustomerSpec,
  type StoreSpec,
} from './directory';
import { BRAND_LIVE_TITLES, CAMPAIGNS, CST, dayStart, LIVE_TITLES, PAST_ACTIVITIES, SURVEYS, weekday, type SeedMaterial } from './content';
import {
  behaviourScore,
  eventStats,
  INTEREST_TYPES,
  INTEREST_WEIGHT,
  latestOwnedModel,
  PROSPECT_TYPES,
  stageFromEvents,
  topKey,
  type EventStats,
} from './derive';
import { personName } from './names';
import { Rng, rngFor, Weighted } from './prng';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** Stream ids keep the customer, global and id-mask draws independent of each other. */
export const STREAM_CUSTOMER = 1;
export const STREAM_GLOBAL = 2;
export const STREAM_ASSIGN = 3;

/** Events per customer are capped so `index * 4096 + seq` stays unique. */
const MAX_ONLINE_EVENTS = 400;

/** A consultant still works a lead scoring at least this, or one that came in this recently, */
const KEEP_SCORE = 35;
const KEEP_NEW_DAYS = 75;
/** and owners who bought this recently (referrals, first services); older owners are the store's. */
const KEEP_OWNER_YEARS = 2;
/** A customer nobody was assigned who scores this much has been taken on by a consultant. */
const ADOPT_SCORE = 50;
/** Event sequence numbers of a customer's second record: past any of their own (`index * 4096 + seq`). */
const DUPLICATE_SEQ = 4000;

/** Without undefined fields, as a document is stored. */
const json = <T>(doc: T): T => JSON.parse(JSON.stringify(doc)) as T;

export interface GenContext {
  seed: number;
  now: number;
  materials: readonly SeedMaterial[];
  lookups: DescribeLookups;
  /** Round-robin position per store, so owned customers are spread evenly over consultants. */
  ownerCursor: Map<string, number>;
  phoneA: number;
  phoneB: number;
  oemB: number;
  idMaskHi: number;
  idMaskLo: number;
  /** Evergreen materials per model, the evergreen brand-wide ones, and all evergreen ones. */
  materialsByModel: Map<string, SeedMaterial[]>;
  generalMaterials: SeedMaterial[];
  evergreenMaterials: SeedMaterial[];
  /** Materials made days ago (activity posters): only recent events can reference them. */
  recentMaterials: SeedMaterial[];
  materialKinds: Map<string, string>;
  consultants: Map<string, StaffDoc[]>;
  /** Customers (by index) with a second record merged into them. */
  merges: Map<number, MergePlan>;
}

/**
 * Which store a customer belongs to and whether a consultant owns them. Drawn from a stream of
 * its own, so the owner round-robin position before any customer can be counted without
 * generating the customers before it (which is what lets ranges be generated in parallel).
 */
export function assignment(seed: number, index: number): { store: StoreSpec; owned: boolean; demo: boolean } {
  if (index < DEMO_CUSTOMERS.length) return { store: DEMO_STORE, owned: true, demo: true };
  const rng = rngFor(seed, STREAM_ASSIGN, index);
  const store = STORE_PICKER.pick(rng);
  return { store, owned: rng.chance(0.85), demo: false };
}

/**
 * The owner round-robin position of every store just before customer `index`; pass the
 * positions at `from` to continue counting from there.
 */
export function ownerCursorsBefore(seed: number, index: number, from = 0, start?: ReadonlyMap<string, number>): Map<string, number> {
  const cursors = new Map(start ?? []);
  for (let i = Math.max(from, DEMO_CUSTOMERS.length); i < index; i++) {
    const a = assignment(seed, i);
    if (a.owned) cursors.set(a.store.doc._id, (cursors.get(a.store.doc._id) ?? 0) + 1);
  }
  return cursors;
}

/**
 * `firstIndex`: the first customer this context will generate (customers must then come in
 * order); `cursors`: the owner round-robin positions there, when the caller already knows them.
 */
export function makeContext(
  seed: number,
  now: number,
  materials: readonly SeedMaterial[],
  firstIndex = 0,
  cursors?: ReadonlyMap<string, number>,
): GenContext {
  const g = rngFor(seed, STREAM_GLOBAL, 0);
  const titles = new Map(materials.map((m) => [m._id, m.title]));
  const storeNames = new Map(STORES.map((s) => [s.doc._id, s.doc.name]));
  const materialsByModel = new Map<string, SeedMaterial[]>();
  for (const m of materials) {
    if (!m.modelId || !m.evergreen) continue;
    const list = materialsByModel.get(m.modelId) ?? [];
    list.push(m);
    materialsByModel.set(m.modelId, list);
  }
  return {
    seed,
    now,
    materials,
    lookups: { materialTitle: (id) => titles.get(id), storeName: (id) => storeNames.get(id) },
    ownerCursor: cursors ? new Map(cursors) : ownerCursorsBefore(seed, firstIndex),
    // Odd and not a multiple of 5, so `a * i + b mod 10^8` is a bijection: phone tails never repeat.
    phoneA: 73_856_093,
    phoneB: g.u32() % 100_000_000,
    oemB: g.u32() % 10_000_000_000,
    idMaskHi: g.u32() & 0xffff,
    idMaskLo: g.u32(),
    materialsByModel,
    generalMaterials: materials.filter((m) => !m.modelId && m.evergreen),
    evergreenMaterials: materials.filter((m) => m.evergreen),
    recentMaterials: materials.filter((m) => !m.evergreen),
    materialKinds: new Map(materials.map((m) => [m._id, m.kind])),
    consultants: new Map(STORES.map((s) => [s.doc._id, consultantsOf(s.doc._id)])),
    merges: mergePlans(seed),
  };
}

export interface CustomerBundle {
  customer: CustomerDoc;
  identities: IdentityDoc[];
  events: EventDoc[];
  followUps: FollowUpDoc[];
  /** The customer's scoring state (`customerStates`). */
  state: StateDoc;
  /** A second record of the same person (merged away, or back on its own after an undo). */
  duplicate?: { customer: CustomerDoc; state: StateDoc; events: EventDoc[]; merge: MergeDoc };
}

// ---------- distributions ----------

const MODELS_BY_LINE: Record<CarModel['line'], CarModel[]> = {
  SUV: MODELS.filter((m) => m.line === 'SUV'),
  sedan: MODELS.filter((m) => m.line === 'sedan'),
  MPV: MODELS.filter((m) => m.line === 'MPV'),
  NEV: MODELS.filter((m) => m.line === 'NEV'),
};
const STORE_PICKER = new Weighted(STORES.map((s) => [s, s.share] as const));
const DEMO_STORE = STORES.find((s) => s.doc._id === DEMO_STORE_ID) as StoreSpec;
const CITY_PICKERS = new Map(STORES.map((s) => [s.doc._id, new Weighted(s.cities)]));
const STAGE_PICKER = new Weighted<LifecycleStage>([['lead', 55], ['prospect', 30], ['owner', 15]]);
const GENDER_PICKER = new Weighted<CustomerDoc['gender']>([['male', 62], ['female', 33], ['unknown', 5]]);
const LINE_PICKER = new Weighted<CarModel['line']>([['SUV', 40], ['sedan', 20], ['MPV', 8], ['NEV', 32]]);

const SOURCE_PICKERS: Record<LifecycleStage, Weighted<string>> = {
  lead: new Weighted([
    ['autohome', 17], ['dongchedi', 15], ['yiche', 7], ['baidu', 3], ['xiaohongshu', 4], ['douyin', 4],
    ['douyin_live', 13], ['channels_live', 6], ['miniprogram', 11], ['wecom', 5], ['app', 3], ['website', 4],
    ['referral', 4], ['hotline', 4],
  ]),
  prospect: new Weighted([
    ['autohome', 14], ['dongchedi', 12], ['yiche', 6], ['baidu', 2], ['xiaohongshu', 3], ['douyin', 3],
    ['douyin_live', 9], ['channels_live', 4], ['miniprogram', 9], ['wecom', 6], ['app', 2], ['website', 3],
    ['store', 16], ['referral', 7], ['hotline', 4],
  ]),
  owner: new Weighted([
    ['autohome', 12], ['dongchedi', 8], ['yiche', 7], ['baidu', 3], ['douyin_live', 4], ['miniprogram', 4],
    ['wecom', 5], ['website', 4], ['store', 35], ['referral', 12], ['hotline', 6],
  ]),
};

/** Hour of day for online activity: lunch and evening peaks. */
const ONLINE_HOURS = new Weighted<number>(
  [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 3, 3.5, 4, 4, 4.5, 4, 3.5, 3.5, 3.5, 4, 5, 6.5, 7.5, 8, 6, 3].map((w, h) => [h, w] as const),
);
const STORE_HOURS = new Weighted<number>([[9, 0.8], [10, 1.6], [11, 2], [12, 1], [13, 1.5], [14, 2.5], [15, 2.5], [16, 2], [17, 1.2]]);

const PHONE_PREFIXES = new Weighted<string>([
      ['138', 6], ['139', 7], ['135', 5], ['136', 4], ['137', 4], ['150', 4], ['151', 4], ['152', 3], ['158', 4],
      ['159', 4], ['182', 3], ['183', 3], ['187', 4], ['188', 3], ['130', 3], ['131', 3], ['132', 2], ['155', 2],
      ['156', 3], ['185', 3], ['186', 4], ['133', 2], ['153', 2], ['180', 2], ['181', 2], ['189', 3], ['177', 2],
      ['176', 2], ['199', 2], ['191', 1], ['166', 1], ['173', 1], ['198', 1], ['195', 1],
]);

const SHARE_TARGETS = new Weighted<ShareTarget>([['friend', 45], ['moments', 35], ['group', 20]]);
const LEAD_FORMS = new Weighted<FormKind>([['price_inquiry', 30], ['test_drive_booking', 28], ['brochure', 14], ['survey', 14], ['activity_signup', 14]]);
const OWNER_FORMS = new Weighted<FormKind>([['trade_in', 30], ['activity_signup', 45], ['survey', 25]]);

type OnlineType = 'content_view' | 'ad_click' | 'live_stream' | 'share' | 'form_submit';
const ONLINE_TYPES: Record<LifecycleStage, readonly (readonly [OnlineType, number])[]> = {
  lead: [['content_view', 46], ['ad_click', 15], ['live_stream', 11], ['share', 9], ['form_submit', 5]],
  prospect: [['content_view', 46], ['ad_click', 8], ['live_stream', 8], ['share', 12], ['form_submit', 6]],
  owner: [['content_view', 50], ['ad_click', 6], ['live_stream', 6], ['share', 12], ['form_submit', 4]],
};
const ONLINE_RATE: Record<LifecycleStage, number> = { lead: 14, prospect: 19, owner: 8 };

/** Sources whose events come from the customer's own device (their clock may be off). */
const CLIENT_SOURCES = new Set(['miniprogram', 'app', 'website', 'wecom']);

// ---------- drafts ----------


interface Purchase {
  model: CarModel;
  trim: Trim;
  /** Delivery time. */
  at: number;
  vinTail: string;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Everything decided about a customer before their touchpoints are drawn. */
interface Plan {
  index: number;
  id: string;
  store: StoreSpec;
  stage: LifecycleStage;
  demo?: DemoCustomerSpec;
  couponHunter: boolean;
  ownerId?: string;
  source: string;
  engagement: number;
  hot: boolean;
  interests: CarModel[];
  purchases: Purchase[];
  origin: number;
  identities: CustomerIdentities;
  appUser: boolean;
}

export function generateCustomer(ctx: GenContext, index: number): CustomerBundle {
  const rng = rngFor(ctx.seed, STREAM_CUSTOMER, index);
  const b = new CustomerBuilder(ctx, rng, index);
  return b.build();
}

class CustomerBuilder {
  /** Events as they are drawn: `timestamp` holds the true time until `finalizeEvents`. */
  private readonly drafts: EventDoc[] = [];
  private readonly viewed: SeedMaterial[] = [];
  private plan!: Plan;
  /** Whether a quiet prospect was marked lost (战败); decided once, used by tags and follow-ups. */
  private lost = false;
  private windowStart = 0;
  private lower = 0;
  private readonly now: number;

  constructor(
    private readonly ctx: GenContext,
    private readonly rng: Rng,
    private readonly index: number,
  ) {
    this.now = ctx.now;
  }

  build(): CustomerBundle {
    const { rng, index } = this;
    const demo = index < DEMO_CUSTOMERS.length ? DEMO_CUSTOMERS[index] : undefined;
    const assigned = assignment(this.ctx.seed, index);
    const store = assigned.store;
    const stage = demo?.stage ?? STAGE_PICKER.pick(rng);
    const gender = demo?.gender ?? GENDER_PICKER.pick(rng);
    const name = demo?.name ?? personName(rng, gender === 'unknown' ? (rng.chance(0.6) ? 'male' : 'female') : gender);
    const city = demo?.city ?? (CITY_PICKERS.get(store.doc._id) as Weighted<string>).pick(rng);
    const source = demo?.source ?? SOURCE_PICKERS[stage].pick(rng);
    const engagement = demo ? demo.engagement : clamp(Math.exp(0.9 * rng.normal() - 0.405), 0.08, 7);
    const couponHunter = !demo && stage === 'lead' && rng.chance(0.02);

    const purchases = stage === 'owner' ? this.planPurchases(demo) : [];
    const interests = this.planInterests(demo, purchases);
    const origin = this.planOrigin(stage, demo, purchases);

    const ownerId = demo ? DEMO_CONSULTANT_ID : assigned.owned ? this.nextOwner(store.doc._id) : undefined;
    const { identities, appUser } = this.planIdentities(stage, source, ownerId !== undefined, demo);

    this.plan = {
      index,
      id: customerId(index),
      store,
      stage,
      ...(demo ? { demo } : {}),
      couponHunter,
      ...(ownerId ? { ownerId } : {}),
      source,
      engagement,
      hot: !!demo || rng.chance({ lead: 0.05, prospect: 0.15, owner: 0.03 }[stage]),
      interests,
      purchases,
      origin,
      identities,
      appUser,
    };
    this.windowStart = Math.max(origin, this.now - YEAR);
    this.lower = origin + MIN;

    this.originEvents();
    if (stage === 'prospect') this.storeVisits();
    for (const p of purchases) this.purchaseEvents(p);
    for (const p of purchases) this.serviceVisits(p);
    this.onlineEvents();
    if (couponHunter) this.couponHunterSignups();
    if (demo) this.demoExtras(demo);
    this.consultantContacts();

    const events = this.finalizeEvents();
    const customer = this.deriveCustomer(name, gender, city, events);
    const followUps = this.followUps(events, customer);
    if (followUps.length) customer.updatedAt = Math.max(customer.updatedAt, followUps[followUps.length - 1]!.at);
    let scored = scoreCustomer(customer, events, followUps, this.now);
    const adopter = this.adopter(scored.customer, events);
    // A customer this warm does not wait in the pool: the consultant who served them took them on.
    if (adopter) scored = scoreCustomer({ ...customer, ownerId: adopter }, events, followUps, this.now);
    const bundle: CustomerBundle = { customer: this.currentOwner(scored.customer), identities: this.identityDocs(), events, followUps, state: scored.state };
    const merge = this.ctx.merges.get(index);
    return merge ? this.withDuplicate(bundle, merge) : bundle;
  }

  // ---------- a second record of the same person, merged ----------

  /**
   * Adds a second record of this person (the identifier type they lack decides which kind) and
   * merges it into them as OneID or the manager did, with the record the manager's 合并记录
   * lists; an undone merge leaves both customers live again and the record marked undone.
   */
  private withDuplicate(b: CustomerBundle, plan: MergePlan): CustomerBundle {
    const { rng, now } = this;
    const survivor = b.customer as DerivedCustomer;
    const hasPhone = !!survivor.identities.phone;
    const kind: DuplicateKind = kindsFor(plan.position).find((k) => !survivor.identities[k] && (k === 'oemId' || k === 'externalUserId' || hasPhone)) ?? 'walkIn';
    const dupId = `${survivor._id}-2`;
    const identifier: Identifier | undefined = kind === 'walkIn' ? undefined : { type: kind, value: this.duplicateValue(kind) };
    const createdAt = Math.round(now - rng.range(12, 40) * DAY);
    const mergedAt = Math.min(Math.round(createdAt + rng.range(1, 6) * DAY), now - 2 * DAY);
    const model = this.primary();
    const events = this.duplicateEvents(dupId, kind, createdAt, mergedAt, model);
    const last = events.filter(isCustomerInteraction).pop() ?? (events[events.length - 1] as EventDoc);
    const oem = kind === 'oemId';
    const walkIn = kind === 'walkIn';
    const dupDoc: CustomerDoc = {
      _id: dupId,
      // The OEM sends the name it has; reception writes a surname; a WeChat visitor is nobody yet.
      name: oem ? survivor.name : walkIn ? `${survivor.name.slice(0, 1)}${survivor.gender === 'female' ? '女士' : '先生'}` : '微信客户',
      gender: oem || walkIn ? survivor.gender : 'unknown',
      city: oem ? survivor.city : '',
      identities: identifier ? { [identifier.type]: identifier.value } : {},
      storeId: survivor.storeId,
      // A visit to the store makes a prospect, as it does for anyone.
      stage: walkIn ? 'prospect' : 'lead',
      sourceChannel: (events[0] as EventDoc).source,
      // What the second record looked at (a live stream and a form, an ad and a form): enough to count as interest.
      vehiclesOfInterest: walkIn || kind === 'externalUserId' ? [] : [{ modelId: model.id, at: Math.max(...events.filter((e) => e.properties.modelId === model.id).map((e) => e.timestamp)) }],
      vehiclesOwned: [],
      tags: [],
      storesVisited: walkIn ? [{ storeId: survivor.storeId, count: 1, lastAt: (events[0] as EventDoc).timestamp }] : [],
      createdAt: (events[0] as EventDoc).timestamp,
      updatedAt: (events[events.length - 1] as EventDoc).timestamp,
      lastActivityAt: last.timestamp,
      lastTouch: { type: last.type, at: last.timestamp, summary: describeEvent(last, this.ctx.lookups) },
    };
    const dup = scoreCustomer(dupDoc, events, [], now);
    const dupWithSources = { ...dup.customer, identifiers: identifier ? [identifier] : [], mergedIds: [], ...(oem ? { fieldSources: { name: { source: 'oem' as const, at: createdAt } } } : {}) };

    const manager = managerOf(survivor.storeId)?._id ?? 'system:oneid';
    const auto = kind === 'openid' || kind === 'unionid';
    const tiedBy: IdentityType[] = auto ? ['phone', kind] : [];
    const reason = auto ? autoMergeReason(tiedBy, { type: 'form_submit', source: 'miniprogram' }) : MANUAL_REASONS[kind as 'oemId' | 'externalUserId' | 'walkIn'];
    const result = mergeCustomers(survivor, [dupWithSources], { now: mergedAt, actor: auto ? 'system:oneid' : manager, reason });
    if (!result.changed) return b;
    const allEvents = [...b.events, ...events].sort((x, y) => x.timestamp - y.timestamp);
    // The survivor went on being updated after the merge, by its own later events; it lists its three latest models first.
    const interests = [...result.customer.vehiclesOfInterest].sort((x, y) => y.at - x.at).slice(0, 3);
    const merged = scoreCustomer({ ...result.customer, vehiclesOfInterest: interests, updatedAt: Math.max(result.customer.updatedAt, survivor.updatedAt) }, allEvents, b.followUps, now);
    const record: MergeDoc = json({ ...result.record, survivorAfter: merged.customer as MergeDoc['survivorAfter'], storeId: survivor.storeId, ...(tiedBy.length ? { tiedBy } : {}) });
    const tombstone = json(result.tombstones[0] as CustomerDoc);

    if (!plan.undone) {
      return {
        ...b,
        customer: json(merged.customer),
        state: merged.state,
        identities: identifier ? [...b.identities, seedIdentityDoc(survivor.storeId, identifier.type, identifier.value, survivor._id)] : b.identities,
        duplicate: { customer: tombstone, state: { ...dup.state, _id: dupId }, events, merge: record },
      };
    }
    const undoneAt = Math.min(Math.round(mergedAt + rng.range(0.2, 2) * DAY), now - DAY);
    const undo = undoMerge(record, merged.customer, { now: undoneAt, actor: manager, reason: UNDO_REASON });
    if (!undo.ok) return b;
    const back = scoreCustomer({ ...undo.survivor, updatedAt: Math.max(undo.survivor.updatedAt, survivor.updatedAt) }, b.events, b.followUps, now);
    const restored = scoreCustomer(undo.restored[0] as CustomerDoc, events, [], now);
    return {
      ...b,
      customer: json(back.customer),
      state: back.state,
      identities: identifier ? [...b.identities, seedIdentityDoc(survivor.storeId, identifier.type, identifier.value, dupId)] : b.identities,
      duplicate: { customer: json(restored.customer), state: { ...restored.state, _id: dupId }, events, merge: json(undo.record as MergeDoc) },
    };
  }

  private duplicateValue(kind: IdentifiedKind): string {
    const { rng } = this;
    if (kind === 'oemId') return `LS9${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
    if (kind === 'externalUserId') return `wm${rng.base64url(30)}`;
    return `o${rng.base64url(27)}`;
  }

  /** What the second record did before it was found out: a visit to a live stream, an OEM lead form... */
  private duplicateEvents(dupId: string, kind: DuplicateKind, createdAt: number, mergedAt: number, model: CarModel): EventDoc[] {
    const { rng, plan } = this;
    const drafts: [TouchpointType, number, string, EventDoc['properties']][] = [];
    if (kind === 'openid' || kind === 'unionid') {
      drafts.push(['live_stream', createdAt, 'channels_live', { liveTitle: rng.pick(LIVE_TITLES[model.line]), watchSeconds: rng.int(120, 900), modelId: model.id, interacted: false }]);
      const m = this.pickMaterial(createdAt, model);
      drafts.push(['content_view', createdAt + rng.int(2, 20) * MIN, 'miniprogram', { materialId: m._id, dwellSeconds: rng.int(4, 12), category: m.category, modelId: m.modelId ?? null }]);
      // The form that carried both the phone and this WeChat id: OneID merged on it.
      drafts.push(['form_submit', mergedAt - MIN, 'miniprogram', { form: 'price_inquiry', modelId: model.id, formName: null, activityId: null }]);
    } else if (kind === 'oemId') {
      drafts.push(['ad_click', createdAt, 'autohome', { modelId: model.id, campaign: `${model.name}${rng.pick(CAMPAIGNS)}` }]);
      drafts.push(['form_submit', createdAt + rng.int(1, 8) * MIN, 'autohome', { form: 'price_inquiry', modelId: model.id, formName: null, activityId: null }]);
    } else if (kind === 'walkIn') {
      drafts.push(['store_visit', this.storeTime(createdAt, createdAt - DAY, mergedAt - HOUR), 'store', { durationMinutes: rng.int(20, 60), visitNo: 1 }]);
    } else {
      drafts.push(['wecom_chat', createdAt, 'wecom', { direction: 'in', messages: rng.int(1, 4) }]);
    }
    return drafts.map(([type, at, source, properties], k) => {
      const v = plan.index * 4096 + DUPLICATE_SEQ + k;
      const hi = ((Math.floor(v / 4294967296) ^ this.ctx.idMaskHi) & 0xffff) >>> 0;
      const lo = ((v >>> 0) ^ this.ctx.idMaskLo) >>> 0;
      const e: EventDoc = { _id: this.eventId(hi, lo), customerId: dupId, storeId: plan.store.doc._id, type, source, properties, originalTimestamp: at, sentAt: at, receivedAt: at, timestamp: at };
      if (type === 'wecom_chat' || type === 'store_visit') e.staffId = this.staffAt(plan.store.doc._id);
      return e;
    });
  }

  /** For a warm customer nobody was assigned: the home store's consultant who served them last, or one on duty. */
  private adopter(c: DerivedCustomer, events: readonly EventDoc[]): string | undefined {
    if (c.ownerId || this.plan.demo || (c.score?.total ?? 0) < ADOPT_SCORE) return undefined;
    const home = this.plan.store.doc._id;
    const consultants = this.ctx.consultants.get(home) ?? [];
    const ids = new Set(consultants.map((s) => s._id));
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i] as EventDoc;
      if (e.storeId === home && e.staffId && ids.has(e.staffId)) return e.staffId;
    }
    return consultants.length ? this.rng.pick(consultants)._id : undefined;
  }

  /**
   * Who works the customer today. The history above was made with the consultant who served
   * them; a real consultant keeps working a few hundred of them (new leads, leads that are warm,
   * recent buyers) while the rest have gone back to the store's pool: leads nobody followed up
   * were recycled by the hourly job, a 战败 closed, and older owners belong to the store's 保客
   * care rather than to one consultant. Their history (events, follow-ups) stays as it was.
   */
  private currentOwner(c: DerivedCustomer): DerivedCustomer {
    const owner = c.ownerId;
    if (!owner || this.plan.demo || this.stillWorked(c)) return c;
    const { ownerId: _owner, assignedAt: _assigned, firstContactAt: _contacted, ...released } = c;
    const lost = c.tags.some((t) => t.tagId === 'lifecycle-risk-lost');
    if (c.stage === 'owner' || lost) return released;
    // Recycled by the hourly job once the grade's days passed without a follow-up.
    const afterDays = DEFAULT_POLICY.recycleAfterDays[gradeKey(c.grade)];
    const since = Math.max(c.lastFollowUpAt ?? c.createdAt, c.createdAt);
    const at = Math.min(since + afterDays * DAY + HOUR, this.now - HOUR);
    return { ...released, recycledFrom: { consultantId: owner, at, afterDays } };
  }

  private stillWorked(c: DerivedCustomer): boolean {
    const { now } = this;
    if (c.stage === 'owner') return c.vehiclesOwned.some((v) => now - v.purchasedAt <= KEEP_OWNER_YEARS * YEAR);
    if (c.tags.some((t) => t.tagId === 'lifecycle-risk-lost')) return false;
    return (c.score?.total ?? 0) >= KEEP_SCORE || now - c.createdAt <= KEEP_NEW_DAYS * DAY;
  }

  // ---------- plan ----------

  private nextOwner(storeId: string): string {
    const list = this.ctx.consultants.get(storeId) ?? [];
    const cursor = this.ctx.ownerCursor.get(storeId) ?? 0;
    this.ctx.ownerCursor.set(storeId, cursor + 1);
    return (list[cursor % list.length] as StaffDoc)._id;
  }

  private pickModel(line?: CarModel['line']): CarModel {
    const l = line ?? LINE_PICKER.pick(this.rng);
    return this.rng.pick(MODELS_BY_LINE[l]);
  }

  private pickTrim(model: CarModel): Trim {
    const r = this.rng.float();
    return model.trims[r < 0.35 ? 0 : r < 0.8 ? 1 : 2] as Trim;
  }

  private vinTail(): string {
    return String(this.rng.int(0, 999_999)).padStart(6, '0');
  }

  private planPurchases(demo: DemoCustomerSpec | undefined): Purchase[] {
    const { rng, now } = this;
    const buy = (yearsAgo: number, preferred?: CarModel): Purchase => {
      const at = now - yearsAgo * YEAR - rng.int(0, 20) * DAY;
      const year = new Date(at + CST).getUTCFullYear();
      const available = MODELS.filter((m) => m.since <= year);
      const model = preferred && preferred.since <= year ? preferred : rng.pick(available.length ? available : MODELS);
      const deliveredAt = dayStart(at) + STORE_HOURS.pick(rng) * HOUR + rng.int(0, 59) * MIN;
      return { model, trim: this.pickTrim(model), at: deliveredAt, vinTail: this.vinTail() };
    };
    if (demo?.owned) {
      const model = modelById(demo.owned.modelId);
      if (!model) throw new Error(`demo customer owns unknown model ${demo.owned.modelId}`);
      return [buy(demo.owned.yearsAgo, model)];
    }
    const first = buy(rng.range(0.06, 8), this.pickModel());
    if (!rng.chance(0.08)) return [first];
    const older = buy(Math.min(10, (now - first.at) / YEAR + rng.range(1, 4)));
    return [older, first];
  }

  private planInterests(demo: DemoCustomerSpec | undefined, purchases: Purchase[]): CarModel[] {
    const { rng } = this;
    if (demo) return demo.models.map((id) => modelById(id)).filter((m): m is CarModel => !!m);
    if (purchases.length) {
      const latest = purchases[purchases.length - 1] as Purchase;
      const ageYears = (this.now - latest.at) / YEAR;
      // Owners in their replacement period start looking at a new car, often a NEV.
      if (ageYears >= 3 && rng.chance(0.45)) {
        const next = rng.chance(0.5) ? this.pickModel('NEV') : this.pickModel();
        return next.id === latest.model.id ? [latest.model] : [next, latest.model];
      }
      return [latest.model];
    }
    const primary = this.pickModel();
    if (!rng.chance(0.45)) return [primary];
    const second = rng.chance(0.7) ? this.pickModel(primary.line) : this.pickModel();
    return second.id === primary.id ? [primary] : [primary, second];
  }

  private planOrigin(stage: LifecycleStage, demo: DemoCustomerSpec | undefined, purchases: Purchase[]): number {
    const { rng, now } = this;
    if (purchases.length) return (purchases[0] as Purchase).at - rng.int(10, 90) * DAY - rng.int(0, 600) * MIN;
    if (demo) return now - rng.range(45, 120) * DAY;
    // Leads and prospects keep coming for 18 months, so some signed up before the year of events.
    if (stage === 'prospect') return now - rng.range(3 * DAY, 1.5 * YEAR);
    return now - rng.range(2 * HOUR, 1.5 * YEAR);
  }

  private planIdentities(
    stage: LifecycleStage,
    source: string,
    owned: boolean,
    demo: DemoCustomerSpec | undefined,
  ): { identities: CustomerIdentities; appUser: boolean } {
    const { rng, ctx, index } = this;
    const channel = channelById(source);
    const anonymousSource = channel?.kind === 'live' || source === 'miniprogram';
    const hasPhone = !!demo || stage !== 'lead' || rng.chance(anonymousSource ? 0.78 : 0.98);
    const hasOem = stage === 'owner' || !!channel?.oemDistributed || rng.chance(0.3);
    let hasOpenid = !!demo || source === 'miniprogram' || source === 'channels_live' || rng.chance(stage === 'owner' ? 0.6 : 0.42);
    const extRate = owned ? { lead: 0.3, prospect: 0.6, owner: 0.75 }[stage] : 0.08;
    const hasExternal = !!demo || source === 'wecom' || rng.chance(extRate);
    if (!hasPhone) hasOpenid = true;
    const hasUnion = !!demo || (hasOpenid ? rng.chance(0.9) : hasExternal && rng.chance(0.8));
    const appUser = hasOem && rng.chance(stage === 'owner' ? 0.55 : 0.2);

    const ids: CustomerIdentities = {};
    if (hasPhone) {
      const tail = (ctx.phoneA * index + ctx.phoneB) % 100_000_000;
      ids.phone = PHONE_PREFIXES.pick(rng) + String(tail).padStart(8, '0');
    }
    if (hasOem) {
      // 97654321 is coprime with 10^10, so the ids never repeat.
      const n = (97_654_321 * index + ctx.oemB) % 10_000_000_000;
      ids.oemId = `LS${String(n).padStart(10, '0')}`;
    }
    if (hasUnion) ids.unionid = demo ? demo.unionid : `o${rng.base64url(27)}`;
    if (hasExternal) ids.externalUserId = demo ? demo.externalUserId : `wm${rng.base64url(30)}`;
    if (hasOpenid) ids.openid = demo ? demo.openid : `o${rng.base64url(27)}`;
    return { identities: ids, appUser };
  }

  // ---------- time ----------

  /** A time of day someone is online, on the day of t, kept inside (origin, now). */
  private onlineTime(t: number): number {
    const { rng, now } = this;
    let x = dayStart(t) + ONLINE_HOURS.pick(rng) * HOUR + rng.int(0, HOUR - 1);
    // Later today has not happened yet: take the same hour yesterday.
    if (x > now - MIN) x -= DAY;
    if (x < this.lower) x = rng.range(this.lower, Math.min(this.lower + DAY, now - MIN));
    return Math.min(Math.round(x), now - MIN);
  }

  /**
   * Opening hours on the day of t, kept inside [notBefore, notAfter]; when the day does not
   * fit, any time in the bounds. Visits lean to weekends: a weekday is often moved to the
   * coming weekend with probability `toWeekend`.
   */
  private storeTime(t: number, notBefore: number, notAfter: number, toWeekend = 0.45): number {
    const { rng } = this;
    if (notAfter <= notBefore) return Math.round(notBefore);
    let day = dayStart(t);
    const wd = weekday(day);
    if (wd >= 1 && wd <= 5 && toWeekend > 0 && rng.chance(toWeekend)) {
      const shift = (6 - wd) * DAY + (rng.chance(0.5) ? DAY : 0);
      if (day + shift + 18 * HOUR < notAfter) day += shift;
    }
    let x = day + STORE_HOURS.pick(rng) * HOUR + rng.int(0, 59) * MIN;
    if (x < notBefore) x += DAY;
    if (x < notBefore || x > notAfter) x = rng.range(notBefore, notAfter);
    return Math.round(x);
  }

  /**
   * When an online session happens. Interest fades after sign-up (a fast and a slow decay), some
   * activity is spread over the whole year, and hot customers are busy right now. Undefined
   * when the draw lands in the future: a customer who signed up last week has had less time.
   */
  private sessionTime(): number | undefined {
    const { rng, now, plan } = this;
    const owner = plan.stage === 'owner';
    const hot = plan.hot ? 0.25 : 0;
    const fast = owner ? 0 : 0.4;
    const slow = owner ? 0 : 0.35;
    const r = rng.float();
    let t: number;
    if (r < hot) t = now - rng.exponential(plan.demo ? 3 * DAY : 10 * DAY);
    else if (r < hot + fast) t = plan.origin + rng.exponential(21 * DAY);
    else if (r < hot + fast + slow) t = plan.origin + rng.exponential(120 * DAY);
    else t = rng.range(this.windowStart, now);
    if (t > now) return undefined;
    if (t < this.windowStart) t = rng.range(this.windowStart, now);
    return this.onlineTime(t);
  }

  // ---------- touchpoints ----------

  private add<K extends TouchpointType>(type: K, t: number, source: string, properties: EventPropsByType[K], staffId?: string, storeId?: string): void {
    const at = Math.min(Math.round(t), this.now - MIN);
    const e: EventDoc = {
      _id: '',
      customerId: this.plan.id,
      storeId: storeId ?? this.plan.store.doc._id,
      type,
      source,
      properties,
      originalTimestamp: at,
      sentAt: at,
      receivedAt: at,
      timestamp: at,
    };
    if (staffId) e.staffId = staffId;
    this.drafts.push(e);
  }

  private primary(): CarModel {
    return this.plan.interests[0] ?? (MODELS[0] as CarModel);
  }

  private interestModel(p = 0.8): CarModel {
    return this.rng.chance(p) ? this.rng.pick(this.plan.interests.length ? this.plan.interests : MODELS) : this.rng.pick(MODELS);
  }

  /** The consultant who serves the customer at a store: their owner at home, anyone on duty elsewhere. */
  private staffAt(storeId: string): string {
    if (storeId === this.plan.store.doc._id && this.plan.ownerId) return this.plan.ownerId;
    return this.rng.pick(this.ctx.consultants.get(storeId) ?? [])._id;
  }

  private pickMaterial(t: number, model?: CarModel): SeedMaterial {
    const { rng, ctx } = this;
    const m = model ?? this.interestModel(0.75);
    const recent = ctx.recentMaterials;
    if (recent.length && t > (recent[0] as SeedMaterial).createdAt && rng.chance(0.3)) {
      const fresh = rng.pick(recent);
      if (t > fresh.createdAt) return fresh;
    }
    const own = ctx.materialsByModel.get(m.id);
    if (own && own.length && rng.chance(0.85)) return rng.pick(own);
    return rng.pick(rng.chance(0.6) ? ctx.generalMaterials : ctx.evergreenMaterials);
  }

  private contentSources?: Weighted<string>;

  private contentSource(): string {
    if (!this.contentSources) this.contentSources = this.contentSourcePicker();
    return this.contentSources.pick(this.rng);
  }

  private contentSourcePicker(): Weighted<string> {
    const { plan } = this;
    const ids = plan.identities;
    const kind = channelById(plan.source)?.kind;
    const options: [string, number][] = [];
    if (ids.openid) options.push(['miniprogram', 4]);
    if (ids.externalUserId) options.push(['wecom', 2]);
    if (plan.appUser) options.push(['app', 2]);
    if (kind === 'vertical' || kind === 'media') options.push([plan.source, 4]);
    options.push(['autohome', 1], ['dongchedi', 1], ['website', 0.5]);
    return new Weighted(options);
  }

  private shareSource(): string | undefined {
    const { plan, rng } = this;
    const options: string[] = [];
    if (plan.identities.openid) options.push('miniprogram', 'miniprogram');
    if (plan.identities.externalUserId) options.push('wecom');
    if (plan.appUser) options.push('app');
    return options.length ? rng.pick(options) : undefined;
  }

  private formSource(): string {
    const { plan, rng } = this;
    const options = ['website'];
    const kind = channelById(plan.source)?.kind;
    if (kind === 'vertical' || kind === 'media' || plan.source === 'douyin_live') options.push(plan.source, plan.source);
    if (plan.identities.openid) options.push('miniprogram', 'miniprogram');
    if (plan.appUser) options.push('app');
    return rng.pick(options);
  }

  private adSource(): string {
    const { plan, rng } = this;
    const kind = channelById(plan.source)?.kind;
    if ((kind === 'vertical' || kind === 'media') && rng.chance(0.6)) return plan.source;
    return rng.pick(['autohome', 'dongchedi', 'dongchedi', 'yiche', 'douyin', 'douyin', 'baidu', 'xiaohongshu']);
  }

  private contentView(t: number, source?: string, model?: CarModel): SeedMaterial {
    const { rng, plan } = this;
    const m = this.pickMaterial(t, model);
    // Typical seconds on each kind of material (invitations and cards read like a poster, scripts like an article).
    const median: Record<MaterialKind, number> = { video: 95, article: 75, poster: 12, live: 320, invitation: 20, miniprogram: 20, script: 75 };
    const dwellMedian = median[m.kind];
    const dwell = clamp(Math.round(rng.logNormal(dwellMedian * Math.pow(plan.engagement, 0.3), 0.85)), 3, m.kind === 'live' ? 5400 : 1800);
    this.add('content_view', t, source ?? this.contentSource(), { materialId: m._id, dwellSeconds: dwell, category: m.category, modelId: m.modelId ?? null });
    this.viewed.push(m);
    return m;
  }

  private share(t: number, material?: SeedMaterial): boolean {
    const source = this.shareSource();
    if (!source) return false;
    let m = material ?? (this.viewed.length ? this.rng.pick(this.viewed) : this.pickMaterial(t));
    // Views are drawn out of time order: a poster seen later cannot be shared earlier.
    if (!m.evergreen && m.createdAt >= t) m = this.pickMaterial(t);
    this.add('share', t, source, { materialId: m._id, category: m.category, modelId: m.modelId ?? null, target: SHARE_TARGETS.pick(this.rng) });
    return true;
  }

  private form(t: number, kind: FormKind, source?: string, model?: CarModel): void {
    const m = model ?? this.primary();
    const formName = kind === 'survey' ? SURVEYS[m.line === 'NEV' ? 'NEV' : m.line] : kind === 'activity_signup' ? this.rng.pick(PAST_ACTIVITIES) : null;
    const withModel = kind !== 'activity_signup';
    this.add('form_submit', t, source ?? this.formSource(), { form: kind, modelId: withModel ? m.id : null, formName, activityId: null });
  }

  private adClick(t: number, source?: string): void {
    const m = this.interestModel();
    this.add('ad_click', t, source ?? this.adSource(), { modelId: m.id, campaign: `${m.name}${this.rng.pick(CAMPAIGNS)}` });
  }

  private liveStream(t: number, source?: string): void {
    const { rng, plan } = this;
    const m = this.primary();
    const brand = rng.chance(0.25);
    const liveTitle = brand ? rng.pick(BRAND_LIVE_TITLES) : rng.pick(LIVE_TITLES[m.line]);
    const src = source ?? (plan.identities.openid && rng.chance(0.4) ? 'channels_live' : 'douyin_live');
    const watch = clamp(Math.round(rng.logNormal(420 * Math.pow(plan.engagement, 0.3), 1)), 20, 7200);
    this.add('live_stream', t, src, { liveTitle, watchSeconds: watch, modelId: brand ? null : m.id, interacted: rng.chance(0.3) });
  }

  /** The first touch, which is how the customer entered the system. */
  private originEvents(): void {
    const { plan, rng } = this;
    const t0 = plan.origin;
    this.lower = t0;
    const s = plan.source;
    const kind = channelById(s)?.kind;
    const hasPhone = !!plan.identities.phone;
    const next = (t: number) => t + rng.int(1, 8) * MIN + rng.int(0, 59_000);
    const leadForm = (): FormKind => (rng.chance(0.55) ? 'price_inquiry' : rng.chance(0.6) ? 'test_drive_booking' : 'brochure');
    if (s === 'store') {
      this.visit(t0, plan.store.doc._id, 1, plan.stage === 'prospect' ? 0.6 : 0.9, 0.5);
    } else if (s === 'wecom') {
      this.add('wecom_chat', t0, 'wecom', { direction: 'in', messages: rng.int(1, 6) }, this.staffAt(plan.store.doc._id));
    } else if (s === 'hotline') {
      this.add('call', t0, 'hotline', { direction: 'inbound', durationSeconds: rng.int(60, 480), connected: true });
    } else if (s === 'referral') {
      this.form(t0, 'test_drive_booking', plan.identities.openid ? 'miniprogram' : 'website');
    } else if (kind === 'live') {
      this.liveStream(t0, s);
      if (hasPhone) this.form(next(t0), leadForm(), s === 'douyin_live' ? s : 'miniprogram');
    } else if (kind === 'vertical' || kind === 'media') {
      this.adClick(t0, s);
      if (hasPhone) this.form(next(t0), leadForm(), s);
    } else {
      // Owners who signed up years ago did so before today's material library existed.
      const libraryExists = this.ctx.evergreenMaterials.every((m) => m.createdAt < t0);
      if (libraryExists || !hasPhone) this.contentView(t0, s);
      if (hasPhone) this.form(libraryExists ? next(t0) : t0, leadForm(), s);
    }
    this.lower = t0 + MIN;
  }

  /** One store visit: reception, maybe a test drive, maybe a quote. */
  private visit(t: number, storeId: string, visitNo: number, pTestDrive: number, pQuote: number, model?: CarModel): void {
    const { rng } = this;
    const staff = this.staffAt(storeId);
    const m = model ?? this.interestModel(0.9);
    const minutes = rng.int(25, 130);
    this.add('store_visit', t, 'store', { durationMinutes: minutes, visitNo }, staff, storeId);
    let at = t + rng.int(8, 25) * MIN;
    let trim = this.pickTrim(m);
    if (rng.chance(pTestDrive)) {
      this.add('test_drive', at, 'store', { modelId: m.id, trim: trim.name, durationMinutes: rng.int(15, 40) }, staff, storeId);
      at += rng.int(30, 60) * MIN;
    }
    if (rng.chance(pQuote)) {
      trim = rng.chance(0.8) ? trim : this.pickTrim(m);
      const cut = Math.round((trim.price * rng.range(0.02, 0.09)) / 1000) * 1000;
      this.add('quote', Math.min(at, t + minutes * MIN), 'store', { modelId: m.id, trim: trim.name, listPrice: trim.price, price: trim.price - cut, priceCut: cut }, staff, storeId);
    }
  }

  /** Latest start of a store visit, so everything that happens during it is in the past. */
  private lastVisitStart(): number {
    return this.now - 3 * HOUR;
  }

  private storeVisits(): void {
    const { rng, plan, now } = this;
    const home = plan.store.doc._id;
    const latest = this.lastVisitStart();
    if (plan.demo) {
      this.visit(this.storeTime(now - rng.range(15, 25) * DAY, this.lower, latest), home, 1, 1, 0.5);
      this.visit(this.storeTime(now - rng.range(2, 5) * DAY, this.lower, latest), home, 2, 0.5, 1);
      return;
    }
    const count = Math.min(4, 1 + rng.poisson(0.5 * Math.min(plan.engagement, 3)));
    const otherStore = rng.chance(0.12) ? rng.pick(STORES.filter((s) => s.doc._id !== home)).doc._id : undefined;
    // A walk-in's first visit is their origin event.
    let prev = plan.source === 'store' ? plan.origin : undefined;
    for (let i = prev === undefined ? 0 : 1; i < count; i++) {
      let candidate = prev === undefined ? plan.origin + HOUR + rng.exponential(12 * DAY) : prev + rng.range(2, 30) * DAY;
      if (candidate > latest) {
        if (prev !== undefined) break;
        candidate = rng.range(plan.origin + HOUR, latest);
      }
      const t = this.storeTime(candidate, (prev ?? plan.origin) + HOUR, latest);
      const storeId = otherStore && i === count - 1 && i > 0 ? otherStore : home;
      this.visit(t, storeId, i + 1, i === 0 ? 0.65 : 0.45, i === count - 1 ? 0.7 : 0.45);
      prev = t;
    }
  }

  private purchaseEvents(p: Purchase): void {
    const { rng, plan } = this;
    const home = plan.store.doc._id;
    const staff = this.staffAt(home);
    const orderAt = this.storeTime(p.at - rng.int(4, 12) * DAY, plan.origin + 3 * DAY, p.at - DAY);
    const visitAt = this.storeTime(orderAt - rng.int(5, 25) * DAY, plan.origin + HOUR, orderAt - DAY);
    // A walk-in's first purchase started with the visit that is their origin event.
    if (plan.source !== 'store' || p !== plan.purchases[0]) this.visit(visitAt, home, 1, 0.9, 0.8, p.model);
    const cut = Math.round((p.trim.price * rng.range(0.02, 0.08)) / 1000) * 1000;
    const date = new Date(orderAt + CST);
    const ymd = `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
    const orderNo = `LS${ymd}${String(rng.int(0, 9999)).padStart(4, '0')}`;
    this.add('order', orderAt, 'store', { modelId: p.model.id, trim: p.trim.name, orderNo, price: p.trim.price - cut, deposit: rng.pick([5000, 10000, 20000]) }, staff);
    this.add('delivery', p.at, 'store', { modelId: p.model.id, trim: p.trim.name, vinTail: p.vinTail }, staff);
  }

  /** First service a few months after delivery, then about once a year; the last year is kept. */
  private serviceVisits(p: Purchase): void {
    const { rng, now, plan } = this;
    const home = plan.store.doc._id;
    let t = p.at + rng.range(90, 180) * DAY;
    let first = true;
    while (t < now - HOUR) {
      if (t >= now - YEAR && rng.chance(0.85)) {
        const ageYears = (t - p.at) / YEAR;
        const service: ServiceKind = first ? 'first_service' : rng.chance(0.8) ? 'maintenance' : ageYears < 3 && rng.chance(0.3) ? 'warranty' : 'repair';
        const km = Math.round((((t - p.at) / (30 * DAY)) * 1200 * rng.range(0.6, 1.4)) / 100) * 100;
        const amount = service === 'first_service' || service === 'warranty' ? 0 : service === 'maintenance' ? rng.int(6, 15) * 100 : rng.int(8, 60) * 100;
        const at = this.storeTime(t, Math.max(p.at + DAY, now - YEAR), this.lastVisitStart(), 0.2);
        this.add('service_visit', at, 'store', { modelId: p.model.id, service, mileageKm: km, amount }, this.staffAt(home));
      }
      first = false;
      t += rng.range(300, 420) * DAY;
    }
  }

  private onlineEvents(): void {
    const { rng, plan } = this;
    const picker = new Weighted(ONLINE_TYPES[plan.stage]);
    const n = Math.min(MAX_ONLINE_EVENTS, rng.poisson(ONLINE_RATE[plan.stage] * plan.engagement * (plan.couponHunter ? 0.5 : 1)));
    const owner = plan.stage === 'owner';
    const replacing = owner && plan.interests.length > 1;
    for (let i = 0; i < n; i++) {
      const t = this.sessionTime();
      if (t === undefined) continue;
      let type = picker.pick(rng);
      if (type === 'form_submit' && !plan.identities.phone) type = 'content_view';
      switch (type) {
        case 'content_view': {
          const m = this.contentView(t);
          // Some views are followed by a share a minute later.
          if (rng.chance(0.06 * Math.min(plan.engagement, 3))) this.share(Math.min(t + rng.int(20, 300) * 1000, this.now - MIN), m);
          break;
        }
        case 'ad_click':
          this.adClick(t);
          break;
        case 'live_stream':
          this.liveStream(t);
          break;
        case 'share':
          if (!this.share(t)) this.contentView(t);
          break;
        case 'form_submit':
          this.form(t, owner ? (replacing ? OWNER_FORMS.pick(rng) : rng.chance(0.7) ? 'activity_signup' : 'survey') : LEAD_FORMS.pick(rng));
          break;
      }
    }
  }

  /** Registers for every store's activity and never comes in: what 羊毛党 look like. */
  private couponHunterSignups(): void {
    const { rng, now } = this;
    const n = rng.int(6, 14);
    for (let i = 0; i < n; i++) {
      const t = this.onlineTime(rng.range(Math.max(this.windowStart, now - 200 * DAY), now));
      const storeId = rng.pick(STORES).doc._id;
      this.add('form_submit', t, this.plan.identities.openid ? 'miniprogram' : 'website', { form: 'activity_signup', modelId: null, formName: rng.pick(PAST_ACTIVITIES), activityId: null }, undefined, storeId);
    }
  }

  /** Demo customers are busy right now, and some match the article's audience examples. */
  private demoExtras(demo: DemoCustomerSpec): void {
    const { rng, now } = this;
    const burst = rng.int(2, 4);
    for (let i = 0; i < burst; i++) {
      const t = now - rng.range(HOUR, (i === 0 ? 18 : 48) * HOUR);
      const m = this.contentView(Math.round(t), 'miniprogram');
      if (i === 0) this.share(Math.round(t) + 90_000, m);
    }
    if (demo.suvAudience) {
      const suv = this.plan.interests.find((m) => m.line === 'SUV') ?? this.pickModel('SUV');
      for (let i = 0; i < 4; i++) {
        const t = this.onlineTime(now - rng.range(2, 60) * DAY);
        this.share(t, this.pickMaterial(t, suv));
      }
      this.form(this.onlineTime(now - rng.range(3, 20) * DAY), 'survey', 'miniprogram', suv);
    }
  }

  /** Calls and WeCom chats from the consultant, on days the customer was active. */
  private consultantContacts(): void {
    const { rng, plan, now } = this;
    const owned = !!plan.ownerId;
    const scale = plan.demo ? 2 : 1;
    const home = plan.store.doc._id;
    if (plan.identities.phone) {
      const rate = owned ? { lead: 1.2, prospect: 2.5, owner: 1 }[plan.stage] : 0.3;
      const n = rng.poisson(rate * scale);
      for (let i = 0; i < n; i++) {
        const t = this.storeTime(rng.range(this.windowStart, now), this.lower, now - MIN, 0);
        const connected = rng.chance(0.72);
        this.add('call', t, 'phone', { direction: 'outbound', durationSeconds: connected ? rng.int(30, 600) : 0, connected }, this.staffAt(home));
      }
    }
    if (plan.identities.externalUserId) {
      const rate = { lead: 1.5, prospect: 3, owner: 1.5 }[plan.stage] * Math.min(plan.engagement, 2.5);
      const n = rng.poisson(rate * scale);
      for (let i = 0; i < n; i++) {
        const t = this.onlineTime(rng.range(this.windowStart, now));
        this.add('wecom_chat', t, 'wecom', { direction: rng.chance(0.45) ? 'in' : 'out', messages: rng.int(1, 12) }, this.staffAt(home));
      }
    }
  }

  // ---------- events ----------

  /**
   * Gives each event its message id and the four Segment times: the device's clock may be
   * off (skew), sending may be delayed, and the server corrects `timestamp` for the skew.
   */
  private finalizeEvents(): EventDoc[] {
    const { rng, ctx, now, plan } = this;
    const events = this.drafts.sort((a, b) => a.timestamp - b.timestamp);
    const base = plan.index * 4096;
    for (let seq = 0; seq < events.length; seq++) {
      const e = events[seq] as EventDoc;
      const t = e.timestamp;
      const client = CLIENT_SOURCES.has(e.source) && !e.staffId;
      let skew = 0;
      if (client && rng.chance(0.15)) skew = (rng.chance(0.5) ? 1 : -1) * (rng.chance(0.07) ? rng.int(HOUR, 8 * HOUR) : rng.int(1000, 180_000));
      const latency = rng.int(20, 900);
      let delay = client ? (rng.chance(0.03) ? rng.int(MIN, 2 * HOUR) : rng.int(0, 2500)) : e.staffId ? rng.int(0, 5000) : rng.int(1000, 30 * MIN);
      if (t + delay + latency > now) delay = Math.max(0, now - t - latency);
      // The last 12 hex digits encode (index, seq) under a mask: unique by construction.
      const v = base + seq;
      const hi = ((Math.floor(v / 4294967296) ^ ctx.idMaskHi) & 0xffff) >>> 0;
      const lo = ((v >>> 0) ^ ctx.idMaskLo) >>> 0;
      e._id = this.eventId(hi, lo);
      e.originalTimestamp = t + skew;
      e.sentAt = t + delay + skew;
      e.receivedAt = t + delay + latency;
      e.timestamp = t + latency;
    }
    // Latency can swap events less than a second apart; an insertion pass restores the order.
    for (let i = 1; i < events.length; i++) {
      const e = events[i] as EventDoc;
      let j = i - 1;
      while (j >= 0 && (events[j] as EventDoc).timestamp > e.timestamp) {
        events[j + 1] = events[j] as EventDoc;
        j--;
      }
      events[j + 1] = e;
    }
    return events;
  }

  private eventId(hi: number, lo: number): string {
    const { rng } = this;
    const r1 = rng.u32();
    const r2 = rng.u32();
    const r3 = rng.u32();
    return `${hex8(r1)}-${hex4(r2 & 0xffff)}-4${hex4(r2 >>> 16).slice(1)}-${HEX_VARIANT[r3 & 3]}${hex4(r3 >>> 16).slice(1)}-${hex4(hi)}${hex8(lo)}`;
  }

  /** Adds the consultant's 战败 call (a follow-up event) to `events`, in time order. */
  private lostEvent(events: EventDoc[], at: number, reason: LostReason, competitor: string | undefined): EventDoc {
    const { ctx, plan } = this;
    const v = plan.index * 4096 + events.length;
    const hi = ((Math.floor(v / 4294967296) ^ ctx.idMaskHi) & 0xffff) >>> 0;
    const lo = ((v >>> 0) ^ ctx.idMaskLo) >>> 0;
    const properties: EventDoc['properties'] = { direction: 'outbound', outcome: 'lost', reason };
    if (competitor) properties.competitor = competitor;
    const e: EventDoc = {
      _id: this.eventId(hi, lo),
      customerId: plan.id,
      storeId: plan.store.doc._id,
      type: 'call',
      source: 'store',
      properties,
      originalTimestamp: at,
      sentAt: at,
      receivedAt: at,
      timestamp: at,
      staffId: plan.ownerId as string,
    };
    // In time order: the consultant may have called after the customer went quiet.
    let i = events.length;
    while (i > 0 && (events[i - 1] as EventDoc).timestamp > at) i--;
    events.splice(i, 0, e);
    return e;
  }

  // ---------- the profile, derived from the events ----------

  private deriveCustomer(name: string, gender: CustomerDoc['gender'], city: string, events: EventDoc[]): CustomerDoc {
    const { plan, now, ctx } = this;
    // Last activity and last touch are what the customer did, as the pipeline projects them:
    // a consultant's outbound call or message is not the customer's activity.
    let last = events[0] as EventDoc;
    for (let i = events.length - 1; i >= 0; i--) {
      if (isCustomerInteraction(events[i] as EventDoc)) {
        last = events[i] as EventDoc;
        break;
      }
    }
    const lastEventAt = (events[events.length - 1] as EventDoc).timestamp;
    const stage = stageFromEvents(events);
    if (stage !== plan.stage) throw new Error(`customer ${plan.id}: planned ${plan.stage}, events say ${stage}`);

    const visits = new Map<string, { storeId: string; lastAt: number; count: number }>();
    const interest = new Map<string, { at: number; weight: number }>();
    // The car an owner already drives is what they own, not what they are interested in buying.
    const ownedModels = new Set<string>();
    for (const e of events) if (e.type === 'delivery') ownedModels.add(String(e.properties.modelId));
    for (const e of events) {
      if (e.type === 'store_visit' || e.type === 'service_visit') {
        const v = visits.get(e.storeId) ?? { storeId: e.storeId, lastAt: 0, count: 0 };
        v.count++;
        v.lastAt = Math.max(v.lastAt, e.timestamp);
        visits.set(e.storeId, v);
      }
      const modelId = e.properties.modelId;
      if (typeof modelId !== 'string' || !INTEREST_TYPES.has(e.type)) continue;
      if (ownedModels.has(modelId)) continue;
      const seen = interest.get(modelId) ?? { at: 0, weight: 0 };
      seen.at = Math.max(seen.at, e.timestamp);
      seen.weight += INTEREST_WEIGHT[e.type] ?? 0;
      interest.set(modelId, seen);
    }
    // A single glance at an ad is not interest; a repeat, a share, a form or a test drive is.
    const vehiclesOfInterest = [...interest.entries()]
      .filter(([, v]) => v.weight >= 2)
      .sort((a, b) => b[1].at - a[1].at)
      .slice(0, 3)
      .map(([modelId, v]) => ({ modelId, at: v.at }));
    const deliveries = events.filter((e) => e.type === 'delivery');
    const vehiclesOwned: OwnedVehicle[] = deliveries.map((e) => ({
      modelId: String(e.properties.modelId),
      purchasedAt: e.timestamp,
      vinTail: String(e.properties.vinTail),
    }));

    const stats = eventStats(events, now, ctx.materialKinds);
    const score = behaviourScore(stats, now, last.timestamp);
    const grade = this.grade(stage, score);
    const tags = this.tags({ stage, gender, city, events, stats, score, grade, vehiclesOfInterest, vehiclesOwned, lastAt: last.timestamp });
    const updatedAt = Math.max(lastEventAt, ...tags.map((t) => t.assignedAt));

    const c: CustomerDoc = {
      _id: plan.id,
      name,
      gender,
      city,
      identities: plan.identities,
      storeId: plan.store.doc._id,
      stage,
      sourceChannel: plan.source,
      vehiclesOfInterest,
      vehiclesOwned,
      tags,
      storesVisited: [...visits.values()].sort((a, b) => b.lastAt - a.lastAt),
      createdAt: (events[0] as EventDoc).timestamp,
      updatedAt,
      lastActivityAt: last.timestamp,
      lastTouch: { type: last.type, at: last.timestamp, summary: describeEvent(last, ctx.lookups) },
    };
    if (plan.ownerId) c.ownerId = plan.ownerId;
    if (grade) c.grade = grade;
    return c;
  }

  private grade(stage: LifecycleStage, score: number): IntentGrade | undefined {
    const { rng, plan } = this;
    if (plan.demo) return plan.demo.grade;
    const byScore: IntentGrade = score >= 75 ? 'H' : score >= 55 ? 'A' : score >= 35 ? 'B' : 'C';
    if (stage === 'prospect') return rng.chance(0.85) ? byScore : undefined;
    if (stage === 'lead') return score >= 40 && rng.chance(0.6) ? byScore : undefined;
    return plan.interests.length > 1 && score >= 50 && rng.chance(0.4) ? byScore : undefined;
  }

  private tags(x: {
    stage: LifecycleStage;
    gender: CustomerDoc['gender'];
    city: string;
    events: EventDoc[];
    stats: EventStats;
    score: number;
    grade: IntentGrade | undefined;
    vehiclesOfInterest: { modelId: string; at: number }[];
    vehiclesOwned: OwnedVehicle[];
    lastAt: number;
  }): TagAssignment[] {
    const { rng, plan, now } = this;
    const { stats, events } = x;
    const created = (events[0] as EventDoc).timestamp;
    const out = new Map<string, TagAssignment>();
    // Rule tags are the pipeline's: `scoreCustomer` computes them from the events and would
    // replace any made here, so only what the OEM or a consultant set is kept. The rule calls
    // below add nothing; they are left in place so the random draws among them (e.g. ADAS)
    // stay in order and each seed keeps the customers it had.
    const add = (tagId: string, source: TagAssignment['source'], assignedAt: number) => {
      if (source === 'rule') return;
      if (!out.has(tagId)) out.set(tagId, { tagId, path: tagPath(tagId), source, assignedAt: Math.min(assignedAt, now) });
    };
    const oemOr = (fallback: TagAssignment['source']) => (plan.identities.oemId ? 'oem' : fallback);

    // Attributes the OEM or the consultant knows.
    if (x.gender !== 'unknown') add(`basic-gender-${x.gender}`, oemOr('consultant'), created);
    const tier = CITY_TIER[x.city];
    if (tier) add(`basic-city_tier-${tier}`, 'rule', created);
    if (rng.chance(0.7)) add(`basic-age-${rng.pick(['18_25', '26_30', '26_30', '31_35', '31_35', '36_45', '36_45', '46_plus'])}`, oemOr('consultant'), created);
    if (rng.chance(0.45)) add(`basic-family-${rng.pick(['single', 'couple', 'kids', 'kids', 'two_kids', 'three_gen'])}`, 'consultant', created + DAY);
    if (rng.chance(0.35)) add(`basic-occupation-${rng.pick(['white_collar', 'white_collar', 'business_owner', 'civil_servant', 'freelancer', 'professional'])}`, 'consultant', created + DAY);

    // Lifecycle: the stage starts with the first event that put the customer in it.
    const stageStart = x.stage === 'lead' ? created : (events.find((e) => (x.stage === 'owner' ? e.type === 'order' : PROSPECT_TYPES.has(e.type))) as EventDoc).timestamp;
    add(STAGE_TAG[x.stage], 'rule', stageStart);
    const latestOwned = x.vehiclesOwned[x.vehiclesOwned.length - 1];
    if (latestOwned) {
      const age = (now - latestOwned.purchasedAt) / YEAR;
      add(`lifecycle-owner_phase-${age < 1 ? 'new' : age < 3 ? 'steady' : 'veteran'}`, 'rule', latestOwned.purchasedAt);
    }
    const idleDays = (now - x.lastAt) / DAY;
    if (idleDays > 90) add('lifecycle-risk-dormant', 'rule', x.lastAt + 90 * DAY);
    else if (x.stage === 'prospect' && idleDays > 30) add('lifecycle-risk-warning', 'rule', x.lastAt + 30 * DAY);
    // Some prospects who went quiet are marked lost (战败) by their consultant.
    this.lost = x.stage === 'prospect' && idleDays > 120 && !!plan.ownerId && rng.chance(0.4);
    if (this.lost) add('lifecycle-risk-lost', 'consultant', this.lostAt(x.lastAt));

    // Intent.
    if (x.stage !== 'owner' || plan.interests.length > 1) {
      add(`intent-level-${x.score >= 60 ? 'high' : x.score >= 35 ? 'medium' : 'low'}`, 'rule', x.lastAt);
    }
    if (x.grade) add(`intent-horizon-${{ H: 'd7', A: 'd15', B: 'd30', C: 'm3' }[x.grade]}`, 'consultant', x.lastAt);
    const target = plan.interests[0];
    if (target && x.stage !== 'owner') {
      const mid = (target.priceMin + target.priceMax) / 2;
      add(`intent-budget-${mid < 10 ? 'lt10' : mid < 15 ? '10_15' : mid < 20 ? '15_20' : mid < 30 ? '20_30' : 'gt30'}`, oemOr('consultant'), created);
      if (rng.chance(0.5)) add(`intent-kind-${rng.pick(['first', 'first', 'first', 'additional', 'replace'])}`, 'consultant', created + DAY);
    } else if (plan.interests.length > 1 && latestOwned) {
      add(`intent-kind-${(now - latestOwned.purchasedAt) / YEAR >= 3 ? 'replace' : 'additional'}`, 'rule', x.lastAt);
    }
    if (stats.booked) add('intent-signal-booked', 'rule', stats.booked);
    if (stats.testDrive) add('intent-signal-test_driven', 'rule', stats.testDrive);
    if (stats.quote) add('intent-signal-quoted', 'rule', stats.quote);
    if (stats.visitStores.size >= 2) add('intent-signal-multi_store', 'rule', stats.lastVisit);

    // Purchasing power.
    if (plan.identities.oemId && rng.chance(0.6)) {
      const price = (target ?? latestOwnedModel(x.vehiclesOwned) ?? (MODELS[0] as CarModel)).priceMax;
      const level = price >= 22 ? (rng.chance(0.65) ? 'high' : 'medium') : price >= 15 ? (rng.chance(0.6) ? 'medium' : rng.chance(0.5) ? 'high' : 'low') : rng.chance(0.6) ? 'low' : 'medium';
      add(`power-level-${level}`, 'oem', created);
      if (level === 'high' && rng.chance(0.4)) add('power-assets-luxury', 'oem', created);
    }
    if (rng.chance(0.3)) add('power-assets-house', 'oem', created);
    if (x.stage === 'owner' || rng.chance(0.25)) add('power-assets-car', x.stage === 'owner' ? 'rule' : 'consultant', created);
    if (x.stage === 'prospect' && rng.chance(0.35)) add(`power-finance-${rng.pick(['full', 'loan', 'low_down', 'zero_interest'])}`, 'consultant', stats.lastVisit || x.lastAt);

    // Behaviour.
    for (const [category, c] of stats.categories) if (c.count >= 2) add(`behavior-focus-${category}`, 'rule', c.lastAt);
    const favouriteKind = topKey(stats.kinds);
    if (favouriteKind && stats.views >= 3) add(`behavior-content-${favouriteKind === 'live' ? 'live' : favouriteKind}`, 'rule', x.lastAt);
    if (stats.lives >= 3) add('behavior-content-live', 'rule', x.lastAt);
    const channelKind = topKey(stats.channelKinds);
    if (channelKind && events.length >= 4) add(`behavior-channel-${channelKind}`, 'rule', x.lastAt);
    if (stats.shares90 >= 3) add('behavior-share-koc', 'rule', stats.lastShare);
    else if (stats.shares > 0) add('behavior-share-sharer', 'rule', stats.lastShare);
    if (x.stage === 'owner' && rng.chance(0.1)) add('behavior-share-referrer', 'oem', x.lastAt);

    // Activity.
    const level = stats.events30 >= 8 ? 'high' : stats.events30 >= 3 ? 'medium' : idleDays > 90 ? 'dormant' : 'low';
    add(`activity-level-${level}`, 'rule', x.lastAt);
    add(`activity-recency-${idleDays <= 7 ? 'd7' : idleDays <= 30 ? 'd30' : idleDays <= 90 ? 'd90' : 'gt90'}`, 'rule', x.lastAt);
    add(`activity-score-${x.score >= 80 ? 's80' : x.score >= 60 ? 's60' : x.score >= 40 ? 's40' : 'lt40'}`, 'rule', x.lastAt);
    if (stats.events90 > 0) add(`activity-frequency-${stats.events90 >= 10 ? 'f10' : stats.events90 >= 3 ? 'f3' : 'f1'}`, 'rule', x.lastAt);

    // Replacement period.
    if (latestOwned) {
      const age = (now - latestOwned.purchasedAt) / YEAR;
      add(`replace-window-${age < 3 ? 'early' : age < 5 ? 'watch' : age < 8 ? 'peak' : 'overdue'}`, 'rule', latestOwned.purchasedAt);
      if (plan.interests.length > 1) {
        add(age >= 3 ? 'replace-need-replace' : 'replace-need-add', 'rule', x.lastAt);
        const owned = modelById(latestOwned.modelId);
        if (owned?.energy === 'ice' && plan.interests[0]?.energy !== 'ice') add('replace-need-nev_switch', 'rule', x.lastAt);
      }
    }
    if (stats.tradeIn) add('replace-tradein-assessed', 'rule', stats.tradeIn);

    // Care and campaigns.
    if (rng.chance(x.stage === 'owner' ? 0.7 : 0.15)) add(`care-birthday-m${String(rng.int(1, 12)).padStart(2, '0')}`, 'oem', created);
    if (rng.chance(0.2)) {
      const nev = target?.line === 'NEV';
      add(`care-benefit-${x.stage === 'owner' ? 'maintenance' : nev && rng.chance(0.6) ? 'charging' : rng.pick(['cash', 'cash', 'accessories'])}`, 'consultant', x.lastAt);
    }
    if (stats.signups > 0) add('care-campaign-signed_up', 'rule', stats.lastSignup);
    if (stats.signups >= 3) add('care-campaign-frequent', 'rule', stats.lastSignup);

    // Risk.
    if (plan.couponHunter) {
      add('risk-coupon-suspected', 'rule', stats.lastSignup || x.lastAt);
      if (stats.signupStores.size >= 2) add('risk-coupon-multi_signup', 'rule', stats.lastSignup);
      if (stats.visits === 0) add('risk-coupon-perk_only', 'rule', stats.lastSignup || x.lastAt);
    }
    if (stats.wecom >= 3) add('risk-contact-wecom', 'rule', x.lastAt);
    if (stats.callsConnected >= 3) add('risk-contact-phone', 'rule', x.lastAt);

    // Vehicle subject: what they look at and what they own.
    for (const v of x.vehiclesOfInterest) {
      const m = modelById(v.modelId);
      if (!m) continue;
      add(`vehicle_pref-model-${m.id}`, 'rule', v.at);
      add(`vehicle_pref-body-${m.body === 'hatchback' ? 'sedan' : m.body}`, 'rule', v.at);
      add(`vehicle_pref-size-${m.segment.includes('紧凑') ? 'compact' : m.segment.includes('中大型') ? 'large' : 'midsize'}`, 'rule', v.at);
      add(`vehicle_pref-seats-${m.seats >= 7 ? 's7' : 's5'}`, 'rule', v.at);
      add(`vehicle_energy-type-${m.energy}`, 'rule', v.at);
    }
    if (x.vehiclesOfInterest.some((v) => modelById(v.modelId)?.energy !== 'ice') && rng.chance(0.5)) {
      add(`vehicle_energy-charging-${rng.pick(['home', 'home', 'public', 'none'])}`, 'consultant', x.lastAt);
    }
    if (latestOwned) {
      const age = (now - latestOwned.purchasedAt) / YEAR;
      add(`vehicle_status-age-${age < 1 ? 'y1' : age < 3 ? 'y1_3' : age < 5 ? 'y3_5' : age < 8 ? 'y5_8' : 'y8_plus'}`, 'rule', latestOwned.purchasedAt);
      const km = stats.lastMileage ?? age * 14_000;
      add(`vehicle_status-mileage-${km < 10_000 ? 'lt10k' : km < 30_000 ? '10k_30k' : km < 60_000 ? '30k_60k' : 'gt60k'}`, 'oem', stats.lastService || latestOwned.purchasedAt);
      add(`vehicle_status-warranty-${age < 3 ? 'in' : 'out'}`, 'rule', latestOwned.purchasedAt);
      if (age >= 0.5) add(`vehicle_status-service-${stats.lastService ? 'on_time' : age < 6 ? 'overdue' : 'lapsed'}`, 'rule', stats.lastService || now - DAY);
    }
    if (stats.trim) {
      add(`vehicle_config-trim-${['base', 'mid', 'top'][stats.trim.index] ?? 'mid'}`, 'rule', stats.trim.at);
      add(`vehicle_config-drive-${stats.trim.name.includes('四驱') ? 'awd' : 'fwd'}`, 'rule', stats.trim.at);
    }
    if (rng.chance(0.2)) add(`vehicle_config-color-${rng.pick(['white', 'white', 'black', 'gray', 'blue', 'green'])}`, 'consultant', x.lastAt);
    if (stats.categories.get('tech')) add(`vehicle_config-adas-${rng.pick(['l2', 'noa', 'parking'])}`, 'rule', (stats.categories.get('tech') as { lastAt: number }).lastAt);

    return [...out.values()];
  }

  private lostAt(lastAt: number): number {
    return Math.min(lastAt + 45 * DAY, this.now - DAY);
  }

  private followUps(events: EventDoc[], customer: Pick<CustomerDoc, 'lastActivityAt'>): FollowUpDoc[] {
    const { rng, plan, now } = this;
    const owner = plan.ownerId;
    if (!owner) return [];
    const out: FollowUpDoc[] = [];
    const push = (kind: FollowUpKind, note: string, at: number, e: EventDoc, details: FollowUpDoc['details']) =>
      out.push({
        _id: `fu-${plan.id.slice(4)}-${out.length + 1}`,
        customerId: plan.id,
        storeId: plan.store.doc._id,
        staffId: owner,
        kind,
        details: details ?? {},
        note,
        at: Math.min(at, now),
        eventId: e._id,
      });
    const pick = (p: EventDoc['properties'], keys: readonly string[]) => {
      const d: NonNullable<FollowUpDoc['details']> = {};
      for (const k of keys) if (p[k] !== undefined) d[k] = p[k] as string | number | boolean | null;
      return d;
    };
    const since = now - 400 * DAY;
    for (const e of events) {
      if (e.staffId !== owner || e.timestamp < since) continue;
      const at = e.timestamp + rng.int(3, 90) * MIN;
      const p = e.properties;
      const model = typeof p.modelId === 'string' ? (modelById(p.modelId)?.name ?? '') : '';
      switch (e.type) {
        case 'store_visit':
          if (rng.chance(0.85)) push('visit', `客户到店${p.visitNo === 1 ? '首次' : '再次'}看车，${rng.pick(VISIT_NOTES)}`, at, e, pick(p, ['durationMinutes']));
          break;
        case 'test_drive':
          if (rng.chance(0.85)) push('test_drive', `试驾${model} ${String(p.trim)}，${rng.pick(TEST_DRIVE_NOTES)}`, at, e, pick(p, ['modelId', 'trim', 'durationMinutes']));
          break;
        case 'quote':
          if (rng.chance(0.85)) push('quote', `报价${model} ${formatWan(Number(p.price))} 万，优惠 ${formatWan(Number(p.priceCut))} 万，${rng.pick(QUOTE_NOTES)}`, at, e, pick(p, ['modelId', 'trim', 'price', 'priceCut']));
          break;
        case 'order':
          push('order', `客户下订${model} ${String(p.trim)}，定金 ${Number(p.deposit)} 元`, at, e, pick(p, ['modelId', 'trim', 'price', 'deposit']));
          break;
        case 'call':
          if (p.direction === 'outbound' && rng.chance(0.8)) {
            const details = { outcome: p.connected ? 'connected' : 'no_answer', ...pick(p, ['durationSeconds']) };
            push('call', p.connected ? `电话沟通，${rng.pick(CALL_NOTES)}` : '电话未接通，稍后再联系', at, e, details);
          }
          break;
        case 'wecom_chat':
          if (rng.chance(0.15)) push('note', `企微沟通：${rng.pick(CHAT_NOTES)}`, at, e, {});
          break;
      }
    }
    if (this.lost) {
      const [text, reason, competitor] = rng.pick(LOST_NOTES);
      const at = this.lostAt(customer.lastActivityAt);
      const e = this.lostEvent(events, at, reason, competitor);
      push('lost', `客户已${text}，标记战败`, at, e, competitor ? { reason, competitor } : { reason });
    }
    return out.sort((a, b) => a.at - b.at);
  }

  private identityDocs(): IdentityDoc[] {
    const out: IdentityDoc[] = [];
    const ids = this.plan.identities;
    for (const type of IDENTITY_TYPES) {
      const value = ids[type];
      if (value) out.push(seedIdentityDoc(this.plan.store.doc._id, type, value, this.plan.id));
    }
    return out;
  }
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_VARIANT = ['8', '9', 'a', 'b'];

function hex4(x: number): string {
  return (HEX_BYTE[(x >>> 8) & 255] as string) + HEX_BYTE[x & 255];
}

function hex8(x: number): string {
  return hex4(x >>> 16) + hex4(x & 0xffff);
}

const IDENTITY_TYPES: readonly IdentityType[] = ['oemId', 'phone', 'unionid', 'externalUserId', 'openid'];

const VISIT_NOTES = ['重点看了后排空间', '和家人一起来的，关注安全配置', '对比了竞品，关注价格', '询问了金融方案', '对智能座舱很感兴趣', '关注置换政策'];
const TEST_DRIVE_NOTES = ['对动力比较满意', '觉得底盘扎实，隔音好', '关注辅助驾驶表现', '家人觉得乘坐舒适', '对刹车脚感有疑虑'];
const QUOTE_NOTES = ['客户考虑中', '希望再优惠一些', '回去和家人商量', '等月底政策', '在对比其他门店报价'];
const CALL_NOTES = ['约本周末到店', '客户近期较忙，下周再联系', '已发送车型资料', '询问置换补贴政策', '确认试驾时间', '介绍本月购车礼遇'];
const CHAT_NOTES = ['客户咨询交车周期', '发送了配置表', '客户询问保养费用', '约到店时间', '发送活动邀请'];
const LOST_NOTES: readonly (readonly [string, LostReason, string | undefined])[] = [
  ['购买竞品', 'bought_competitor', '比亚迪'],
  ['暂缓购车', 'postponed', undefined],
  ['预算不足，放弃购车', 'no_budget', undefined],
  ['选择了其他品牌新能源车', 'bought_competitor', '特斯拉'],
];

/**
 * A seeded identity document: store-scoped like every identity (`${storeId}/${type}:${value}`).
 * The demo's openids and unionids came from customers using the mini-program (the platform
 * vouched for them), OEM ids from the OEM, phones and WeCom contacts from the store.
 */
export function seedIdentityDoc(storeId: string, type: IdentityType, value: string, customerId: string): IdentityDoc {
  const source: IdentitySource = type === 'openid' || type === 'unionid' ? 'platform' : type === 'oemId' ? 'oem' : 'store';
  return { _id: `${storeId}/${type}:${value}`, storeId, type, value, customerId, source };
}

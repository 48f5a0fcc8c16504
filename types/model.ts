/**
 * Documents as they are stored in the WeChat cloud database (and in the local emulator).
 * One interface per collection; the collection names live in `Collections`.
 * Times are epoch milliseconds (numbers), so they sort and compare the same everywhere.
 * The closed lists (touchpoint types, model lines, stages, grades...) and their types are
 * written once in `catalog.ts`.
 */
import type { AudienceRule, EventMatch } from './audience';
import type { ChannelKind, CityTier, IntentGrade, LifecycleStage, ModelLine, TouchpointType } from './catalog';
import type { ReactionFacts, ReactionRule, SendWindow, StrategyChannel } from './strategy';

export type { ChannelKind, CityTier, IntentGrade, LifecycleStage, ModelLine, TouchpointType } from './catalog';

export const Collections = {
  stores: 'stores',
  staff: 'staff',
  customers: 'customers',
  identities: 'identities',
  events: 'events',
  materials: 'materials',
  activities: 'activities',
  followUps: 'followUps',
  wecomTokens: 'wecomTokens',
  /** Per-customer scoring counters (`_id` = customer id), written with the customer. */
  customerStates: 'customerStates',
  /** OneID merge records (who, why, which ids, snapshots for undo). */
  merges: 'merges',
  /** Each store's tuned scoring model (`_id` = store id); absent means the default model. */
  scoringModels: 'scoringModels',
  /** Each store's round-robin position for new leads (`_id` = store id). */
  allocationCursors: 'allocationCursors',
  /** Each consultant's lead counters (`_id` = staff id), reserved compare-and-set. */
  consultantLoads: 'consultantLoads',
  /** One per customer per thing sent (`_id` = the tracked link's send id). */
  sends: 'sends',
  /** Customers' places at store events (`_id` = activity/customer). */
  registrations: 'registrations',
  /** Who opened a tracked link: the first viewer is its recipient, later ones were forwarded it. */
  linkViewers: 'linkViewers',
  /** One page visit of a tracked invitation (`_id` = send/visit): its dwell, kept idempotently. */
  inviteVisits: 'inviteVisits',
  /** The consultants' 任务 inbox. */
  tasks: 'tasks',
  /** Fixed-window attempt counters (sign-in), `_id` = rule, window and hashed key. */
  rateLimits: 'rateLimits',
  /** The consent ledger: append-only grants and withdrawals per customer and purpose. */
  consents: 'consents',
  /** OEM sync bookkeeping: the pull cursor and the leases (`_id` = 'ingest' | 'upload'). */
  oemSyncState: 'oemSyncState',
  /** Store-side facts waiting to go to the OEM (`_id` = the idempotency key upstream). */
  oemOutbox: 'oemOutbox',
  /** OEM changes pushed by webhook, kept until the one ingest writer applies them (`_id` = change id). */
  oemInbox: 'oemInbox',
  /** Nonces of signed OEM requests already accepted, kept while their timestamp is valid. */
  oemNonces: 'oemNonces',
  /** Long jobs run in resumable slices (rescoring, recycling): cursor, progress and lease. */
  jobs: 'jobs',
  /** Managers' MA strategies (`_id` = the client's id). */
  strategies: 'strategies',
  /** One per strategy and customer (`_id` = strategy/customer): holdout or not, what the reactions saw and did. */
  strategyMembers: 'strategyMembers',
  /** Notices for a store's managers (a reaction rule's 通知店长, a care run's summary). */
  notices: 'notices',
  /** Saved audiences (人群) of a store, versioned rules, dynamic or snapshot. */
  audiences: 'audiences',
  /** A snapshot audience's frozen members (`_id` = audience id + ':' + customer id). */
  audienceMembers: 'audienceMembers',
  /** Each store's audience counter set (`_id` = store id): what customers' features count. */
  audienceSpecs: 'audienceSpecs',
} as const;
export type CollectionName = (typeof Collections)[keyof typeof Collections];

export type Role = 'consultant' | 'manager' | 'customer';
export type StaffRole = Exclude<Role, 'customer'>;


export interface StoreDoc {
  _id: string;
  name: string;
  brand: string;
  region: string;
  city: string;
  address: string;
  phone: string;
  location: { lng: number; lat: number };
  /**
   * The store's marketing frequency cap: at most `touches` marketing sends per customer within
   * any `days` days, across every consultant and strategy. Absent: `DEFAULT_FREQUENCY_CAP`.
   */
  frequencyCap?: FrequencyCap;
}

export interface FrequencyCap {
  touches: number;
  days: number;
}

/** Two marketing touches a week unless the store says otherwise (docs/decisions/0014-tasks-sends-and-the-frequency-cap.md). */
export const DEFAULT_FREQUENCY_CAP: FrequencyCap = { touches: 2, days: 7 };

/** One fixed window of one rate-limit bucket; swept once the window has passed. */
export interface RateLimitDoc {
  _id: string;
  count: number;
  /** Epoch ms the window closes. */
  windowEndsAt: number;
}

export interface StaffDoc {
  _id: string;
  name: string;
  role: StaffRole;
  storeId: string;
  /** WeCom userid, what WeCom OAuth returns for this person. */
  wecomUserId: string;
  /** Mini-program openid, when the person also uses the mini-program. */
  openid?: string;
  /** Model lines this consultant knows best (allocation by expertise). */
  modelLines: ModelLine[];
  /** How many active leads the consultant can carry. */
  capacity: number;
  active: boolean;
  /**
   * Sessions carry the version they were issued under; raising it (sign out everywhere) makes
   * every earlier session invalid. Absent means 0.
   */
  sessionVersion?: number;
}

/** Identifier types known to OneID, in priority order (highest first). */
export type IdentityType = 'oemId' | 'phone' | 'unionid' | 'externalUserId' | 'openid';

export interface CustomerIdentities {
  phone?: string;
  oemId?: string;
  unionid?: string;
  /** WeCom external_userid; scoped to one corp. */
  externalUserId?: string;
  /** WeChat openid; scoped to one app. */
  openid?: string;
}

export interface VehicleOfInterest {
  modelId: string;
  /** When the interest was last shown. */
  at: number;
}

export interface OwnedVehicle {
  modelId: string;
  purchasedAt: number;
  vinTail: string;
}

export interface TagAssignment {
  /** Leaf tag id from the taxonomy. */
  tagId: string;
  /** Ancestors of the leaf, root first (level 1, level 2). */
  path: string[];
  source: 'oem' | 'rule' | 'consultant';
  assignedAt: number;
  expiresAt?: number;
}

export interface LastTouch {
  type: TouchpointType;
  at: number;
  /** Short Chinese description, e.g. 浏览《星途揽月 空间实拍》. */
  summary: string;
}

export interface CustomerDoc {
  _id: string;
  name: string;
  gender: 'male' | 'female' | 'unknown';
  city: string;
  identities: CustomerIdentities;
  storeId: string;
  /** Consultant who owns the customer; absent when the customer is in the store's pool (公海). */
  ownerId?: string;
  /** When the current owner got the customer (assignment or claim); counts toward the daily cap. */
  assignedAt?: number;
  /**
   * Set when the customer went back to the pool for lack of follow-up; `afterDays` is the
   * number of days without follow-up that triggered it (shown as 7天未跟进，自动回收).
   */
  recycledFrom?: { consultantId: string; at: number; afterDays?: number };
  stage: LifecycleStage;
  grade?: IntentGrade;
  /** Channel the customer first came from, e.g. 'autohome'. */
  sourceChannel: string;
  vehiclesOfInterest: VehicleOfInterest[];
  vehiclesOwned: OwnedVehicle[];
  tags: TagAssignment[];
  /** Stores the customer has visited, with the last visit time. */
  storesVisited: { storeId: string; lastAt: number; count: number }[];
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
  lastTouch?: LastTouch;
  /** Last four digits of the phone, for 尾号 search (indexed with storeId). */
  phoneTail?: string;
  /** Latest follow-up recorded by a consultant (drives recycling). */
  lastFollowUpAt?: number;
  /** First contact after the current assignment (drives the first-contact SLA). */
  firstContactAt?: number;
  /** The customer's current consent per purpose, derived from the `consents` ledger. */
  consent?: CurrentConsents;
  /** What the OEM sync keeps on the customer (OEM-owned facts, freshness). */
  oem?: OemFacts;
  /** Last sequence number given to one of this customer's outbox entries (upstream order). */
  outboxSeq?: number;
  /**
   * What may complete one of the customer's open tasks by itself (the union of their
   * `completesOn`): an event or a send of a type listed here looks the tasks up; any other costs
   * nothing. A superset is harmless (one wasted read); it is never a subset: a task's triggers are
   * added before anyone can see the task, and shrunk only by a write conditional on `taskMarkSeq`.
   */
  openTaskOn?: (TouchpointType | 'send')[];
  /** Bumped whenever `openTaskOn` gains triggers, so a stale shrink cannot drop them. */
  taskMarkSeq?: number;
  /**
   * Times of the marketing sends within the store's frequency window, oldest first: the cap is
   * checked and this is appended in the send's transaction, so concurrent senders cannot exceed it.
   */
  marketingTouches?: number[];
  /**
   * Audience features (`_core/audiences/features`): per counter of the store's counter set, the
   * matching events per China day. Kept by the event pipeline in the customer's transaction;
   * absent while the store keeps no counters. Never sent to the app.
   */
  audienceFeatures?: StoredAudienceFeatures;
  /** Strategies the customer is a member of that still react (their events update its facts). */
  activeStrategies?: string[];
  /** Month and day of birth, `MM-DD` (birthday care for owners). */
  birthday?: string;
}

/** `AudienceFeatures` as stored (the pure type lives in `_core`; `types/` imports no code). */
export interface StoredAudienceFeatures {
  v: 1;
  sig: string;
  ids: string[];
  d: number[];
}

// ---------- what the data core derives and OneID keeps on a customer ----------

/** The lifecycle facts behind `stage`. */
export interface LifecycleState {
  stage: LifecycleStage;
  /** Earliest event time that proves the current stage (absent when the stage came from data, e.g. the OEM). */
  stageSince?: number;
  /** Latest order or delivery. */
  lastPurchaseAt?: number;
  /** Latest sign of intent to buy a car. */
  lastIntentAt?: number;
}

/** Two opinions on the intent grade, side by side: the consultant's and the score's. */
export interface GradeState {
  consultant?: { grade: IntentGrade; setAt: number; by: string };
  suggested?: { grade: IntentGrade; at: number; score: number };
}

/** The score as kept on the customer (the scoring model's result without its contributions). */
export interface StoredScore {
  modelVersion: number;
  at: number;
  fit: number;
  engagement: number;
  /** 0-100, whole number. */
  total: number;
  suggestedGrade?: IntentGrade;
  /** The three largest positive contributions, in Chinese. */
  reasons: string[];
  /** Every negative contribution, largest first, in Chinese. */
  penalties: string[];
}

/** Fields the event pipeline derives from a customer's events. */
export interface DerivedFields {
  lifecycle?: LifecycleState;
  gradeInfo?: GradeState;
  score?: StoredScore;
  /** `rankKey(grade, score)`: one indexed number to sort lead lists by. */
  rankKey?: number;
}

/** One identifier of a person, normalised. */
export interface Identifier {
  type: IdentityType;
  /** Normalised value (phones as 11 digits). */
  value: string;
  /** WeCom corp id for `externalUserId`, app id for `openid`; absent for global types. */
  scope?: string;
}

/** Profile fields whose origin is tracked; the OEM owns them when it has sent them. */
export const PROVENANCE_FIELDS = ['name', 'gender', 'city'] as const;
export type ProvenanceField = (typeof PROVENANCE_FIELDS)[number];
export type FieldSource = 'oem' | 'store' | 'customer' | 'system';
export type FieldProvenance = Partial<Record<ProvenanceField, { source: FieldSource; at: number }>>;

/** What OneID keeps on a customer: identifiers, merges and where the profile fields came from. */
export interface OneIdFields {
  /** Every identifier the customer holds (the `identities` summary keeps one per type). */
  identifiers: Identifier[];
  /** Customers merged into this one, transitively; their events keep their own customerId. */
  mergedIds: string[];
  /** Set on a customer that was merged away: the survivor's id. Lists must skip these. */
  mergedInto?: string;
  mergedAt?: number;
  /** Who last set each profile field and when. */
  fieldSources?: FieldProvenance;
}

/**
 * A customer document as stored: the contract's fields, what the pipeline derives, and what
 * OneID keeps (absent on customers no merge or identifier update has touched yet). Every
 * function that reads or writes `customers` uses this one type.
 */
export type StoredCustomer = CustomerDoc & DerivedFields & Partial<OneIdFields>;

/** A stored customer as OneID works on it: its identifiers and merges filled in (`asOneId`). */
export type OneIdCustomer = StoredCustomer & OneIdFields;

// ---------- consent (PIPL: purpose-bound, withdrawable) ----------

/**
 * What a consent is for. `oem_sharing` is its own purpose (PIPL Art. 23: providing personal
 * information to another handler needs separate consent): only customers who gave it flow to
 * the OEM.
 */
export type ConsentPurpose = 'contact' | 'tracking' | 'oem_sharing';
/** Where the customer gave or withdrew it. */
export type ConsentChannel = 'miniprogram' | 'oem' | 'store' | 'wecom';

/** One ledger entry: appended, never edited. The latest entry per purpose is the current state. */
export interface ConsentDoc {
  _id: string;
  customerId: string;
  storeId: string;
  purpose: ConsentPurpose;
  granted: boolean;
  /** The privacy notice version the customer saw (e.g. 2025-03). */
  noticeVersion: string;
  /** When the customer gave or withdrew it (epoch ms). */
  at: number;
  channel: ConsentChannel;
  /** Staff id, `customer` (the person themselves) or `oem` (relayed by the OEM sync). */
  recordedBy: string;
  /** When the entry was written. */
  recordedAt: number;
}

export interface CurrentConsent {
  granted: boolean;
  at: number;
  noticeVersion: string;
  channel: ConsentChannel;
}
export type CurrentConsents = Partial<Record<ConsentPurpose, CurrentConsent>>;

// ---------- OEM sync ----------

/** The lead as the OEM handed it over: its campaign and the OEM's first-contact promise. */
export interface OemLead {
  changeId: string;
  campaignId?: string;
  /** Chinese campaign name, e.g. 春季SUV试驾季. */
  campaignName?: string;
  /** Channel id the OEM bought the lead on, e.g. 'autohome'. */
  channel: string;
  /** When the OEM assigned the lead to the store. */
  assignedAt: number;
  /** The OEM's first-contact deadline, when it sets one. */
  firstContactDueAt?: number;
  /** The OEM's time of the change (later changes win). */
  changedAt: number;
}

/** Another store of the group the customer visited, as the OEM reports it (only with consent to sharing). */
export interface OtherStoreVisit {
  storeId: string;
  visits: number;
  lastAt: number;
}

/**
 * OEM-owned facts on a customer. Each kept with the OEM's change time, so a late or repeated
 * change never overwrites a newer one.
 */
export interface OemFacts {
  /** The sync created this record (its first-touch channel is the OEM lead's, whenever that arrives). */
  created?: boolean;
  lead?: OemLead;
  /** OEM change time of the tags the customer has with source 'oem'. */
  tagsAt?: number;
  otherStores?: OtherStoreVisit[];
  otherStoresAt?: number;
  /** When an OEM change last reached this customer. */
  syncedAt?: number;
}

export type SyncErrorCode = 'timeout' | 'unreachable' | 'server_error' | 'refused' | 'bad_signature' | 'bad_reply' | 'rejected' | 'cursor_reset' | 'internal';

export interface SyncError {
  code: SyncErrorCode;
  /** English detail for operators. */
  message: string;
  at: number;
}

/** The ingest writer's and the uploader's state: one document each. */
export interface OemSyncStateDoc {
  _id: 'ingest' | 'upload';
  /** Who holds the lease (a random id per run) and until when. */
  holder?: string;
  leaseUntil: number;
  /** ingest: the OEM's cursor after the last page fully written ('' = from the start). */
  cursor?: string;
  lastRunAt?: number;
  lastSuccessAt?: number;
  lastError?: SyncError;
  /** Changes applied, records sent, all time. */
  total?: number;
  /** Changes set aside as malformed or not placeable, all time. */
  skipped?: number;
}

export type OutboxStatus = 'pending' | 'sent' | 'dead' | 'withheld';

/** One store-side fact for the OEM, sent once (the OEM dedups by `_id`), in the customer's order. */
export interface OutboxDoc {
  _id: string;
  customerId: string;
  storeId: string;
  /** The customer's sequence: upstream order. */
  seq: number;
  kind: 'event' | 'consent';
  /** The Segment-style item as sent (docs/oem-api.md). */
  item: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  /** Earliest next send (backoff). */
  nextAt: number;
  createdAt: number;
  sentAt?: number;
  lastError?: SyncError;
}

export interface InboxDoc {
  _id: string;
  /** The change as received (validated). */
  change: Record<string, unknown>;
  receivedAt: number;
}

export interface NonceDoc {
  _id: string;
  expiresAt: number;
}

/**
 * Who vouched for an identifier: the platform (the OPENID of a mini-program call, a phone
 * from `getPhoneNumber`), the store's staff (an event they recorded), or the OEM's sync.
 * Only `platform` identifiers ever make a mini-program user a customer.
 */
export type IdentitySource = 'platform' | 'store' | 'oem';

/**
 * Maps one identifier to the customer it belongs to within one store: OneID resolves among a
 * store's own customers only (docs/decisions/0008-oneid-within-a-store.md). `_id` is
 * `${storeId}/${type}:${value}`.
 */
export interface IdentityDoc {
  _id: string;
  storeId: string;
  type: IdentityType;
  value: string;
  customerId: string;
  source: IdentitySource;
}

/**
 * A consultant's lead counters. Capacity and the daily cap are reserved on this document with a
 * conditional update before any lead changes hands, so no interleaving of claims, allocations
 * and reassignments can exceed them; the nightly job recounts `active` from the customers.
 */
export interface ConsultantLoadDoc {
  _id: string;
  storeId: string;
  /** Live customers the consultant owns (what `capacity` limits). */
  active: number;
  /** China day (`chinaDayStart`) that `today` counts. */
  day: number;
  /** Leads received on `day`: assigned, claimed or reassigned (what the daily cap limits). */
  today: number;
  updatedAt: number;
}

export type JobKind = 'rescore' | 'recycle' | 'audienceBackfill' | 'care' | 'strategyIssue';
/** queued: waiting for its first slice; running: started, more to do; done; failed: gave up after repeated errors. */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/**
 * One long job, walked in `_id` order in slices that each fit well within a function's
 * timeout (docs/decisions/0010-resumable-jobs.md). `_id` names what it works on, so there is
 * one document per store rescore, one nightly rescore and one recycling job; a new run of the
 * same job reuses the document with `run` bumped.
 */
export interface JobDoc {
  _id: string;
  kind: JobKind;
  /** The store whose customers it walks; absent: every store. */
  storeId?: string;
  status: JobStatus;
  /** Bumped when the job starts over; a runner of an earlier run can no longer save. */
  run: number;
  /** `_id` of the last customer done; absent before the first page. */
  cursor?: string;
  /** Customers looked at so far (merged-away records are skipped, not counted). */
  processed: number;
  /** Customers the job changed: rescored with different results, or recycled. */
  changed: number;
  /** Customers in scope when the run started: the progress bar's end. */
  total: number;
  /** When the run started; a recycling run decides what is due as of this time. */
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** The invocation running a slice now; `leaseUntil` 0 when none. */
  leaseOwner?: string;
  leaseUntil: number;
  /** Slices that failed in a row; the job fails for good at `MAX_FAILURES`. */
  failures: number;
  lastError?: { message: string; at: number };
  /** Store rescore: the model version this run applies. */
  modelVersion?: number;
  /** Rescore: replay every customer's events (a counting rule changed). */
  replay?: boolean;
  /** Rescore: stale states keep the counters of the rules that remain (rules were only removed). */
  retagStale?: boolean;
  /** Staff id of the manager whose save started the run. */
  requestedBy?: string;
  /** Audience backfill: the counter-set signature this run fits customers' features to. */
  specSig?: string;
  /** Strategy issue: the strategy whose audience the run walks (in customer `_id` order). */
  strategyId?: string;
  /** Strategy issue: what this run did so far (customers new to the strategy, tasks made, ...). */
  issue?: IssueTally;
}

/** What issuing a strategy did: customers enrolled, held out, tasks made, pool customers allocated or left. */
export interface IssueTally {
  members: number;
  holdout: number;
  tasks: number;
  allocated: number;
  unallocated: number;
}

// ---------- audiences (人群圈选) ----------

/** dynamic: members are whoever matches the rule now; snapshot: the members when it was saved. */
export type AudienceMode = 'dynamic' | 'snapshot';
export type AudienceStatus = 'active' | 'archived';

/**
 * A saved audience of one store. `rule` is versioned JSON (`types/audience.ts`); every save of
 * an edit bumps `version`. A snapshot's members are frozen at save time in `audienceMembers`;
 * a dynamic audience is evaluated over the store's customers' features whenever it is read
 * (docs/decisions/0016-audiences.md).
 */
export interface AudienceDoc {
  _id: string;
  storeId: string;
  /** Chinese name the manager gave, e.g. SUV试驾人群. */
  name: string;
  rule: AudienceRule;
  mode: AudienceMode;
  status: AudienceStatus;
  /** 1 on the first save, bumped by every save after. */
  version: number;
  /** The rule in one Chinese line (`describeAudience`), as saved. */
  description: string;
  /** Members when last counted, and when (a snapshot: its frozen member count). */
  count: number;
  countedAt: number;
  /** Snapshot: when the member list was frozen (the members are in `audienceMembers`). */
  snapshotAt?: number;
  /** Counters the rule needed that the store did not keep yet: counted once the backfill is done. */
  pendingCounters?: string[];
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

/** One member of a snapshot audience. */
export interface AudienceMemberDoc {
  /** `${audienceId}:${customerId}` */
  _id: string;
  audienceId: string;
  storeId: string;
  customerId: string;
}

/**
 * A store's audience counter set (`_id` = store id): the event matches its active audiences
 * count. `matches`/`sig` is what the pipeline keeps from now on; `ready` is the set every
 * customer's features hold (the backfill job moves `ready` up to `sig` when it has walked the
 * store). Live counts use `ready`.
 */
export interface AudienceSpecDoc {
  _id: string;
  sig: string;
  matches: EventMatch[];
  readySig: string;
  readyMatches: EventMatch[];
  updatedAt: number;
}

/**
 * One touchpoint, Segment-track shaped. `_id` is the sender's messageId, so a repeat is a no-op.
 * `timestamp` is originalTimestamp corrected for the sender's clock skew (receivedAt - sentAt).
 */
export interface EventDoc {
  _id: string;
  customerId: string;
  storeId: string;
  type: TouchpointType;
  /** Where it happened: channel or place, e.g. 'autohome', 'douyin_live', 'miniprogram', 'store'. */
  source: string;
  properties: Record<string, string | number | boolean | null>;
  originalTimestamp: number;
  sentAt: number;
  receivedAt: number;
  timestamp: number;
  /** Staff member who recorded it, for store-side events. */
  staffId?: string;
}

/**
 * What a consultant sends (素材库): content (article, video, poster, live replay), an event
 * invitation (`activityId`), a mini-program card, or a short script (话术, `body` is the text the
 * consultant pastes or sends as is).
 */
export type MaterialKind = 'article' | 'video' | 'poster' | 'live' | 'invitation' | 'miniprogram' | 'script';

export interface MaterialDoc {
  _id: string;
  title: string;
  kind: MaterialKind;
  modelId?: string;
  /** Content category, e.g. 'space', 'performance', 'safety', 'price', 'tech'. */
  category: string;
  summary: string;
  /** The script's text (话术), or an article's body. */
  body?: string;
  /** Cover image for cards (news / mini-program messages). */
  coverUrl?: string;
  /** The event an invitation is for. */
  activityId?: string;
  /** The store that made it; absent for the brand's library, which every store sees. */
  storeId?: string;
  createdAt: number;
  updatedAt?: number;
  /** Staff id of the manager who made or last edited it. */
  updatedBy?: string;
  /** Taken out of the library: kept for the sends that used it. */
  archived?: boolean;
}

/** A store event customers can be invited to, e.g. the SUV test-drive weekend. */
export interface ActivityDoc {
  _id: string;
  storeId: string;
  title: string;
  description: string;
  modelLine?: ModelLine;
  startAt: number;
  endAt: number;
  address: string;
  /** Where the store is, for the map (`wx.openLocation`). */
  location?: { lng: number; lat: number };
  capacity: number;
  /**
   * Places taken: raised with one conditional update (`registered <= capacity - 1`) before a
   * registration is written, lowered by a cancellation, so concurrent registrations never
   * exceed `capacity`.
   */
  registered?: number;
  perks: string[];
}

// ---------- the MA loop: sends, tracked links, registrations, tasks ----------

/** How a send reached the customer. */
/**
 * The customer's tracked link: the invite package's page with the signed token
 * (`signLink(send._id)`) in `TRACKED_LINK.param`, plus `id=<activityId>` for an invitation. The
 * same path is the mini-program card's page; on H5 it follows `#/`.
 */
export const TRACKED_LINK = { page: 'invite/pages/activity/index', param: 't' } as const;

export type SendChannel =
  /** One tap in the WeCom sidebar: `sendChatMessage` into the open chat. */
  | 'wecom_chat'
  /** `shareToExternalContact` from the consultant's phone (one or a few customers). */
  | 'wecom_share'
  /** WeCom's mass-send task (`add_msg_template`), confirmed by the consultant in WeCom. */
  | 'wecom_mass'
  /** Outside WeCom (the demo, a browser): the text and link were copied. */
  | 'copy'
  /** A mini-program subscribe message the system sent (care greetings to customers without a WeCom contact). */
  | 'subscribe';

/**
 * One thing sent to one customer, and what became of it. `_id` is the random, unguessable part
 * of the customer's tracked link (`_core/links.ts` signs it), so the link names the send, and
 * the send its consultant, task, strategy and material: every open, dwell and registration is
 * attributed through it.
 */
export interface SendDoc {
  _id: string;
  storeId: string;
  customerId: string;
  consultantId: string;
  materialId: string;
  /** The invitation's event, when the material is one. */
  activityId?: string;
  taskId?: string;
  strategyId?: string;
  channel: SendChannel;
  /** Counts toward the customer's marketing frequency cap (a reply the customer asked for does not). */
  marketing: boolean;
  at: number;
  /** WeCom's id of the mass-send task, when sent that way. */
  wecomMsgId?: string;
  /** What the customer did with it, kept by the tracking events it receives. */
  firstOpenAt?: number;
  lastOpenAt?: number;
  opens?: number;
  /** Seconds on the page, summed over opens (heartbeats, then hide or unload). */
  dwellSeconds?: number;
  /** Opens by people it was forwarded to (credited to the customer who shared it). */
  sharedOpens?: number;
  registeredAt?: number;
}

export type RegistrationStatus = 'registered' | 'cancelled' | 'checked_in';

/** A customer's place at a store event (`_id` = `${activityId}/${customerId}`: one per person). */
export interface RegistrationDoc {
  _id: string;
  activityId: string;
  storeId: string;
  customerId: string;
  status: RegistrationStatus;
  /** The send whose link the customer registered through, if any (attribution). */
  sendId?: string;
  /** How many people come, the customer included. */
  party: number;
  at: number;
  cancelledAt?: number;
  checkedInAt?: number;
  /** The name and phone the customer left on the H5 form (the mini-program's phone is the platform's). */
  contact?: { name: string; phone: string };
}

/**
 * Who opened a tracked link (`_id` = `${sendId}` for the recipient, `${sendId}/${viewer}` for
 * each viewer). `viewer` is a keyed hash of what the platform vouches for (the mini-program's
 * OPENID), of the customer's session, or of the H5 page's device token; never the raw value.
 * The first viewer of a send is taken for its recipient; anyone else was forwarded the link.
 */
export interface LinkViewerDoc {
  _id: string;
  sendId: string;
  storeId: string;
  viewer: string;
  /** recipient: the send's customer; forwarded: someone the link was passed on to. */
  role: 'recipient' | 'forwarded';
  /** The customer the viewer is, when known (the recipient, or a customer who was forwarded it). */
  customerId?: string;
  at: number;
}

/**
 * One visit of a tracked invitation (`_id` = `${sendId}/${visitId}`, the page's random id).
 * Heartbeats carry the visit's seconds so far; only growth is added to the send's dwell, so a
 * repeated or late beat adds nothing. The visit's content view enters the data core once, when
 * it closes (the page hides or unloads, or the sweep finds it silent).
 */
export interface InviteVisitDoc {
  _id: string;
  sendId: string;
  viewer: string;
  /** The customer whose behaviour this is (tracking consented); absent: only the sharer is credited. */
  customerId?: string;
  storeId: string;
  materialId: string;
  activityId?: string;
  openedAt: number;
  lastBeatAt: number;
  seconds: number;
  /** Set when its content view was recorded. */
  closedAt?: number;
}

/** What a task asks the consultant to do. */
export type TaskKind =
  /** Contact a newly assigned lead within the first-contact SLA. */
  | 'first_contact'
  /** The 下次跟进 the consultant set in a follow-up or on the profile. */
  | 'next_follow_up'
  /** A test drive or store visit booked for that day. */
  | 'appointment'
  /** Send a strategy's material to this customer. */
  | 'strategy_send'
  /** Made by a strategy's reaction rule, e.g. "viewed but did not register -> call". */
  | 'reaction_call'
  /** A birthday or holiday greeting to an owner. */
  | 'care';

export type TaskStatus = 'open' | 'done' | 'skipped' | 'cancelled';

/**
 * One item of a consultant's 任务 inbox. Ids are derived from what made the task (e.g.
 * `first_contact/<customer>/<assignedAt>`), so making it again is a no-op. A task completes with
 * one tap, or by itself when the event it waits for arrives (`completesOn`).
 */
export interface TaskDoc {
  _id: string;
  storeId: string;
  ownerId: string;
  customerId: string;
  kind: TaskKind;
  /** Chinese, e.g. 邀约参加SUV试驾周末. */
  title: string;
  /** Optional detail, e.g. the note of a 下次跟进. */
  note?: string;
  dueAt: number;
  status: TaskStatus;
  strategyId?: string;
  /** The strategy's Chinese name as the manager gave it, for grouping the inbox without a read. */
  strategyName?: string;
  materialId?: string;
  /** The event an invitation task invites to. */
  activityId?: string;
  /** An appointment: what was booked (a test drive, a store visit). */
  appointment?: 'test_drive' | 'store_visit';
  /** When to remind the consultant (a 下次跟进's reminder); `dueAt` when absent. */
  remindAt?: number;
  /**
   * The reminder's WeCom message (the `tasks` function's `remind` timer): `due` until sent,
   * `sent`, or `dropped` (the consultant has no WeCom account, or the reminder was too late to be
   * useful). Absent: no reminder.
   */
  remindState?: 'due' | 'sent' | 'dropped';
  /** A timer run working on the reminder holds it until then (epoch ms; 0 when nobody does). */
  remindClaimUntil?: number;
  /** Which timer run holds it (random per run). */
  remindClaim?: string;
  /** When the reminder went to the consultant's WeCom. */
  remindedAt?: number;
  /** Event types, or `send`, that complete the task when they arrive for its customer. */
  completesOn?: (TouchpointType | 'send')[];
  /** Why a send was skipped (frequency cap, no consent), in Chinese, shown in the inbox. */
  skipReason?: string;
  createdAt: number;
  doneAt?: number;
  /** Staff id, or `system` when an event completed it. */
  doneBy?: string;
  /** The send that completed it, or the one refused for `skipReason`. */
  sendId?: string;
}

export type FollowUpKind = 'call' | 'visit' | 'test_drive' | 'quote' | 'order' | 'lost' | 'note';

/**
 * A consultant's follow-up. Each one is also an event (`eventId`, same id), so it scores,
 * moves the lifecycle and will flow to the OEM; this document is what the follow-up list reads.
 */
export interface FollowUpDoc {
  _id: string;
  customerId: string;
  storeId: string;
  staffId: string;
  kind: FollowUpKind;
  /** Kind-specific facts, e.g. { outcome: 'connected' } or { modelId, price, priceCut }. */
  details?: Record<string, string | number | boolean | null>;
  note: string;
  at: number;
  /** The event this follow-up recorded (or, for imported history, annotates). */
  eventId?: string;
}

/** Cached WeCom access token / jsapi tickets (they live 7200 s and are rate-limited). */
export interface WecomTokenDoc {
  _id: 'access_token' | 'jsapi_ticket' | 'agent_ticket';
  value: string;
  expiresAt: number;
}

// ---------- the scoring model (scoringModels; see cloudfunctions/_core/scoring/model.ts) ----------

/**
 * A store's lead-scoring model: plain, JSON-able, versioned, tuned by the manager. The rules,
 * their meaning and the default live in cloudfunctions/_core/scoring/model.ts.
 */
export type Scalar = string | number | boolean | null;

/** One test on an event property: `equals`, `in`, or a numeric range (`gte` and/or `lte`). */
export interface PropertyCondition {
  key: string;
  equals?: Scalar;
  in?: Scalar[];
  gte?: number;
  lte?: number;
}

export interface EventFilter {
  types: TouchpointType[];
  /** Channel ids (event `source`); any when absent. */
  sources?: string[];
  /** Model lines of the event's `modelId` (from the catalog); any when absent. */
  modelLines?: ModelLine[];
  where?: PropertyCondition[];
}

export interface EngagementRule {
  id: string;
  /** Short Chinese name for the manager's editor, e.g. 浏览SUV内容. */
  label: string;
  filter: EventFilter;
  /** Per matching event; negative for a penalty. */
  points: number;
  /** Most points (in absolute value) one day can give. */
  dailyCap: number;
  /** Points expire after this many days (today counts as day 1). */
  windowDays: number;
  /** Property summed for {dwell}; `dwellSeconds` when absent. */
  measure?: string;
  /** Chinese reason template, e.g. 近{days}天浏览SUV内容{count}次[，累计停留{dwell}]. */
  reason: string;
}

export interface EngagementGroup {
  id: string;
  label: string;
  cap: number;
  rules: EngagementRule[];
}

export type FitCondition =
  | { attr: 'stage'; in: LifecycleStage[] }
  | { attr: 'cityTier'; in: CityTier[] }
  | { attr: 'tag'; anyOf: string[] }
  | { attr: 'sourceChannel'; in: string[] }
  | { attr: 'sourceKind'; in: ChannelKind[] }
  /** Number of cars owned, min and max inclusive. */
  | { attr: 'vehiclesOwned'; min?: number; max?: number }
  /** Age in years of the oldest car owned (min inclusive, max exclusive); never holds without a car. */
  | { attr: 'vehicleAgeYears'; min?: number; max?: number };

export interface FitRule {
  id: string;
  label: string;
  when: FitCondition;
  points: number;
  /** Chinese reason, e.g. 一线城市客户. */
  reason: string;
}

export interface FitGroup {
  id: string;
  label: string;
  cap: number;
  rules: FitRule[];
}

export interface ScoringModel {
  /** Incremented on every saved change. */
  version: number;
  name: string;
  fit: { cap: number; groups: FitGroup[] };
  engagement: { cap: number; groups: EngagementGroup[] };
  /** Lowest total for each suggested grade; H > A > B > C. */
  grades: Record<IntentGrade, number>;
}

// ---------- strategies (营销策略) and care (保客关怀) ----------

export type StrategyStatus = 'draft' | 'issued' | 'ended';

/**
 * A manager's strategy: who (a saved audience), what (a material), how (channel), when (the send
 * window) and what happens next (reaction rules, `types/strategy.ts`). Issuing it makes a task
 * per customer for their consultant (`strategyMembers` keeps each customer's side).
 */
export interface StrategyDoc {
  _id: string;
  storeId: string;
  /** Chinese, e.g. SUV试驾周末. */
  name: string;
  audienceId: string;
  materialId: string;
  /** The invitation's event, copied from the material. */
  activityId?: string;
  channel: StrategyChannel;
  window: SendWindow;
  rules: ReactionRule[];
  /** Share of the audience (0-50 %) held out to measure the uplift. */
  holdoutPercent: number;
  status: StrategyStatus;
  /** Bumped on every save; a save names the version it edits. */
  version: number;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
  issuedAt?: number;
  issuedBy?: string;
  /** What the latest issue did. */
  issued?: { members: number; holdout: number; tasks: number; allocated: number; unallocated: number };
  /** The issue run (`JobDoc.run`) whose totals `issued` holds: finishing that run again adds nothing twice. */
  issuedRun?: number;
}

export type StrategyMemberStatus = 'active' | 'holdout' | 'moved';

/** One customer of an issued strategy (`_id` = `${strategyId}/${customerId}`). */
export interface StrategyMemberDoc extends ReactionFacts {
  _id: string;
  strategyId: string;
  storeId: string;
  customerId: string;
  /** The consultant who got the task (absent for a held-out customer nobody owns). */
  ownerId?: string;
  holdout: boolean;
  status: StrategyMemberStatus;
  enrolledAt: number;
  /** Sends of the strategy to the customer (ids), oldest first; `round` is their number. */
  sendIds: string[];
  /** First open of any of the strategy's sends (the funnel's 已打开; `openedAt` is this round's). */
  everOpenedAt?: number;
  /** How the first send went out (funnels per channel). */
  channel?: SendChannel;
  /** Nodes of the reaction tree fired, `<node>@<round>`. */
  fired: string[];
  /** Re-invitations made so far. */
  reinvites: number;
  /** When a reaction waits for a deadline: the timer looks at the member then. Absent: events only. */
  nextCheckAt?: number;
  updatedAt: number;
}

/** A notice on the manager's home (`_id` derived from what made it, so making it again is a no-op). */
export interface NoticeDoc {
  _id: string;
  storeId: string;
  kind: 'reaction' | 'care';
  /** Chinese, e.g. 李明 已报名「SUV试驾周末」. */
  text: string;
  strategyId?: string;
  customerId?: string;
  at: number;
  readAt?: number;
}

/**
 * Documents as they are stored in the WeChat cloud database (and in the local emulator).
 * One interface per collection; the collection names live in `Collections`.
 * Times are epoch milliseconds (numbers), so they sort and compare the same everywhere.
 */

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
  /** Fixed-window attempt counters (sign-in), `_id` = rule, window and hashed key. */
  rateLimits: 'rateLimits',
} as const;
export type CollectionName = (typeof Collections)[keyof typeof Collections];

export type Role = 'consultant' | 'manager' | 'customer';
export type StaffRole = Exclude<Role, 'customer'>;

/** 线索 / 潜客 / 保客 */
export type LifecycleStage = 'lead' | 'prospect' | 'owner';
/** Dealer intent grade: H within 7 days, A within 15 days, B within 30 days, C within 3 months. */
export type IntentGrade = 'H' | 'A' | 'B' | 'C';
export type ModelLine = 'SUV' | 'sedan' | 'MPV' | 'NEV';
/** Body type of a model; differs from the line: an NEV can be an SUV. */
export type BodyType = 'suv' | 'sedan' | 'mpv' | 'hatchback';

export interface StoreDoc {
  _id: string;
  name: string;
  brand: string;
  region: string;
  city: string;
  address: string;
  phone: string;
  location: { lng: number; lat: number };
}

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

export type TouchpointType =
  | 'ad_click'
  | 'live_stream'
  | 'content_view'
  | 'share'
  | 'form_submit'
  | 'store_visit'
  | 'test_drive'
  | 'quote'
  | 'order'
  | 'delivery'
  | 'service_visit'
  | 'wecom_chat'
  | 'call';

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

export type MaterialKind = 'article' | 'video' | 'poster' | 'live';

export interface MaterialDoc {
  _id: string;
  title: string;
  kind: MaterialKind;
  modelId?: string;
  /** Content category, e.g. 'space', 'performance', 'safety', 'price', 'tech'. */
  category: string;
  summary: string;
  createdAt: number;
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
  capacity: number;
  perks: string[];
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

/**
 * The closed lists the contract checks against, each written once here: the zod schemas in
 * `schemas.ts` validate with them, `model.ts` derives its types from them and
 * `cloudfunctions/_core/catalog` re-exports them. Plain data (no code imports, no zod), so the
 * app may import it at runtime without pulling the server in.
 */

/** Touchpoint types, in the order the catalog and the timeline filters list them. */
export const TOUCHPOINT_TYPES = [
  'ad_click',
  'live_stream',
  'content_view',
  'share',
  'form_submit',
  'store_visit',
  'test_drive',
  'quote',
  'order',
  'delivery',
  'service_visit',
  'wecom_chat',
  'call',
] as const;
export type TouchpointType = (typeof TOUCHPOINT_TYPES)[number];

export const MODEL_LINES = ['SUV', 'sedan', 'MPV', 'NEV'] as const;
export type ModelLine = (typeof MODEL_LINES)[number];

/** 线索 / 潜客 / 保客 */
export const LIFECYCLE_STAGES = ['lead', 'prospect', 'owner'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Dealer intent grade: H within 7 days, A within 15 days, B within 30 days, C within 3 months. */
export const INTENT_GRADES = ['H', 'A', 'B', 'C'] as const;
export type IntentGrade = (typeof INTENT_GRADES)[number];

/**
 * Where a channel sits in the funnel. vertical: auto sites (垂媒); media: search / social
 * feeds; live: live streaming; owned: the brand's and dealer's own digital channels (私域);
 * offline: the store and phone.
 */
export const CHANNEL_KINDS = ['vertical', 'media', 'live', 'owned', 'offline'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** City tier of a customer's city: 一线, 新一线, 二线, 三线及以下. */
export const CITY_TIERS = ['t1', 'new_t1', 't2', 't3_below'] as const;
export type CityTier = (typeof CITY_TIERS)[number];

/**
 * Days the per-customer day counters keep (`customerStates`), so also the longest window a
 * scoring rule may count over.
 */
export const RETENTION_DAYS = 180;

/** What a scoring rule's reason template may show, e.g. 近{days}天到店试驾{count}次. */
export const REASON_PLACEHOLDERS = ['days', 'count', 'dwell', 'models', 'points'] as const;
export type ReasonPlaceholder = (typeof REASON_PLACEHOLDERS)[number];

/** How a known event property is checked; a list means one of those strings. */
export type PropertyKind = 'string' | 'number' | 'nonNegative' | 'count' | 'boolean' | readonly string[];

export interface PropertyRule {
  kind: PropertyKind;
  /** Profiles, tags or scores read it, so an event of its type must carry it. */
  required?: boolean;
  /** `null` is accepted (the catalog writes absent values as null). */
  nullable?: boolean;
}

const text: PropertyRule = { kind: 'string' };
const neededText: PropertyRule = { kind: 'string', required: true };
const textOrNull: PropertyRule = { kind: 'string', nullable: true };
const amount: PropertyRule = { kind: 'nonNegative' };
const neededAmount: PropertyRule = { kind: 'nonNegative', required: true };
const count: PropertyRule = { kind: 'count' };
const flag: PropertyRule = { kind: 'boolean' };

/**
 * The known properties of each touchpoint type (see `EventPropsByType` in the catalog); other
 * keys pass through when their values are scalars.
 */
export const PROPERTY_RULES: Readonly<Record<TouchpointType, Readonly<Record<string, PropertyRule>>>> = {
  ad_click: { modelId: textOrNull, campaign: text },
  live_stream: { liveTitle: text, watchSeconds: amount, modelId: textOrNull, interacted: flag },
  content_view: { materialId: text, dwellSeconds: neededAmount, category: neededText, modelId: textOrNull },
  share: { materialId: text, category: textOrNull, modelId: textOrNull, target: { kind: ['friend', 'moments', 'group'] } },
  form_submit: { form: neededText, modelId: textOrNull, formName: textOrNull, activityId: textOrNull },
  store_visit: { durationMinutes: amount, visitNo: count },
  test_drive: { modelId: neededText, trim: text, durationMinutes: amount },
  quote: { modelId: neededText, trim: text, listPrice: amount, price: neededAmount, priceCut: { kind: 'number' } },
  order: { modelId: neededText, trim: text, orderNo: text, price: amount, deposit: amount },
  delivery: { modelId: neededText, trim: text, vinTail: text },
  service_visit: { modelId: textOrNull, service: text, mileageKm: amount, amount },
  wecom_chat: { direction: { kind: ['in', 'out'] }, messages: count },
  call: { direction: { kind: ['inbound', 'outbound'] }, durationSeconds: amount, connected: flag },
};

/**
 * The privacy notice the customer's invitation shows before any tracking (the app's words in
 * `src/features/invite/invitation-view.ts`); its version is what the consent ledger records.
 */
export const INVITE_NOTICE_VERSION = 'invite-2025-03';

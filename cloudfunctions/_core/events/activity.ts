/**
 * Model-independent activity counters of one customer, kept current event by event (never by
 * re-reading the history): interactions per day, content views per category with dwell,
 * shares, channel kinds, models of interest and the last time of each milestone. Tag rules
 * and score reasons read them; `mergeActivity` combines two customers' counters.
 */
import { RETENTION_DAYS } from '../../../types/catalog';
import type { EventDoc } from '../../../types/model';
import { channelById, type ChannelKind } from '../catalog/channels';
import { addToBuckets, chinaDay, cloneBuckets, emptyBuckets, mergeBuckets, type DayBuckets } from './day-buckets';

/** Counters older than this are dropped (the longest window a rule may use). */
export { RETENTION_DAYS } from '../../../types/catalog';
/** How many models of interest are remembered. */
export const MAX_MODELS = 10;

export type Milestone =
  | 'test_drive_booking'
  | 'price_inquiry'
  | 'trade_in'
  | 'activity_signup'
  | 'store_visit'
  | 'test_drive'
  | 'quote'
  | 'order'
  | 'delivery'
  | 'service_visit'
  | 'lost'
  | 'unsubscribe';

export interface ActivityState {
  /** Interactions the customer took part in (staff-initiated calls and messages excluded). */
  interactions: DayBuckets;
  /** Content views per content category; the measure is dwell seconds. */
  content: Record<string, DayBuckets>;
  shares: DayBuckets;
  /** Activity sign-ups (care-campaign tags). */
  signups: DayBuckets;
  /** Interactions per channel kind (channel-preference tags). */
  channels: Partial<Record<ChannelKind, DayBuckets>>;
  /** Model id -> last time interest was shown, the most recent `MAX_MODELS`. */
  models: Record<string, number>;
  /** Last time of each milestone. */
  last: Partial<Record<Milestone, number>>;
  /** Last customer interaction. */
  lastActivityAt?: number;
}

export type ActivityEvent = Pick<EventDoc, 'type' | 'source' | 'properties' | 'timestamp'>;

export function emptyActivity(): ActivityState {
  return { interactions: emptyBuckets(), content: {}, shares: emptyBuckets(), signups: emptyBuckets(), channels: {}, models: {}, last: {} };
}

export function cloneActivity(a: ActivityState): ActivityState {
  const content: Record<string, DayBuckets> = {};
  for (const [k, b] of Object.entries(a.content)) content[k] = cloneBuckets(b);
  const channels: ActivityState['channels'] = {};
  for (const [k, b] of Object.entries(a.channels) as [ChannelKind, DayBuckets][]) channels[k] = cloneBuckets(b);
  return {
    interactions: cloneBuckets(a.interactions),
    content,
    shares: cloneBuckets(a.shares),
    signups: cloneBuckets(a.signups),
    channels,
    models: { ...a.models },
    last: { ...a.last },
    ...(a.lastActivityAt !== undefined ? { lastActivityAt: a.lastActivityAt } : {}),
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A `lost` outcome (战败) recorded on a follow-up event. */
export function isLostOutcome(e: Pick<ActivityEvent, 'properties'>): boolean {
  return e.properties.outcome === 'lost';
}

/** The customer opted out of messages (unsubscribed, deleted the consultant on WeCom). */
export function isUnsubscribe(e: Pick<ActivityEvent, 'properties'>): boolean {
  return e.properties.action === 'unsubscribe';
}

/**
 * Whether the customer took part: staff reaching out (outbound calls and messages) and
 * staff annotations such as a lost outcome are not the customer's activity.
 */
export function isCustomerInteraction(e: Pick<ActivityEvent, 'type' | 'properties'>): boolean {
  if (isLostOutcome(e) || isUnsubscribe(e)) return false;
  if (e.type === 'wecom_chat') return e.properties.direction !== 'out';
  if (e.type === 'call') return e.properties.direction === 'inbound';
  return true;
}

/** Events whose `modelId` shows interest in a model (a delivery or a service visit shows ownership). */
const INTEREST_TYPES = new Set<EventDoc['type']>(['ad_click', 'live_stream', 'content_view', 'share', 'form_submit', 'test_drive', 'quote', 'order']);

export function interestModelId(e: Pick<ActivityEvent, 'type' | 'properties'>): string | undefined {
  return INTEREST_TYPES.has(e.type) ? str(e.properties.modelId) : undefined;
}

function milestoneOf(e: ActivityEvent): Milestone | undefined {
  if (isLostOutcome(e)) return 'lost';
  if (isUnsubscribe(e)) return 'unsubscribe';
  switch (e.type) {
    case 'form_submit': {
      const form = str(e.properties.form);
      return form === 'test_drive_booking' || form === 'price_inquiry' || form === 'trade_in' || form === 'activity_signup' ? form : undefined;
    }
    case 'store_visit':
    case 'test_drive':
    case 'quote':
    case 'order':
    case 'delivery':
    case 'service_visit':
      return e.type;
    default:
      return undefined;
  }
}

/** Adds one event to `a`, in place (callers that need the old state clone it first). */
export function addActivityInPlace(a: ActivityState, e: ActivityEvent): void {
  const day = chinaDay(e.timestamp);
  const milestone = milestoneOf(e);
  if (milestone) a.last[milestone] = Math.max(a.last[milestone] ?? e.timestamp, e.timestamp);
  if (!isCustomerInteraction(e)) return;

  addToBuckets(a.interactions, day, 1, 0, RETENTION_DAYS);
  a.lastActivityAt = Math.max(a.lastActivityAt ?? e.timestamp, e.timestamp);
  const kind = channelById(e.source)?.kind;
  if (kind) addToBuckets((a.channels[kind] ??= emptyBuckets()), day, 1, 0, RETENTION_DAYS);

  if (e.type === 'content_view') {
    const category = str(e.properties.category);
    const dwell = typeof e.properties.dwellSeconds === 'number' ? Math.max(0, e.properties.dwellSeconds) : 0;
    if (category) addToBuckets((a.content[category] ??= emptyBuckets()), day, 1, dwell, RETENTION_DAYS);
  }
  if (e.type === 'share') addToBuckets(a.shares, day, 1, 0, RETENTION_DAYS);
  if (milestone === 'activity_signup') addToBuckets(a.signups, day, 1, 0, RETENTION_DAYS);

  const model = interestModelId(e);
  if (model) {
    a.models[model] = Math.max(a.models[model] ?? e.timestamp, e.timestamp);
    const ids = Object.keys(a.models);
    if (ids.length > MAX_MODELS) {
      const oldest = ids.reduce((x, y) => (a.models[x] <= a.models[y] ? x : y));
      delete a.models[oldest];
    }
  }
}

/** A new state with the event added; the input is left as it was. */
export function applyActivity(a: ActivityState, e: ActivityEvent): ActivityState {
  const next = cloneActivity(a);
  addActivityInPlace(next, e);
  return next;
}

/** The counters of two customers as one (for a merge); inputs are left as they were. */
export function mergeActivity(a: ActivityState, b: ActivityState): ActivityState {
  const out = cloneActivity(a);
  mergeBuckets(out.interactions, b.interactions, RETENTION_DAYS);
  mergeBuckets(out.shares, b.shares, RETENTION_DAYS);
  mergeBuckets(out.signups, b.signups, RETENTION_DAYS);
  for (const [k, bk] of Object.entries(b.content)) mergeBuckets((out.content[k] ??= emptyBuckets()), bk, RETENTION_DAYS);
  for (const [k, bk] of Object.entries(b.channels) as [ChannelKind, DayBuckets][]) mergeBuckets((out.channels[k] ??= emptyBuckets()), bk, RETENTION_DAYS);
  for (const [m, at] of Object.entries(b.models)) out.models[m] = Math.max(out.models[m] ?? at, at);
  const ids = Object.keys(out.models).sort((x, y) => out.models[y] - out.models[x]);
  for (const id of ids.slice(MAX_MODELS)) delete out.models[id];
  for (const [k, at] of Object.entries(b.last) as [Milestone, number][]) out.last[k] = Math.max(out.last[k] ?? at, at);
  if (b.lastActivityAt !== undefined) out.lastActivityAt = Math.max(out.lastActivityAt ?? b.lastActivityAt, b.lastActivityAt);
  return out;
}

/**
 * Pure derivations from a customer's events: lifecycle stage, behaviour statistics and the
 * behaviour score the generated profile (grade, tags) is built from.
 */
import type { EventDoc, LifecycleStage, OwnedVehicle, TouchpointType } from '../types/model';
import { CHANNELS, modelById, type CarModel } from '../cloudfunctions/_core/catalog';

const DAY = 86_400_000;

/** Touchpoints that show interest in the model they name, and how much (owning or servicing it does not). */
export const INTEREST_WEIGHT: Partial<Record<TouchpointType, number>> = {
  ad_click: 1,
  live_stream: 1,
  content_view: 1,
  share: 2,
  form_submit: 3,
  test_drive: 4,
  quote: 4,
};
export const INTEREST_TYPES = new Set(Object.keys(INTEREST_WEIGHT) as TouchpointType[]);
export const PROSPECT_TYPES = new Set<TouchpointType>(['store_visit', 'test_drive', 'quote']);

/** Owner once there is an order or a delivery; prospect once they came to a store; lead before. */
export function stageFromEvents(events: readonly Pick<EventDoc, 'type'>[]): LifecycleStage {
  let prospect = false;
  for (const e of events) {
    if (e.type === 'order' || e.type === 'delivery') return 'owner';
    if (PROSPECT_TYPES.has(e.type)) prospect = true;
  }
  return prospect ? 'prospect' : 'lead';
}

export interface EventStats {
  events30: number;
  events90: number;
  views: number;
  lives: number;
  shares: number;
  shares90: number;
  lastShare: number;
  forms90: number;
  signups: number;
  lastSignup: number;
  signupStores: Set<string>;
  visits: number;
  visits90: number;
  lastVisit: number;
  visitStores: Set<string>;
  testDrive: number;
  quote: number;
  booked: number;
  tradeIn: number;
  wecom: number;
  callsConnected: number;
  dwell: number;
  lastService: number;
  lastMileage?: number;
  categories: Map<string, { count: number; lastAt: number }>;
  kinds: Map<string, number>;
  channelKinds: Map<string, number>;
  trim?: { name: string; index: number; at: number };
}

/** The behaviour-channel tag each source counts towards. */
const CHANNEL_GROUP = new Map(
  CHANNELS.map((c) => [c.id, c.kind === 'vertical' || c.kind === 'media' ? 'vertical' : c.kind === 'live' ? 'short_video' : c.kind === 'owned' ? 'private' : 'offline']),
);

export function eventStats(events: readonly EventDoc[], now: number, materialKinds: Map<string, string>): EventStats {
  const s: EventStats = {
    events30: 0, events90: 0, views: 0, lives: 0, shares: 0, shares90: 0, lastShare: 0, forms90: 0, signups: 0,
    lastSignup: 0, signupStores: new Set(), visits: 0, visits90: 0, lastVisit: 0, visitStores: new Set(), testDrive: 0,
    quote: 0, booked: 0, tradeIn: 0, wecom: 0, callsConnected: 0, dwell: 0, lastService: 0, categories: new Map(),
    kinds: new Map(), channelKinds: new Map(),
  };
  for (const e of events) {
    const age = now - e.timestamp;
    if (age <= 30 * DAY) s.events30++;
    const recent = age <= 90 * DAY;
    if (recent) s.events90++;
    const p = e.properties;
    const group = CHANNEL_GROUP.get(e.source) ?? 'offline';
    s.channelKinds.set(group, (s.channelKinds.get(group) ?? 0) + 1);
    switch (e.type) {
      case 'content_view': {
        s.views++;
        s.dwell += Number(p.dwellSeconds) || 0;
        const cat = String(p.category);
        const c = s.categories.get(cat) ?? { count: 0, lastAt: 0 };
        c.count++;
        c.lastAt = e.timestamp;
        s.categories.set(cat, c);
        const mk = materialKinds.get(String(p.materialId));
        if (mk) s.kinds.set(mk, (s.kinds.get(mk) ?? 0) + 1);
        break;
      }
      case 'live_stream':
        s.lives++;
        break;
      case 'share':
        s.shares++;
        if (recent) s.shares90++;
        s.lastShare = e.timestamp;
        break;
      case 'form_submit':
        if (recent) s.forms90++;
        if (p.form === 'activity_signup') {
          s.signups++;
          s.lastSignup = e.timestamp;
          s.signupStores.add(e.storeId);
        }
        if (p.form === 'test_drive_booking' && !s.booked) s.booked = e.timestamp;
        if (p.form === 'trade_in') s.tradeIn = e.timestamp;
        break;
      case 'store_visit':
        s.visits++;
        if (recent) s.visits90++;
        s.lastVisit = e.timestamp;
        s.visitStores.add(e.storeId);
        break;
      case 'test_drive':
        s.testDrive = e.timestamp;
        s.trim = trimOf(p, e.timestamp) ?? s.trim;
        break;
      case 'quote':
        s.quote = e.timestamp;
        s.trim = trimOf(p, e.timestamp) ?? s.trim;
        break;
      case 'service_visit':
        s.lastService = e.timestamp;
        s.lastMileage = Number(p.mileageKm);
        break;
      case 'wecom_chat':
        s.wecom++;
        break;
      case 'call':
        if (p.connected === true) s.callsConnected++;
        break;
    }
  }
  return s;
}

function trimOf(p: EventDoc['properties'], at: number): EventStats['trim'] {
  const m = typeof p.modelId === 'string' ? modelById(p.modelId) : undefined;
  const name = typeof p.trim === 'string' ? p.trim : undefined;
  if (!m || !name) return undefined;
  return { name, index: m.trims.findIndex((t) => t.name === name), at };
}

/** 0-100: recent activity, sharing, leaving contact details and store-side steps. */
export function behaviourScore(s: EventStats, now: number, lastAt: number): number {
  let score = Math.min(30, 3 * s.events30) + Math.min(15, s.events90) + Math.min(15, 5 * s.shares90) + Math.min(16, 8 * s.forms90);
  if (s.visits90) score += 12;
  if (s.testDrive && now - s.testDrive <= 90 * DAY) score += 12;
  if (s.quote && now - s.quote <= 90 * DAY) score += 10;
  if (s.dwell >= 600) score += 5;
  if (now - lastAt <= 7 * DAY) score += 5;
  return Math.min(100, score);
}

export function topKey(m: Map<string, number>): string | undefined {
  let best: string | undefined;
  let n = 0;
  for (const [k, v] of m) if (v > n) [best, n] = [k, v];
  return best;
}

export function latestOwnedModel(owned: OwnedVehicle[]): CarModel | undefined {
  const last = owned[owned.length - 1];
  return last ? modelById(last.modelId) : undefined;
}

/**
 * Lifecycle stage 线索 / 潜客 / 保客 (lead / prospect / owner), moved only forward by events:
 * - a store visit, a test drive or a quote makes a lead a prospect (到店、试驾或报价即为潜客);
 * - an order or a delivery makes anyone an owner;
 * - an owner who later shows intent for another car (test drive, quote, test-drive booking,
 *   price inquiry, trade-in assessment) stays an owner with a replacement flag (换购意向).
 * Signals within `REPLACEMENT_GRACE_DAYS` of the latest order or delivery belong to that
 * purchase (a quote is often recorded after the order), and the flag lapses after
 * `REPLACEMENT_INTENT_ACTIVE_DAYS` without a new signal. The state keeps only minima and
 * maxima, so events may arrive in any order and be applied twice with the same result.
 */
import type { EventDoc, LifecycleStage, LifecycleState } from '../../../types/model';
import { DAY } from '../events/day-buckets';

export const STAGE_ORDER: Readonly<Record<LifecycleStage, number>> = { lead: 0, prospect: 1, owner: 2 };
export { STAGE_LABELS } from '../../../types/vocabulary';
export const REPLACEMENT_GRACE_DAYS = 30;
export const REPLACEMENT_INTENT_ACTIVE_DAYS = 180;

/** Stored on the customer beside `stage`. */
export type { LifecycleState };

export type LifecycleEvent = Pick<EventDoc, 'type' | 'properties' | 'timestamp'>;

const PURCHASE_INTENT_FORMS = new Set(['test_drive_booking', 'price_inquiry', 'trade_in']);

/** The stage an event proves, if any. */
export function stageImpliedBy(e: LifecycleEvent): LifecycleStage | undefined {
  switch (e.type) {
    case 'order':
    case 'delivery':
      return 'owner';
    case 'store_visit':
    case 'test_drive':
    case 'quote':
      return 'prospect';
    default:
      return undefined;
  }
}

/** Whether the event shows intent to buy a (further) car. */
export function isPurchaseIntent(e: LifecycleEvent): boolean {
  if (e.type === 'test_drive' || e.type === 'quote') return true;
  return e.type === 'form_submit' && typeof e.properties.form === 'string' && PURCHASE_INTENT_FORMS.has(e.properties.form);
}

export function initialLifecycle(stage: LifecycleStage = 'lead'): LifecycleState {
  return { stage };
}

const max = (a: number | undefined, b: number) => (a === undefined ? b : Math.max(a, b));

/** The state after one event; `changed` tells whether anything needs writing. */
export function applyLifecycleEvent(s: LifecycleState, e: LifecycleEvent): { state: LifecycleState; changed: boolean } {
  const next: LifecycleState = { ...s };
  const implied = stageImpliedBy(e);
  if (implied && STAGE_ORDER[implied] > STAGE_ORDER[s.stage]) {
    next.stage = implied;
    next.stageSince = e.timestamp;
  } else if (implied === s.stage && s.stageSince !== undefined && e.timestamp < s.stageSince) {
    next.stageSince = e.timestamp;
  }
  if (e.type === 'order' || e.type === 'delivery') next.lastPurchaseAt = max(s.lastPurchaseAt, e.timestamp);
  if (isPurchaseIntent(e)) next.lastIntentAt = max(s.lastIntentAt, e.timestamp);
  const changed =
    next.stage !== s.stage || next.stageSince !== s.stageSince || next.lastPurchaseAt !== s.lastPurchaseAt || next.lastIntentAt !== s.lastIntentAt;
  return { state: changed ? next : s, changed };
}

/** When an owner last showed intent for another car, if that flag is current. */
export function replacementIntentAt(s: LifecycleState, now: number): number | undefined {
  if (s.stage !== 'owner' || s.lastIntentAt === undefined) return undefined;
  if (s.lastPurchaseAt !== undefined && s.lastIntentAt <= s.lastPurchaseAt + REPLACEMENT_GRACE_DAYS * DAY) return undefined;
  if (now - s.lastIntentAt > REPLACEMENT_INTENT_ACTIVE_DAYS * DAY) return undefined;
  return s.lastIntentAt;
}

export function hasReplacementIntent(s: LifecycleState, now: number): boolean {
  return replacementIntentAt(s, now) !== undefined;
}

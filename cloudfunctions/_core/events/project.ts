/**
 * Keeps the customer document's event-derived fields current, one event at a time: last
 * activity and last touch, vehicles of interest, vehicles owned (from deliveries) and stores
 * visited. Stage moves are in `lifecycle/`. Counting visits is not idempotent on its own:
 * apply an event here only when the per-customer state reports it as new (see
 * `applyEvent` in `scoring/state.ts`, whose recent-id ring makes retries no-ops).
 */
import type { CustomerDoc, EventDoc } from '../../../types/model';
import { interestModelId, isCustomerInteraction, MAX_MODELS } from './activity';

export type ProjectedFields = Pick<CustomerDoc, 'lastActivityAt' | 'lastTouch' | 'vehiclesOfInterest' | 'vehiclesOwned' | 'storesVisited' | 'updatedAt'>;

export type ProjectableEvent = Pick<EventDoc, 'type' | 'storeId' | 'properties' | 'timestamp'>;

/**
 * The fields of `customer` after `event`. `summary` is the event's Chinese one-liner
 * (`describeEvent` in the catalog); `now` becomes `updatedAt`. Events may arrive out of
 * order: times only move forward, an older event never replaces a newer last touch.
 */
export function projectEvent(customer: ProjectedFields, event: ProjectableEvent, summary: string, now: number): ProjectedFields {
  const out: ProjectedFields = {
    lastActivityAt: customer.lastActivityAt,
    vehiclesOfInterest: customer.vehiclesOfInterest,
    vehiclesOwned: customer.vehiclesOwned,
    storesVisited: customer.storesVisited,
    updatedAt: now,
    ...(customer.lastTouch ? { lastTouch: customer.lastTouch } : {}),
  };
  const t = event.timestamp;
  if (isCustomerInteraction(event)) {
    out.lastActivityAt = Math.max(customer.lastActivityAt, t);
    if (!customer.lastTouch || t >= customer.lastTouch.at) out.lastTouch = { type: event.type, at: t, summary };
  }

  const model = interestModelId(event);
  if (model) {
    const had = customer.vehiclesOfInterest.find((v) => v.modelId === model);
    if (!had || had.at < t) {
      const rest = customer.vehiclesOfInterest.filter((v) => v.modelId !== model);
      out.vehiclesOfInterest = [...rest, { modelId: model, at: t }].sort((a, b) => b.at - a.at).slice(0, MAX_MODELS);
    }
  }

  if (event.type === 'delivery' && typeof event.properties.modelId === 'string') {
    const modelId = event.properties.modelId;
    const vinTail = typeof event.properties.vinTail === 'string' ? event.properties.vinTail : '';
    if (!customer.vehiclesOwned.some((v) => v.modelId === modelId && v.vinTail === vinTail)) {
      out.vehiclesOwned = [...customer.vehiclesOwned, { modelId, vinTail, purchasedAt: t }];
    }
  }

  if (event.type === 'store_visit') {
    const had = customer.storesVisited.find((s) => s.storeId === event.storeId);
    out.storesVisited = had
      ? customer.storesVisited.map((s) => (s.storeId === event.storeId ? { storeId: s.storeId, count: s.count + 1, lastAt: Math.max(s.lastAt, t) } : s))
      : [...customer.storesVisited, { storeId: event.storeId, count: 1, lastAt: t }];
  }
  return out;
}

/**
 * The upstream outbox's rules: what becomes an entry, the item the OEM receives, the retry
 * policy, and which entries may be sent now without breaking a customer's order.
 *
 * - An entry is a store-side fact (a touchpoint staff recorded: follow-ups, visits, test drives,
 *   quotes with their discount, orders, lost outcomes) or a consent change of a customer who
 *   consented to sharing with the OEM. Its id is the idempotency key upstream.
 * - A customer's entries go in their sequence order: an entry is sent only after every earlier
 *   one of the same customer was acknowledged. A dead letter (the OEM refused it, or it failed
 *   `MAX_ATTEMPTS` times) holds the customer's later entries back until a manager replays it.
 * - Failures back off exponentially with jitter, a pure function of the attempt count and a
 *   random source.
 */
import type { ConsentDoc, CustomerDoc, EventDoc, OutboxDoc, SyncError } from '../../../types/model';
import { sharesWithOem } from './consent';

/** After this many failed attempts an entry is a dead letter. */
export const MAX_ATTEMPTS = 8;
export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 60 * 60_000;
/** Most items in one upload request. */
export const UPLOAD_BATCH = 500;

/**
 * How long to wait after the `attempts`-th failure: exponential from 30 s, capped at an hour,
 * with "equal jitter" (half fixed, half random) so retries of many entries spread out yet
 * never come back at once. `random` returns [0, 1).
 */
export function retryDelay(attempts: number, random: () => number): number {
  const exp = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export type OutboxState = Pick<OutboxDoc, 'status' | 'attempts' | 'nextAt'> & { lastError?: SyncError };

/** The entry's state after a failed attempt: back off, or dead when refused or out of attempts. */
export function afterFailure(entry: Pick<OutboxDoc, 'attempts'>, error: SyncError, now: number, random: () => number): OutboxState {
  const attempts = entry.attempts + 1;
  if (error.code === 'rejected' || attempts >= MAX_ATTEMPTS) return { status: 'dead', attempts, nextAt: now, lastError: error };
  return { status: 'pending', attempts, nextAt: now + retryDelay(attempts, random), lastError: error };
}

export type Queued = Pick<OutboxDoc, '_id' | 'customerId' | 'seq' | 'status' | 'nextAt'>;

/**
 * The entries that may go now, from the unsent entries (pending and dead) of some customers:
 * per customer, in sequence order, those due up to the first that is not (backing off or
 * dead). At most `limit`, whole customers' prefixes first come first.
 */
export function sendable<E extends Queued>(unsent: readonly E[], now: number, limit = UPLOAD_BATCH): E[] {
  const byCustomer = new Map<string, E[]>();
  for (const e of unsent) {
    if (e.status !== 'pending' && e.status !== 'dead') continue;
    const list = byCustomer.get(e.customerId) ?? [];
    list.push(e);
    byCustomer.set(e.customerId, list);
  }
  const out: E[] = [];
  const heads: E[][] = [];
  for (const list of byCustomer.values()) {
    list.sort((a, b) => a.seq - b.seq);
    const ready: E[] = [];
    for (const e of list) {
      if (e.status !== 'pending' || e.nextAt > now) break;
      ready.push(e);
    }
    if (ready.length) heads.push(ready);
  }
  // Customers who have waited longest first.
  heads.sort((a, b) => a[0].nextAt - b[0].nextAt || (a[0].customerId < b[0].customerId ? -1 : 1));
  for (const ready of heads) {
    for (const e of ready) {
      if (out.length >= limit) return out;
      out.push(e);
    }
  }
  return out;
}

/** How long entries behind a dead letter wait before they are looked at again (a replay frees them at once). */
export const HOLD_MS = 60 * 60_000;

/**
 * Due entries that cannot go because an earlier entry of their customer is backing off or
 * dead: moved to when that entry may go (or `HOLD_MS` behind a dead letter), so the due
 * queue's head is always something that can be sent. Grouped by the new time.
 */
export function holdBack<E extends Queued>(unsent: readonly E[], now: number): { ids: string[]; nextAt: number }[] {
  const byCustomer = new Map<string, E[]>();
  for (const e of unsent) if (e.status === 'pending' || e.status === 'dead') byCustomer.set(e.customerId, [...(byCustomer.get(e.customerId) ?? []), e]);
  const groups = new Map<number, string[]>();
  for (const list of byCustomer.values()) {
    list.sort((a, b) => a.seq - b.seq);
    const blocker = list.find((e) => e.status === 'dead' || e.nextAt > now);
    if (!blocker) continue;
    const until = blocker.status === 'dead' ? now + HOLD_MS : blocker.nextAt;
    for (const e of list) {
      if (e.seq <= blocker.seq || e.status !== 'pending' || e.nextAt >= until) continue;
      groups.set(until, [...(groups.get(until) ?? []), e._id]);
    }
  }
  return [...groups].map(([nextAt, ids]) => ({ ids, nextAt }));
}

// ---------- what goes up ----------

/** Free-text notes are the consultant's own; they stay in the store. */
const PRIVATE_PROPERTIES = new Set(['note']);

/** Whether an applied event is a store-side fact for the OEM (OEM events and internal notes are not). */
export function isUpstreamEvent(e: Pick<EventDoc, 'staffId' | 'properties'>): boolean {
  return e.staffId !== undefined && e.properties.followUp !== 'note';
}

type Person = Pick<CustomerDoc, '_id' | 'identities'>;

/** Who the item is about: the OEM id when the customer has one, else our id and the phone to link by. */
function who(c: Person): Record<string, unknown> {
  if (c.identities.oemId) return { userId: c.identities.oemId };
  return { anonymousId: c._id, ...(c.identities.phone ? { traits: { phone: c.identities.phone } } : {}) };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A Segment `track` item for a store-side event (docs/oem-api.md "Upload"); the uploader adds the dealer. */
export function eventItem(key: string, e: EventDoc, c: Person): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.properties)) if (!PRIVATE_PROPERTIES.has(k)) properties[k] = v;
  const person = who(c);
  const { traits, ...ids } = person;
  return {
    type: 'track',
    messageId: key,
    event: e.type,
    ...ids,
    properties,
    context: { storeId: e.storeId, ...(e.staffId ? { staffId: e.staffId } : {}), ...(traits ? { traits } : {}) },
    originalTimestamp: iso(e.originalTimestamp),
    timestamp: iso(e.timestamp),
  };
}

/** A Segment `track` item `consent_changed` for a consent ledger entry. */
export function consentItem(key: string, entry: ConsentDoc, c: Person): Record<string, unknown> {
  const { traits, ...ids } = who(c);
  return {
    type: 'track',
    messageId: key,
    event: 'consent_changed',
    ...ids,
    properties: { purpose: entry.purpose, granted: entry.granted, noticeVersion: entry.noticeVersion, channel: entry.channel },
    context: { storeId: entry.storeId, ...(traits ? { traits } : {}) },
    originalTimestamp: iso(entry.at),
    timestamp: iso(entry.at),
  };
}

export const eventEntryId = (eventId: string) => `evt:${eventId}`;
export const consentEntryKey = (consentId: string) => `consent:${consentId}`;

type Seqd = Pick<CustomerDoc, '_id' | 'storeId' | 'identities' | 'consent'> & { outboxSeq?: number };

/**
 * The outbox entries for events just applied to a customer (in the transaction that applies
 * them), and the customer with its sequence moved on. Nothing when the customer does not
 * consent to sharing with the OEM.
 */
export function entriesForEvents<C extends Seqd>(c: C, applied: readonly EventDoc[], now: number): { customer: C; entries: OutboxDoc[] } {
  if (!sharesWithOem(c)) return { customer: c, entries: [] };
  const upstream = applied.filter(isUpstreamEvent);
  if (!upstream.length) return { customer: c, entries: [] };
  let seq = c.outboxSeq ?? 0;
  const entries = upstream.map((e): OutboxDoc => {
    const key = eventEntryId(e._id);
    return { _id: key, customerId: c._id, storeId: c.storeId, seq: ++seq, kind: 'event', item: eventItem(key, e, c), status: 'pending', attempts: 0, nextAt: now, createdAt: now };
  });
  return { customer: { ...c, outboxSeq: seq }, entries };
}

/** The outbox entry telling the OEM about a consent change (sent whatever the new consent says). */
export function entryForConsent<C extends Seqd>(c: C, entry: ConsentDoc, now: number): { customer: C; entry: OutboxDoc } {
  const seq = (c.outboxSeq ?? 0) + 1;
  const key = consentEntryKey(entry._id);
  return {
    customer: { ...c, outboxSeq: seq },
    entry: { _id: key, customerId: c._id, storeId: c.storeId, seq, kind: 'consent', item: consentItem(key, entry, c), status: 'pending', attempts: 0, nextAt: now, createdAt: now },
  };
}

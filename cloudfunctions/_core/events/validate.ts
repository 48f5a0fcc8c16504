/**
 * The `track` input: one Segment-style event, checked by the contract's schema (`trackEvent` in
 * types/domain-schemas.ts: fields, ids, the known properties of each type) and then made ready
 * for OneID by the rules that belong to the domain, applied to every field whose shape passed so
 * that one reply names every bad field:
 *
 * - `identities` are normalised by OneID (phones to 11 digits); placeholders (`null`,
 *   13800138000...) are dropped and reported in `ignoredIdentities`, malformed values are
 *   errors; either `customerId` or at least one usable identifier is required;
 * - times are read by `parseTime` (a real date between 2015-01-01 and 2100-01-01);
 *   `originalTimestamp <= sentAt`; `receivedAt` is the server's clock, passed in (a relayed
 *   `receivedAt` is read only from a trusted peer, and ignored from anyone else);
 *   `timestamp = originalTimestamp + (receivedAt - sentAt)` corrects the sender's clock, and
 *   without `sentAt` there is nothing to correct.
 */
import type { FieldIssue } from '../../../types/api';
import { epochOrIso, trackBatch, trackEvent } from '../../../types/domain-schemas';
import type { CustomerIdentities, EventDoc, TouchpointType } from '../../../types/model';
import { fieldIssues } from '../field-issues';
import { IDENTITY_TYPES, normalizeIdentifier } from '../oneid/identifiers';

/** 2015-01-01T00:00:00+08:00 to 2100-01-01T00:00:00+08:00: what a sender's time may be. */
const MIN_TIME = Date.parse('2015-01-01T00:00:00+08:00');
const MAX_TIME = Date.parse('2100-01-01T00:00:00+08:00');

export type EventProperties = EventDoc['properties'];

/** A validated event, not yet tied to a customer (OneID resolves `identities` next). */
export interface NormalizedEvent {
  /** The messageId. */
  _id: string;
  type: TouchpointType;
  source: string;
  storeId: string;
  staffId?: string;
  /** Set when the sender already knows the customer (store-side records). */
  customerId?: string;
  /** Normalised, unscoped values; scope them with `identifiersFrom(identities, scopes)`. */
  identities: CustomerIdentities;
  /** Placeholder identities that were dropped, e.g. phone 13800138000. */
  ignoredIdentities: FieldIssue[];
  properties: EventProperties;
  originalTimestamp: number;
  sentAt: number;
  receivedAt: number;
  timestamp: number;
}

export interface NormalizeOptions {
  /** The server's clock when the request arrived. */
  receivedAt: number;
  /** Use the payload's own `receivedAt` (events relayed by a trusted peer such as the OEM). */
  trustRelayedReceivedAt?: boolean;
}

export type NormalizeResult = { ok: true; event: NormalizedEvent } | { ok: false; issues: FieldIssue[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Epoch ms from a number or an ISO 8601 string with a zone; a string reason when it is not one. */
export function parseTime(v: unknown): number | string {
  const shape = epochOrIso.safeParse(v);
  if (!shape.success) return shape.error.issues[0].message;
  let ms: number;
  if (typeof shape.data === 'number') ms = shape.data;
  else {
    ms = Date.parse(shape.data);
    const [y, m, d] = shape.data.slice(0, 10).split('-').map(Number);
    const day = new Date(Date.UTC(y, m - 1, d));
    if (Number.isNaN(ms) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return 'is not a real date';
  }
  if (ms < MIN_TIME || ms >= MAX_TIME) return 'must be between 2015-01-01 and 2100-01-01';
  return ms;
}

/** Validates and normalises one track event. */
export function normalizeTrack(raw: unknown, opts: NormalizeOptions): NormalizeResult {
  // A relayed receivedAt is not even looked at unless the peer is trusted.
  const input = isRecord(raw) && !opts.trustRelayedReceivedAt ? { ...raw, receivedAt: undefined } : raw;
  const parsed = trackEvent.safeParse(input);
  const issues = parsed.success ? [] : fieldIssues(parsed.error);
  if (!isRecord(input)) return { ok: false, issues };
  const shapeOk = (field: string) => !issues.some((i) => i.field === field || i.field.startsWith(`${field}.`));

  const identities: CustomerIdentities = {};
  const ignoredIdentities: FieldIssue[] = [];
  const givenIds = isRecord(input.identities) ? input.identities : {};
  for (const t of IDENTITY_TYPES) {
    const field = `identities.${t}`;
    if (givenIds[t] === undefined || !shapeOk(field)) continue;
    const r = normalizeIdentifier(t, givenIds[t]);
    if (r.ok) identities[t] = r.identifier.value;
    else if (r.kind === 'blocked') ignoredIdentities.push({ field, message: r.message });
    else issues.push({ field, message: r.message });
  }
  const knownCustomer = input.customerId !== undefined && shapeOk('customerId');
  if (!knownCustomer && !Object.keys(identities).length && shapeOk('identities'))
    issues.push({ field: 'identities', message: 'must hold a usable phone, oemId, unionid, externalUserId or openid (or give customerId)' });

  const time = (field: 'originalTimestamp' | 'sentAt' | 'receivedAt'): number | undefined => {
    if (input[field] === undefined || !shapeOk(field)) return undefined;
    const t = parseTime(input[field]);
    if (typeof t === 'number') return t;
    issues.push({ field, message: t });
    return undefined;
  };
  const original = time('originalTimestamp');
  const receivedAt = time('receivedAt') ?? opts.receivedAt;
  const sent = input.sentAt === undefined ? receivedAt : time('sentAt');
  if (original !== undefined && sent !== undefined && original > sent) issues.push({ field: 'originalTimestamp', message: 'must not be later than sentAt' });

  if (!parsed.success || issues.length || original === undefined || sent === undefined) return { ok: false, issues };
  const e = parsed.data;
  const properties: EventProperties = {};
  for (const [key, v] of Object.entries(e.properties ?? {})) if (v !== undefined) properties[key] = v;
  const event: NormalizedEvent = {
    _id: e.messageId,
    type: e.event,
    source: e.source,
    storeId: e.storeId,
    ...(e.staffId ? { staffId: e.staffId } : {}),
    ...(e.customerId ? { customerId: e.customerId } : {}),
    identities,
    ignoredIdentities,
    properties,
    originalTimestamp: original,
    sentAt: sent,
    receivedAt,
    timestamp: original + (receivedAt - sent),
  };
  return { ok: true, event };
}

export interface InvalidEvent {
  index: number;
  messageId?: string;
  issues: FieldIssue[];
}

export type BatchResult =
  | {
      ok: true;
      valid: NormalizedEvent[];
      invalid: InvalidEvent[];
      /** Later copies of a messageId already in this batch (ignored, like any repeat). */
      duplicates: { index: number; messageId: string }[];
    }
  | { ok: false; issues: FieldIssue[] };

/** Validates a batch: valid events are kept, each invalid one is reported with its index. */
export function normalizeBatch(raw: unknown, opts: NormalizeOptions): BatchResult {
  const batch = trackBatch.safeParse(raw);
  if (!batch.success) return { ok: false, issues: [{ field: 'batch', message: batch.error.issues[0].message }] };
  const valid: NormalizedEvent[] = [];
  const invalid: InvalidEvent[] = [];
  const duplicates: { index: number; messageId: string }[] = [];
  const seen = new Set<string>();
  batch.data.forEach((item, index) => {
    const r = normalizeTrack(item, opts);
    if (!r.ok) {
      const id = isRecord(item) && typeof item.messageId === 'string' ? item.messageId : undefined;
      invalid.push({ index, ...(id ? { messageId: id } : {}), issues: r.issues });
    } else if (seen.has(r.event._id)) duplicates.push({ index, messageId: r.event._id });
    else {
      seen.add(r.event._id);
      valid.push(r.event);
    }
  });
  return { ok: true, valid, invalid, duplicates };
}

/** The stored event once OneID has named the customer. */
export function toEventDoc(e: NormalizedEvent, customerId: string): EventDoc {
  return {
    _id: e._id,
    customerId,
    storeId: e.storeId,
    type: e.type,
    source: e.source,
    properties: e.properties,
    originalTimestamp: e.originalTimestamp,
    sentAt: e.sentAt,
    receivedAt: e.receivedAt,
    timestamp: e.timestamp,
    ...(e.staffId ? { staffId: e.staffId } : {}),
  };
}

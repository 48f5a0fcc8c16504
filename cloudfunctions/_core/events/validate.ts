/**
 * The `track` input: one Segment-style event, validated and normalised by explicit rules
 * (kept here as data so the zod schema in `types/schemas.ts` can state the same ones):
 *
 * - `messageId`: 1-100 characters of letters, digits and `_ - : .`; it becomes the event's
 *   `_id`, so a repeat is a no-op;
 * - `event`: one of the touchpoint types;
 * - `identities`: phone / oemId / unionid / externalUserId / openid, normalised by OneID;
 *   placeholders (`null`, 13800138000...) are dropped and reported in `ignoredIdentities`,
 *   malformed values are errors; either `customerId` (store-side events recorded against a
 *   known customer) or at least one usable identifier is required;
 * - `properties`: at most 50 keys (`[A-Za-z][A-Za-z0-9_]*`, up to 64 characters) with string
 *   (up to 500 characters), finite number, boolean or null values; the known properties of
 *   each type are type-checked and some are required (`PROPERTY_RULES`);
 * - `originalTimestamp` (required) and `sentAt` (optional): epoch milliseconds or ISO 8601
 *   with a time zone, between 2015-01-01 and 2100-01-01; `originalTimestamp <= sentAt`;
 * - `receivedAt`: the server's clock, passed in (a relayed `receivedAt` is used only from a
 *   trusted peer); `timestamp = originalTimestamp + (receivedAt - sentAt)` corrects the
 *   sender's clock, and without `sentAt` there is nothing to correct;
 * - `source`: a channel id (`[a-z][a-z0-9_]*`, up to 32); `storeId`, `customerId`, `staffId`:
 *   ids of 1-64 characters;
 * - `type: 'track'` is accepted for Segment compatibility; any other field is an error.
 */
import type { FieldIssue } from '../../../types/api';
import { PROPERTY_RULES, TOUCHPOINT_TYPES, type PropertyRule } from '../../../types/catalog';
import type { CustomerIdentities, EventDoc, IdentityType, TouchpointType } from '../../../types/model';
import { IDENTITY_TYPES, normalizeIdentifier } from '../oneid/identifiers';

export const EVENT_LIMITS = {
  messageId: { max: 100, pattern: /^[A-Za-z0-9_.:-]+$/ },
  id: { max: 64 },
  source: { max: 32, pattern: /^[a-z][a-z0-9_]*$/ },
  propertyKeys: { max: 50, maxLength: 64, pattern: /^[A-Za-z][A-Za-z0-9_]*$/ },
  propertyString: { max: 500 },
  /** 2015-01-01T00:00:00+08:00 */
  minTime: Date.parse('2015-01-01T00:00:00+08:00'),
  maxTime: Date.parse('2100-01-01T00:00:00+08:00'),
  batch: { max: 100 },
} as const;

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

const TOP_LEVEL = new Set([
  'type', 'messageId', 'event', 'identities', 'customerId', 'properties', 'originalTimestamp', 'sentAt', 'receivedAt', 'source', 'storeId', 'staffId',
]);
const TOUCHPOINTS = new Set<string>(TOUCHPOINT_TYPES);
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Epoch ms from a number or an ISO 8601 string with a zone; a string reason when it is not one. */
export function parseTime(v: unknown): number | string {
  let ms: number;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'must be an integer of epoch milliseconds';
    ms = v;
  } else if (typeof v === 'string') {
    if (!ISO_WITH_ZONE.test(v)) return 'must be epoch milliseconds or ISO 8601 with a time zone';
    ms = Date.parse(v);
    const [y, m, d] = v.slice(0, 10).split('-').map(Number);
    const day = new Date(Date.UTC(y, m - 1, d));
    if (Number.isNaN(ms) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return 'is not a real date';
  } else return 'must be epoch milliseconds or an ISO 8601 string';
  if (ms < EVENT_LIMITS.minTime || ms >= EVENT_LIMITS.maxTime) return 'must be between 2015-01-01 and 2100-01-01';
  return ms;
}

function checkId(v: unknown, field: string, issues: FieldIssue[], required: boolean): string | undefined {
  if (v === undefined) {
    if (required) issues.push({ field, message: 'is required' });
    return undefined;
  }
  if (typeof v !== 'string' || !v.trim()) {
    issues.push({ field, message: 'must be a non-empty string' });
    return undefined;
  }
  const s = v.trim();
  if (s.length > EVENT_LIMITS.id.max) {
    issues.push({ field, message: `must be at most ${EVENT_LIMITS.id.max} characters` });
    return undefined;
  }
  return s;
}

function checkProperty(rule: PropertyRule, v: unknown): string | undefined {
  if (v === null) return rule.nullable ? undefined : 'must not be null';
  const k = rule.kind;
  if (Array.isArray(k)) return typeof v === 'string' && k.includes(v) ? undefined : `must be one of ${k.join(', ')}`;
  switch (k) {
    case 'string':
      return typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-empty string';
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : 'must be a number';
    case 'nonNegative':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'must be a number >= 0';
    case 'count':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : 'must be a whole number >= 0';
  }
  return undefined;
}

function checkProperties(type: TouchpointType | undefined, raw: unknown, issues: FieldIssue[]): EventProperties {
  const out: EventProperties = {};
  if (raw === undefined) raw = {};
  if (!isRecord(raw)) {
    issues.push({ field: 'properties', message: 'must be an object' });
    return out;
  }
  const keys = Object.keys(raw);
  if (keys.length > EVENT_LIMITS.propertyKeys.max) issues.push({ field: 'properties', message: `must have at most ${EVENT_LIMITS.propertyKeys.max} keys` });
  const rules = type ? PROPERTY_RULES[type] : {};
  for (const key of keys) {
    const field = `properties.${key}`;
    const v = raw[key];
    if (key.length > EVENT_LIMITS.propertyKeys.maxLength || !EVENT_LIMITS.propertyKeys.pattern.test(key)) {
      issues.push({ field, message: 'key must start with a letter and hold only letters, digits and _ (at most 64)' });
      continue;
    }
    if (v === undefined) continue;
    const rule = rules[key];
    if (rule) {
      const problem = checkProperty(rule, v);
      if (problem) {
        issues.push({ field, message: problem });
        continue;
      }
    } else if (!(v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
      issues.push({ field, message: 'must be a string, finite number, boolean or null' });
      continue;
    }
    if (typeof v === 'string' && v.length > EVENT_LIMITS.propertyString.max) {
      issues.push({ field, message: `must be at most ${EVENT_LIMITS.propertyString.max} characters` });
      continue;
    }
    out[key] = typeof v === 'string' ? v.trim() : (v as number | boolean | null);
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (rule.required && (raw[key] === undefined || raw[key] === null)) issues.push({ field: `properties.${key}`, message: `is required for ${type} events` });
  }
  return out;
}

/** Validates and normalises one track event. */
export function normalizeTrack(raw: unknown, opts: NormalizeOptions): NormalizeResult {
  if (!isRecord(raw)) return { ok: false, issues: [{ field: '', message: 'event must be an object' }] };
  const issues: FieldIssue[] = [];

  for (const key of Object.keys(raw)) if (!TOP_LEVEL.has(key)) issues.push({ field: key, message: 'is not a known field' });
  if (raw.type !== undefined && raw.type !== 'track') issues.push({ field: 'type', message: "must be 'track'" });

  let messageId: string | undefined;
  if (typeof raw.messageId !== 'string' || !raw.messageId) issues.push({ field: 'messageId', message: 'is required' });
  else if (raw.messageId.length > EVENT_LIMITS.messageId.max || !EVENT_LIMITS.messageId.pattern.test(raw.messageId))
    issues.push({ field: 'messageId', message: 'must be 1-100 letters, digits or _.:-' });
  else messageId = raw.messageId;

  let type: TouchpointType | undefined;
  if (typeof raw.event !== 'string' || !TOUCHPOINTS.has(raw.event)) issues.push({ field: 'event', message: `must be one of ${TOUCHPOINT_TYPES.join(', ')}` });
  else type = raw.event as TouchpointType;

  const storeId = checkId(raw.storeId, 'storeId', issues, true);
  const customerId = checkId(raw.customerId, 'customerId', issues, false);
  const staffId = checkId(raw.staffId, 'staffId', issues, false);

  let source: string | undefined;
  if (typeof raw.source !== 'string' || raw.source.length > EVENT_LIMITS.source.max || !EVENT_LIMITS.source.pattern.test(raw.source))
    issues.push({ field: 'source', message: 'must be a channel id: lower-case letters, digits and _ (at most 32)' });
  else source = raw.source;

  const identities: CustomerIdentities = {};
  const ignoredIdentities: FieldIssue[] = [];
  if (raw.identities !== undefined && !isRecord(raw.identities)) issues.push({ field: 'identities', message: 'must be an object' });
  else {
    const ids = (raw.identities ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(ids)) if (!IDENTITY_TYPES.includes(key as IdentityType)) issues.push({ field: `identities.${key}`, message: 'is not a known identifier type' });
    for (const t of IDENTITY_TYPES) {
      if (ids[t] === undefined) continue;
      const r = normalizeIdentifier(t, ids[t]);
      if (r.ok) identities[t] = r.identifier.value;
      else if (r.kind === 'blocked') ignoredIdentities.push({ field: `identities.${t}`, message: r.message });
      else issues.push({ field: `identities.${t}`, message: r.message });
    }
    if (!customerId && !Object.keys(identities).length && !issues.some((i) => i.field.startsWith('identities')))
      issues.push({ field: 'identities', message: 'must hold a usable phone, oemId, unionid, externalUserId or openid (or give customerId)' });
  }

  const properties = checkProperties(type, raw.properties, issues);

  const original = raw.originalTimestamp === undefined ? 'is required' : parseTime(raw.originalTimestamp);
  if (typeof original === 'string') issues.push({ field: 'originalTimestamp', message: original });
  let receivedAt = opts.receivedAt;
  if (raw.receivedAt !== undefined && opts.trustRelayedReceivedAt) {
    const relayed = parseTime(raw.receivedAt);
    if (typeof relayed === 'string') issues.push({ field: 'receivedAt', message: relayed });
    else receivedAt = relayed;
  }
  const sent = raw.sentAt === undefined ? receivedAt : parseTime(raw.sentAt);
  if (typeof sent === 'string') issues.push({ field: 'sentAt', message: sent });
  if (typeof original === 'number' && typeof sent === 'number' && original > sent)
    issues.push({ field: 'originalTimestamp', message: 'must not be later than sentAt' });

  if (issues.length || !messageId || !type || !storeId || !source || typeof original !== 'number' || typeof sent !== 'number') {
    return { ok: false, issues };
  }
  const event: NormalizedEvent = {
    _id: messageId,
    type,
    source,
    storeId,
    ...(staffId ? { staffId } : {}),
    ...(customerId ? { customerId } : {}),
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
  if (!Array.isArray(raw)) return { ok: false, issues: [{ field: 'batch', message: 'must be an array of events' }] };
  if (raw.length === 0 || raw.length > EVENT_LIMITS.batch.max)
    return { ok: false, issues: [{ field: 'batch', message: `must hold 1-${EVENT_LIMITS.batch.max} events` }] };
  const valid: NormalizedEvent[] = [];
  const invalid: InvalidEvent[] = [];
  const duplicates: { index: number; messageId: string }[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
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

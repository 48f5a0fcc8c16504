/**
 * OneID identifier rules: which identifier types exist, how much each is trusted (priority),
 * how many values of a type one customer may hold (limit, counted per scope), how raw values
 * are normalised, and which values are placeholders that must never link two people.
 */
import type { CustomerIdentities, Identifier, IdentityType } from '../../../types/model';
import type { FieldIssue } from '../../../types/api';

export type IdentityScopeKind = 'corp' | 'app';

export interface IdentityRule {
  /** 1 is the most trusted. Decides merge survivors and which identifier wins a conflict. */
  priority: number;
  /** How many distinct values of this type one customer may hold within one scope. */
  limit: number;
  /** Scoped types are unique only inside one WeCom corp (`corp`) or one WeChat app (`app`). */
  scope: IdentityScopeKind | null;
  /** Chinese name for conflict messages. */
  label: string;
}

/**
 * One value per type: a second, different phone on a customer is far more often a shared
 * WeChat account or a typo than the same person, so it is reported instead of linked.
 */
export const IDENTITY_RULES: Readonly<Record<IdentityType, IdentityRule>> = {
  oemId: { priority: 1, limit: 1, scope: null, label: '主机厂客户ID' },
  phone: { priority: 2, limit: 1, scope: null, label: '手机号' },
  unionid: { priority: 3, limit: 1, scope: null, label: '微信账号' },
  externalUserId: { priority: 4, limit: 1, scope: 'corp', label: '企业微信外部联系人' },
  openid: { priority: 5, limit: 1, scope: 'app', label: '小程序账号' },
};

/** Identifier types, highest priority first. */
export const IDENTITY_TYPES: readonly IdentityType[] = (Object.keys(IDENTITY_RULES) as IdentityType[]).sort(
  (a, b) => IDENTITY_RULES[a].priority - IDENTITY_RULES[b].priority,
);

export type { Identifier };

/** Where scoped identifiers come from: the server knows its own corp and app. */
export interface IdentityScopes {
  corpId?: string;
  appId?: string;
}

/**
 * The id of the identity document: `type:value`, or `type:scope:value` for a scoped identifier
 * (so the same openid string in two apps never collides).
 */
export function identifierKey(id: Identifier): string {
  return id.scope ? `${id.type}:${id.scope}:${id.value}` : `${id.type}:${id.value}`;
}

/** The inverse of `identifierKey`; undefined for a string it did not make. */
export function parseIdentifierKey(key: string): Identifier | undefined {
  const first = key.indexOf(':');
  if (first < 0) return undefined;
  const type = key.slice(0, first) as IdentityType;
  if (!(type in IDENTITY_RULES)) return undefined;
  const rest = key.slice(first + 1);
  if (IDENTITY_RULES[type].scope) {
    const second = rest.indexOf(':');
    if (second > 0) return { type, scope: rest.slice(0, second), value: rest.slice(second + 1) };
  }
  return rest ? { type, value: rest } : undefined;
}

/** `type` plus scope: limits are counted per slot. */
export function slotOf(id: Identifier): string {
  return id.scope ? `${id.type}:${id.scope}` : id.type;
}

/** Orders identifiers by priority, then by key, so every plan is built in the same order. */
export function compareIdentifiers(a: Identifier, b: Identifier): number {
  const p = IDENTITY_RULES[a.type].priority - IDENTITY_RULES[b.type].priority;
  if (p) return p;
  const ka = identifierKey(a);
  const kb = identifierKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

// ---------- blocked values ----------

/** Values senders use for "unknown"; compared lower-case after trimming. */
export const BLOCKED_VALUES: ReadonlySet<string> = new Set([
  '', '0', '-1', '-', 'null', 'undefined', 'nil', 'none', 'n/a', 'na', 'unknown', 'test', 'false', 'true', '[object object]',
]);

/** Phone numbers that appear in forms as placeholders or test data. */
export const BLOCKED_PHONES: ReadonlySet<string> = new Set([
  '13800138000', '12345678901', '12345678910', '11111111111', '13888888888', '13000000000', '13900000000', '18888888888', '19999999999',
]);

function allSameChar(s: string): boolean {
  return s.length > 1 && [...s].every((c) => c === s[0]);
}

/** Why a (normalised) value is a placeholder, or undefined when it may identify a person. */
export function blockedReason(type: IdentityType, value: string): string | undefined {
  const v = value.trim();
  if (BLOCKED_VALUES.has(v.toLowerCase())) return v ? `placeholder value "${v}"` : 'empty value';
  if (allSameChar(v)) return `placeholder value "${v}" (one repeated character)`;
  if (type === 'phone') {
    if (BLOCKED_PHONES.has(v)) return `test phone number ${v}`;
    // 138 0000 0000, 139 8888 8888: eight repeated digits after the prefix are typed-in fillers.
    if (/^\d{11}$/.test(v) && allSameChar(v.slice(3))) return `test phone number ${v}`;
  }
  return undefined;
}

// ---------- normalisation ----------

const PHONE_RE = /^1[3-9]\d{9}$/;
const OEM_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const WX_ID_RE = /^[A-Za-z0-9_-]{6,64}$/;

/**
 * A mainland mobile number as 11 digits: full-width digits folded, spaces, dashes, dots and
 * brackets removed, a +86 / 0086 / 86 country prefix dropped. Returns undefined when what is
 * left is not a mobile number.
 */
export function normalizePhone(raw: string): string | undefined {
  let s = raw.normalize('NFKC').replace(/[\s\-().]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  return PHONE_RE.test(s) ? s : undefined;
}

export type NormalizeResult =
  | { ok: true; identifier: Identifier }
  | { ok: false; kind: 'blocked' | 'invalid' | 'unscoped'; message: string };

/** Normalises one raw value; blocked placeholders are told apart from malformed values. */
export function normalizeIdentifier(type: IdentityType, raw: unknown, scope?: string): NormalizeResult {
  if (raw === null || raw === undefined) return { ok: false, kind: 'blocked', message: 'empty value' };
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, kind: 'invalid', message: 'must be a string' };
  const text = String(raw).normalize('NFKC').trim();
  const stripped = type === 'phone' ? text.replace(/[\s\-().]/g, '').replace(/^(\+86|0086)/, '') : text;
  const blocked = blockedReason(type, text) ?? blockedReason(type, stripped);
  if (blocked) return { ok: false, kind: 'blocked', message: blocked };
  let value: string | undefined;
  switch (type) {
    case 'phone':
      value = normalizePhone(text);
      if (!value) return { ok: false, kind: 'invalid', message: 'must be an 11-digit mainland mobile number' };
      break;
    case 'oemId':
      if (!OEM_ID_RE.test(text)) return { ok: false, kind: 'invalid', message: 'must be 1-64 letters, digits or _.:-' };
      value = text;
      break;
    default:
      if (!WX_ID_RE.test(text)) return { ok: false, kind: 'invalid', message: 'must be 6-64 letters, digits, _ or -' };
      value = text;
  }
  const again = blockedReason(type, value);
  if (again) return { ok: false, kind: 'blocked', message: again };
  if (IDENTITY_RULES[type].scope && scope === '') return { ok: false, kind: 'unscoped', message: 'scope must not be empty' };
  return { ok: true, identifier: scope ? { type, value, scope } : { type, value } };
}

export interface IdentitiesResult {
  /** Usable identifiers, highest priority first. */
  identifiers: Identifier[];
  /** Placeholders that were dropped (not an error: the rest of the record is still usable). */
  ignored: FieldIssue[];
  /** Malformed values (an error for a validator). */
  invalid: FieldIssue[];
}

/**
 * Turns the identities a record carries into scoped identifiers. `fieldPrefix` names the
 * fields in the issues, e.g. `identities.phone`.
 */
export function identifiersFrom(identities: Partial<Record<IdentityType, unknown>>, scopes: IdentityScopes = {}, fieldPrefix = 'identities'): IdentitiesResult {
  const out: IdentitiesResult = { identifiers: [], ignored: [], invalid: [] };
  for (const type of IDENTITY_TYPES) {
    if (!(type in identities)) continue;
    const raw = identities[type];
    if (raw === undefined) continue;
    const scopeKind = IDENTITY_RULES[type].scope;
    const scope = scopeKind === 'corp' ? scopes.corpId : scopeKind === 'app' ? scopes.appId : undefined;
    const r = normalizeIdentifier(type, raw, scope);
    const field = `${fieldPrefix}.${type}`;
    if (r.ok) out.identifiers.push(r.identifier);
    else if (r.kind === 'blocked') out.ignored.push({ field, message: r.message });
    else out.invalid.push({ field, message: r.message });
  }
  return out;
}

/** The one-value-per-type summary kept on the customer document (highest priority value wins). */
export function identitiesSummary(identifiers: readonly Identifier[], prefer: CustomerIdentities = {}): CustomerIdentities {
  const out: CustomerIdentities = {};
  for (const type of IDENTITY_TYPES) {
    const values = identifiers.filter((i) => i.type === type).map((i) => i.value);
    if (!values.length) continue;
    const preferred = prefer[type];
    out[type] = preferred !== undefined && values.includes(preferred) ? preferred : [...values].sort()[0];
  }
  return out;
}

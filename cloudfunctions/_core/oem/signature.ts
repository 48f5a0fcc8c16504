/**
 * HMAC-SHA256 signatures of the OEM link, the same both ways (docs/oem-api.md "Security"):
 *
 *   canonical = METHOD \n PATH \n CANONICAL_QUERY \n TIMESTAMP \n NONCE \n hex(sha256(body))
 *   X-Sidekick-Signature: v1=hex(hmac_sha256(secret, canonical))
 *
 * with `X-Sidekick-Timestamp` (epoch seconds) and `X-Sidekick-Nonce`. A request is accepted
 * only within five minutes of the receiver's clock and, by the caller, only once per nonce.
 * A response is signed over its status, the request's nonce and its own timestamp and body,
 * so an old response cannot be replayed as the answer to a new request. Pure: the time is
 * passed in, nonces are made by the caller.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_WINDOW_MS = 5 * 60_000;
/** Long enough that a nonce is remembered for as long as its timestamp is accepted, either side. */
export const NONCE_TTL_MS = 2 * SIGNATURE_WINDOW_MS;

export const HEADERS = {
  timestamp: 'x-sidekick-timestamp',
  nonce: 'x-sidekick-nonce',
  signature: 'x-sidekick-signature',
  dealer: 'x-sidekick-dealer',
} as const;

const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP_RE = /^\d{1,12}$/;
const SIGNATURE_RE = /^v1=([0-9a-f]{64})$/;

export const sha256Hex = (body: string | Buffer): string => createHash('sha256').update(body).digest('hex');

/** Query parameters sorted by name, each `encodeURIComponent`-ed: both sides build it from parsed values. */
export function canonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`)
    .join('&');
}

export interface RequestParts {
  method: string;
  path: string;
  query: Readonly<Record<string, string>>;
  body: string | Buffer;
}

export function canonicalRequest(r: RequestParts, timestampSec: string, nonce: string): string {
  return [r.method.toUpperCase(), r.path, canonicalQuery(r.query), timestampSec, nonce, sha256Hex(r.body)].join('\n');
}

export function canonicalResponse(status: number, requestNonce: string, timestampSec: string, body: string | Buffer): string {
  return ['RESPONSE', String(status), requestNonce, timestampSec, sha256Hex(body)].join('\n');
}

export const hmac = (secret: string, canonical: string): string => `v1=${createHmac('sha256', secret).update(canonical).digest('hex')}`;

/** The headers that sign a request sent at `now` with a fresh `nonce`. */
export function signRequest(r: RequestParts, secret: string, now: number, nonce: string): Record<string, string> {
  const ts = String(Math.floor(now / 1000));
  return { [HEADERS.timestamp]: ts, [HEADERS.nonce]: nonce, [HEADERS.signature]: hmac(secret, canonicalRequest(r, ts, nonce)) };
}

export function signResponse(status: number, requestNonce: string, body: string | Buffer, secret: string, now: number): Record<string, string> {
  const ts = String(Math.floor(now / 1000));
  return { [HEADERS.timestamp]: ts, [HEADERS.signature]: hmac(secret, canonicalResponse(status, requestNonce, ts, body)) };
}

export type VerifyFailure = 'unsigned' | 'malformed' | 'stale' | 'bad_signature';
export type VerifyResult = { ok: true; nonce: string; timestamp: number } | { ok: false; reason: VerifyFailure };

/** Header lookup whatever case the transport delivers names in. */
export function headerOf(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
}

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkStamp(headers: Readonly<Record<string, string | undefined>>, now: number): { ts: string; signature: string } | VerifyFailure {
  const ts = headerOf(headers, HEADERS.timestamp);
  const signature = headerOf(headers, HEADERS.signature);
  if (ts === undefined || signature === undefined) return 'unsigned';
  if (!TIMESTAMP_RE.test(ts) || !SIGNATURE_RE.test(signature)) return 'malformed';
  if (Math.abs(Number(ts) * 1000 - now) > SIGNATURE_WINDOW_MS) return 'stale';
  return { ts, signature };
}

/**
 * Checks a request's signature against any of `secrets` (several during a rotation). The
 * nonce is returned for the caller to remember: a second use of it is a replay.
 */
export function verifyRequest(r: RequestParts, headers: Readonly<Record<string, string | undefined>>, secrets: readonly string[], now: number): VerifyResult {
  const nonce = headerOf(headers, HEADERS.nonce);
  const stamp = checkStamp(headers, now);
  if (typeof stamp === 'string') return { ok: false, reason: stamp };
  if (nonce === undefined) return { ok: false, reason: 'unsigned' };
  if (!NONCE_RE.test(nonce)) return { ok: false, reason: 'malformed' };
  const canonical = canonicalRequest(r, stamp.ts, nonce);
  if (!secrets.some((s) => sameSignature(stamp.signature, hmac(s, canonical)))) return { ok: false, reason: 'bad_signature' };
  return { ok: true, nonce, timestamp: Number(stamp.ts) * 1000 };
}

/** Checks that a response answers the request sent with `requestNonce`, signed with one of `secrets`. */
export function verifyResponse(
  status: number,
  requestNonce: string,
  body: string | Buffer,
  headers: Readonly<Record<string, string | undefined>>,
  secrets: readonly string[],
  now: number,
): { ok: true } | { ok: false; reason: VerifyFailure } {
  const stamp = checkStamp(headers, now);
  if (typeof stamp === 'string') return { ok: false, reason: stamp };
  const canonical = canonicalResponse(status, requestNonce, stamp.ts, body);
  return secrets.some((s) => sameSignature(stamp.signature, hmac(s, canonical))) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

export const isNonce = (s: string): boolean => NONCE_RE.test(s);

/**
 * Stateless session tokens for the H5 sidebar, which reaches the functions through HTTP access
 * and so has no OPENID. A token is `<payload>.<mac>`: base64url JSON claims and their
 * HMAC-SHA256 keyed by SIDEKICK_SESSION_SECRET (set on every function; the emulator sets its
 * own). Parsing is strict: exactly two canonical base64url parts, nothing before or after, and
 * claims of exactly the expected shape. `ver` is the staff member's session version at issue,
 * so raising it (sign out everywhere) revokes every earlier token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from './errors';
import { sessionSecret } from './config';

const claimsSchema = z
  .object({
    /** Staff id, or customer id for the customer role. */
    sub: z.string().min(1).max(64),
    role: z.enum(['consultant', 'manager', 'customer']),
    storeId: z.string().min(1).max(64).optional(),
    /** Expiry, epoch ms. */
    exp: z.number().int().positive(),
    /** The staff member's sessionVersion when issued (0 for customers). */
    ver: z.number().int().nonnegative(),
  })
  .strict();

export type SessionClaims = z.infer<typeof claimsSchema>;

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A signed payload of claims is a few hundred characters; anything much longer is not ours. */
const MAX_TOKEN_LENGTH = 1024;
/** base64url of 32 bytes (HMAC-SHA256) without padding. */
const TOKEN_SHAPE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const sign = (payload: string) => createHmac('sha256', sessionSecret()).update(payload).digest('base64url');
/** Only the one encoding b64 produces is accepted (no padding, no stray low bits). */
const canonical = (part: string) => Buffer.from(part, 'base64url').toString('base64url') === part;

export function issueToken(claims: SessionClaims): string {
  const payload = b64(JSON.stringify(claimsSchema.parse(claims)));
  return `${payload}.${sign(payload)}`;
}

const malformed = () => new ApiError('UNAUTHENTICATED', 'malformed session token');

/** Returns the claims of a valid, unexpired token; throws UNAUTHENTICATED otherwise. */
export function verifyToken(token: string, now: number): SessionClaims {
  const shape = token.length <= MAX_TOKEN_LENGTH ? TOKEN_SHAPE.exec(token) : null;
  if (!shape) throw malformed();
  const [, payload, mac] = shape;
  if (!canonical(payload) || !canonical(mac)) throw malformed();
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ApiError('UNAUTHENTICATED', 'invalid session token');
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  const claims = claimsSchema.safeParse(json);
  if (!claims.success) throw malformed();
  if (claims.data.exp <= now) throw new ApiError('UNAUTHENTICATED', 'session expired');
  return claims.data;
}

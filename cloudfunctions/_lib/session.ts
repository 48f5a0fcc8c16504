/**
 * Stateless session tokens for the H5 sidebar, which reaches the functions through HTTP access
 * and so has no OPENID. HMAC-SHA256 over a small JSON claim set, keyed by SIDEKICK_SESSION_SECRET
 * (set on every function in the cloud console; the emulator sets its own).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../types/model';
import { ApiError } from './errors';

export interface SessionClaims {
  /** Staff id, or customer id for the customer role. */
  sub: string;
  role: Role;
  storeId?: string;
  /** Expiry, epoch ms. */
  exp: number;
}

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function secret(): string {
  const s = process.env.SIDEKICK_SESSION_SECRET;
  if (!s || s.length < 16) {
    throw new ApiError('INTERNAL', 'SIDEKICK_SESSION_SECRET is not configured (16+ characters)');
  }
  return s;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const sign = (payload: string) => createHmac('sha256', secret()).update(payload).digest('base64url');

export function issueToken(claims: SessionClaims): string {
  const payload = b64(JSON.stringify(claims));
  return `${payload}.${sign(payload)}`;
}

/** Returns the claims of a valid, unexpired token; throws UNAUTHENTICATED otherwise. */
export function verifyToken(token: string, now: number): SessionClaims {
  const [payload, mac] = token.split('.');
  if (!payload || !mac) throw new ApiError('UNAUTHENTICATED', 'malformed session token');
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ApiError('UNAUTHENTICATED', 'invalid session token');
  }
  let claims: SessionClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims;
  } catch {
    throw new ApiError('UNAUTHENTICATED', 'malformed session token');
  }
  if (typeof claims.exp !== 'number' || claims.exp <= now) {
    throw new ApiError('UNAUTHENTICATED', 'session expired');
  }
  return claims;
}

/**
 * Fixed-window rate limits kept in the database: functions are stateless and run as many
 * instances, so a counter in memory would limit nothing. One document per bucket and window;
 * taking a slot is one conditional update (`count < max` -> `count + 1`), and the first attempt
 * of a window creates the document: one or two round trips, no transaction.
 */
import { createHash } from 'node:crypto';
import { ApiError } from './errors';
import { rateLimitRepo } from './repo/rate-limits';

export interface RateRuleSpec {
  /** Part of the counter's id. */
  name: string;
  /** The environment variable that overrides the default, as `<max>/<seconds>`. */
  env: string;
  /** Reads it, spelled out so the deploy build can list the variable in cloudbaserc.json. */
  read: () => string | undefined;
  max: number;
  seconds: number;
}

/** The limits, with their defaults; each can be set per deployment (see README). */
export const RATE_RULES = {
  /** Sign-in attempts (WeCom OAuth, local demo) from one client IP. */
  signInPerIp: { name: 'signin-ip', env: 'SIDEKICK_RATE_SIGNIN_PER_IP', read: () => process.env.SIDEKICK_RATE_SIGNIN_PER_IP, max: 10, seconds: 60 },
  /** Sign-in attempts by one known caller (mini-program OPENID, or an existing session). */
  signInPerCaller: { name: 'signin-caller', env: 'SIDEKICK_RATE_SIGNIN_PER_CALLER', read: () => process.env.SIDEKICK_RATE_SIGNIN_PER_CALLER, max: 5, seconds: 60 },
  /** Attempts with one WeCom OAuth code (single use anyway: replays only cost WeCom calls). */
  oauthPerCode: { name: 'oauth-code', env: 'SIDEKICK_RATE_OAUTH_PER_CODE', read: () => process.env.SIDEKICK_RATE_OAUTH_PER_CODE, max: 3, seconds: 300 },
} as const satisfies Record<string, RateRuleSpec>;

export interface RateRule {
  name: string;
  max: number;
  windowMs: number;
}

const MAX_WINDOW_S = 24 * 60 * 60;

/** The rule in force: the default, or `<max>/<seconds>` from its variable (CONFIG when malformed). */
export function rateRule(spec: RateRuleSpec): RateRule {
  const raw = spec.read();
  if (raw === undefined || raw.trim() === '') return { name: spec.name, max: spec.max, windowMs: spec.seconds * 1000 };
  const m = /^(\d{1,6})\/(\d{1,5})$/.exec(raw.trim());
  const max = m ? Number(m[1]) : 0;
  const seconds = m ? Number(m[2]) : 0;
  if (!m || max < 1 || seconds < 1 || seconds > MAX_WINDOW_S) {
    throw new ApiError('CONFIG', `${spec.env}: expected <max attempts>/<window seconds> such as ${spec.max}/${spec.seconds} (window 1-${MAX_WINDOW_S} s), got "${raw}"`);
  }
  return { name: spec.name, max, windowMs: seconds * 1000 };
}

export interface Bucket {
  rule: RateRule;
  /** Who is counted, e.g. `ip:203.0.113.9`; stored hashed. */
  key: string;
}

/** Takes one slot; resolves to undefined when allowed, else the seconds until the window ends. */
async function take({ rule, key }: Bucket, now: number): Promise<number | undefined> {
  const window = Math.floor(now / rule.windowMs);
  const windowEndsAt = (window + 1) * rule.windowMs;
  const id = `${rule.name}:${window}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
  const bump = () => rateLimitRepo.bump(id, rule.max);
  if (await bump()) return undefined;
  if (await rateLimitRepo.open({ _id: id, count: 1, windowEndsAt })) return undefined;
  // Someone created this window first (a concurrent first attempt, or the window is full).
  if (await bump()) return undefined;
  return Math.max(1, Math.ceil((windowEndsAt - now) / 1000));
}

/**
 * Counts one attempt in every bucket (in parallel) and throws RATE_LIMITED, with the longest
 * wait, when any of them is full. Call it before the work the limit protects.
 */
export async function enforceRateLimits(buckets: Bucket[], now: number, what: string): Promise<void> {
  const waits = await Promise.all(buckets.map((b) => take(b, now)));
  const wait = Math.max(0, ...waits.map((w) => w ?? 0));
  if (wait > 0) {
    throw new ApiError('RATE_LIMITED', `too many ${what} attempts; try again in ${wait} s`, undefined, { retryAfterSeconds: wait });
  }
}

/** Removes the counters of windows that have closed (the auth function's timer). */
export async function sweepRateLimits(now: number): Promise<{ removed: number }> {
  return { removed: await rateLimitRepo.sweep(now) };
}

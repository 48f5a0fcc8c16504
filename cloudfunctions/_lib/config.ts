/**
 * The settings every function reads from its environment, checked when the function module
 * loads (its cold start) and again per call, so a misconfigured deployment answers every call
 * with CONFIG naming the variable instead of INTERNAL, and says so once in the function's log.
 */
import { ApiError } from './errors';
import { RATE_RULES, rateRule } from './rate-limit';

export const MIN_SESSION_SECRET_LENGTH = 32;
const SECRET_ENV = 'SIDEKICK_SESSION_SECRET';
const ORIGINS_ENV = 'SIDEKICK_ALLOWED_ORIGINS';

function secretProblem(): string | undefined {
  const s = process.env.SIDEKICK_SESSION_SECRET;
  if (!s) return `${SECRET_ENV} is not set: give every function the same random secret of ${MIN_SESSION_SECRET_LENGTH}+ characters`;
  if (s.length < MIN_SESSION_SECRET_LENGTH) return `${SECRET_ENV} is too short (${s.length} characters): use ${MIN_SESSION_SECRET_LENGTH}+ random characters`;
  return undefined;
}

/** The HMAC key of session tokens; CONFIG when missing or short. */
export function sessionSecret(): string {
  const problem = secretProblem();
  if (problem) throw new ApiError('CONFIG', problem);
  return process.env.SIDEKICK_SESSION_SECRET as string;
}

/**
 * Origins (besides the function's own host) whose pages may call it over HTTP access: the same
 * list as the environment's 安全域名, comma-separated, e.g. `https://sidebar.example.com`.
 */
export function allowedOrigins(): string[] {
  const raw = process.env.SIDEKICK_ALLOWED_ORIGINS ?? '';
  const list = raw.split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of list) {
    let canonical: string | undefined;
    try {
      canonical = new URL(o).origin;
    } catch {
      canonical = undefined;
    }
    if (canonical !== o) throw new ApiError('CONFIG', `${ORIGINS_ENV}: "${o}" is not an origin like https://app.example.com (scheme, host, optional port; no path)`);
  }
  return list;
}

/** The first thing wrong with this function's configuration, if any. */
export function configProblem(): string | undefined {
  const secret = secretProblem();
  if (secret) return secret;
  try {
    allowedOrigins();
    for (const rule of Object.values(RATE_RULES)) rateRule(rule);
  } catch (err) {
    if (err instanceof ApiError) return err.message;
    throw err;
  }
  return undefined;
}

/**
 * The key that signs customers' tracked links (`_core/links.ts`). The session secret serves:
 * the link's MAC is over `link:<sendId>`, which no session token ever signs, and every function
 * that checks a link (the invitation, tracking) has it already.
 */
export function linkSecret(): string {
  return sessionSecret();
}

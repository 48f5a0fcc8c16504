/**
 * The OEM link's configuration, from the function's environment (README "Deploying"):
 *
 * - SIDEKICK_OEM_API_BASE: the OEM's API root, e.g. https://cdp.oem.example.com (unset: no OEM
 *   link in this environment; the sync does nothing and says so);
 * - SIDEKICK_OEM_DEALER_ID: this dealer group's id at the OEM;
 * - SIDEKICK_OEM_SECRET: signs our requests to the OEM and checks its answers;
 * - SIDEKICK_OEM_WEBHOOK_SECRET: checks the OEM's webhook requests and signs our answers;
 * - SIDEKICK_OEM_TIMEOUT_MS: how long one OEM call may take (default 8000).
 *
 * Secrets may list several values, comma-separated, during a rotation: the first signs, any
 * verifies. Each at least 32 characters.
 */
import { ApiError } from '../errors';

export interface OemSettings {
  apiBase: string;
  dealerId: string;
  secrets: string[];
  webhookSecrets: string[];
  timeoutMs: number;
}

export const MIN_OEM_SECRET_LENGTH = 32;
const DEFAULT_TIMEOUT_MS = 8000;

function secretList(raw: string | undefined, name: string): string[] | string {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.length) return `${name} is not set`;
  const short = list.find((s) => s.length < MIN_OEM_SECRET_LENGTH);
  if (short !== undefined) return `${name}: each secret must have ${MIN_OEM_SECRET_LENGTH}+ characters`;
  return list;
}

/** The settings, undefined when this environment has no OEM link, or the problem with them. */
export function readOemSettings(): OemSettings | undefined | string {
  const apiBase = process.env.SIDEKICK_OEM_API_BASE?.trim();
  if (!apiBase) return undefined;
  try {
    const u = new URL(apiBase);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'SIDEKICK_OEM_API_BASE must be an http(s) URL';
  } catch {
    return 'SIDEKICK_OEM_API_BASE must be an http(s) URL';
  }
  const dealerId = process.env.SIDEKICK_OEM_DEALER_ID?.trim();
  if (!dealerId) return 'SIDEKICK_OEM_DEALER_ID is not set';
  const secrets = secretList(process.env.SIDEKICK_OEM_SECRET, 'SIDEKICK_OEM_SECRET');
  if (typeof secrets === 'string') return secrets;
  const webhookSecrets = secretList(process.env.SIDEKICK_OEM_WEBHOOK_SECRET, 'SIDEKICK_OEM_WEBHOOK_SECRET');
  if (typeof webhookSecrets === 'string') return webhookSecrets;
  const rawTimeout = process.env.SIDEKICK_OEM_TIMEOUT_MS;
  const timeoutMs = rawTimeout ? Number(rawTimeout) : DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) return 'SIDEKICK_OEM_TIMEOUT_MS must be whole milliseconds from 100 to 60000';
  return { apiBase: apiBase.replace(/\/+$/, ''), dealerId, secrets, webhookSecrets, timeoutMs };
}

/** The settings, or CONFIG naming what is wrong, or NOT_AVAILABLE when there is no OEM link. */
export function oemSettings(): OemSettings {
  const s = readOemSettings();
  if (s === undefined) throw new ApiError('NOT_AVAILABLE', 'the OEM link is not configured: set SIDEKICK_OEM_API_BASE and the SIDEKICK_OEM_* variables');
  if (typeof s === 'string') throw new ApiError('CONFIG', s);
  return s;
}

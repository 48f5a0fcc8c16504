import { TransportFailure, type CallRequest } from './transport-common';

export { TransportFailure, type CallRequest } from './transport-common';

/** A reply index.html asked for before the app loaded (config/early-calls.ts). */
interface EarlyCall {
  token: string;
  at: number;
  reply: Promise<string>;
}

/** Early replies are for the page being opened, not for a visit to the same customer much later. */
const EARLY_REPLY_MAX_AGE_MS = 30_000;

/** The early reply to exactly this call (same function, body and token), once. */
function takeEarlyReply(name: string, body: string, token: string | undefined): Promise<string> | undefined {
  const early = (window as { __skEarlyCalls?: Record<string, EarlyCall> }).__skEarlyCalls;
  const key = `${name} ${body}`;
  const hit = early?.[key];
  if (!early || !hit) return undefined;
  delete early[key];
  return hit.token === token && Date.now() - hit.at < EARLY_REPLY_MAX_AGE_MS ? hit.reply : undefined;
}

/**
 * H5 (the WeCom sidebar and the local demo): POST to the HTTP gateway in front of the functions.
 * The body is an ApiReply whatever the HTTP status, so the status is not interpreted here.
 */
export async function sendCall({ name, action, params, token }: CallRequest): Promise<unknown> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const body = JSON.stringify({ action, params });
  let text: string;
  try {
    text = await (takeEarlyReply(name, body, token) ?? fetch(`${SIDEKICK_API_BASE}/fn/${encodeURIComponent(name)}`, { method: 'POST', headers, body }).then((response) => response.text()));
  } catch (cause) {
    throw new TransportFailure(`POST /fn/${name} (${action}) failed: ${String(cause)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (a proxy's error page): hand it up as is; the client reports it as a bad reply.
    return text;
  }
}

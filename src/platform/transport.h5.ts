import { TransportFailure, type CallRequest } from './transport-common';

export { TransportFailure, type CallRequest } from './transport-common';

/**
 * H5 (the WeCom sidebar and the local demo): POST to the HTTP gateway in front of the functions.
 * The body is an ApiReply whatever the HTTP status, so the status is not interpreted here.
 */
export async function sendCall({ name, action, params, token }: CallRequest): Promise<unknown> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${SIDEKICK_API_BASE}/fn/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action, params }),
    });
    text = await response.text();
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

/**
 * The OEM's API as Sidekick calls it (docs/oem-api.md): the change feed and the upload of
 * store-side items. Every request is signed; every answer we act on must carry the OEM's
 * signature over our nonce. Failures come back as a `SyncError` code (never thrown), so the
 * sync can record and retry them: timeout, unreachable, server_error, refused, bad_signature,
 * bad_reply, cursor_reset.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { SyncError, SyncErrorCode } from '../../../types/model';
import { oemChangesPage, oemUploadReply } from '../../../types/schemas';
import { HEADERS, signRequest, verifyResponse } from '../../_core/oem/signature';
import { now as clockNow } from '../clock';
import type { OemSettings } from './settings';

export type OemResult<T> = { ok: true; value: T } | { ok: false; error: SyncError };

const fail = (code: SyncErrorCode, message: string): { ok: false; error: SyncError } => ({ ok: false, error: { code, message, at: clockNow() } });

interface Reply {
  status: number;
  text: string;
  headers: Record<string, string>;
  nonce: string;
}

async function signedCall(s: OemSettings, method: 'GET' | 'POST', path: string, query: Record<string, string>, body: string): Promise<Reply | { ok: false; error: SyncError }> {
  const url = new URL(`${s.apiBase}${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const nonce = randomBytes(18).toString('base64url');
  const signed = signRequest({ method, path: url.pathname, query, body }, s.secrets[0], clockNow(), nonce);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { ...signed, [HEADERS.dealer]: s.dealerId, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body } : {}),
      signal: AbortSignal.timeout(s.timeoutMs),
    });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return fail('timeout', `${method} ${path}: no answer within ${s.timeoutMs} ms`);
    return fail('unreachable', `${method} ${path}: ${(err as Error).message}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const name = (err as { name?: string }).name;
    return fail(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable', `${method} ${path}: the answer broke off`);
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, text, headers, nonce };
}

/** An answer we act on: signed over our nonce, JSON of the expected shape. */
function accepted<S extends z.ZodTypeAny>(s: OemSettings, r: Reply, schema: S, what: string): OemResult<z.output<S>> {
  const check = verifyResponse(r.status, r.nonce, r.text, r.headers, s.secrets, clockNow());
  if (!check.ok) return fail('bad_signature', `${what}: answer ${check.reason}`);
  let json: unknown;
  try {
    json = JSON.parse(r.text);
  } catch {
    return fail('bad_reply', `${what}: answer is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return fail('bad_reply', `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { ok: true, value: parsed.data as z.output<S> };
}

function statusFailure(r: Reply, what: string): { ok: false; error: SyncError } {
  if (r.status >= 500) return fail('server_error', `${what}: HTTP ${r.status}`);
  return fail('refused', `${what}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
}

export type ChangesPage = z.output<typeof oemChangesPage>;

/** One page of the change feed after `cursor` ('' = from the start). */
export async function pullChanges(s: OemSettings, cursor: string, limit: number): Promise<OemResult<ChangesPage>> {
  const r = await signedCall(s, 'GET', '/v1/changes', { cursor, limit: String(limit) }, '');
  if ('ok' in r) return r;
  // The OEM no longer knows this cursor: the feed must be read again from the start.
  if (r.status === 410) {
    const check = verifyResponse(r.status, r.nonce, r.text, r.headers, s.secrets, clockNow());
    return check.ok ? fail('cursor_reset', 'changes: the OEM expired our cursor') : fail('bad_signature', `changes: answer ${check.reason}`);
  }
  if (r.status !== 200) return statusFailure(r, 'changes');
  return accepted(s, r, oemChangesPage, 'changes');
}

export type UploadReply = z.output<typeof oemUploadReply>;

/** Sends store-side items; the OEM answers per item (accepted, duplicate, rejected). */
export async function uploadItems(s: OemSettings, items: readonly Record<string, unknown>[]): Promise<OemResult<UploadReply>> {
  const r = await signedCall(s, 'POST', '/v1/events', {}, JSON.stringify({ batch: items }));
  if ('ok' in r) return r;
  if (r.status !== 200) return statusFailure(r, 'upload');
  return accepted(s, r, oemUploadReply, 'upload');
}

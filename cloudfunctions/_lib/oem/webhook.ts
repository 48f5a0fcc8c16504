/**
 * The OEM's push (POST …/oemSync/webhook, docs/oem-api.md "Push"). Checked before anything is
 * written: the signature over method, path, query, timestamp, nonce and body hash with the
 * webhook secret, the five-minute window, then the nonce (its insert is the replay check).
 * Unsigned, tampered, stale or replayed: 401 and nothing written. Accepted changes go to the
 * inbox (a duplicate delivery is the same document) and are applied at once when no other
 * run is writing OEM changes; otherwise the running one picks them up.
 */
import { randomUUID } from 'node:crypto';
import type { InboxDoc } from '../../../types/model';
import { oemWebhookBody } from '../../../types/schemas';
import { NONCE_TTL_MS, signResponse, verifyRequest } from '../../_core/oem/signature';
import type { Skipped } from '../../_core/oem/mapping';
import type { RawRequest, RawResponse } from '../entry';
import { now as clockNow } from '../clock';
import { inboxRepo } from '../repo/oem-inbox';
import { nonceRepo } from '../repo/oem-nonces';
import { syncStateRepo } from '../repo/oem-sync-state';
import { applyOemChanges } from './apply';
import { LEASE_MS, parseChanges } from './sync';
import { readOemSettings } from './settings';

function json(status: number, value: unknown, sign?: { nonce: string; secret: string }): RawResponse {
  const body = JSON.stringify(value);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (sign) Object.assign(headers, signResponse(status, sign.nonce, body, sign.secret, clockNow()));
  return { status, headers, body };
}

export interface WebhookReply {
  received: number;
  duplicates: number;
  /** Whether they were applied before answering (else: by the run that holds the ingest lease). */
  applied: boolean;
  rejected: Skipped[];
}

export async function receiveWebhook(req: RawRequest, now: number): Promise<RawResponse> {
  const s = readOemSettings();
  if (s === undefined) return json(404, { error: 'not_configured' });
  if (typeof s === 'string') return json(500, { error: 'config', message: s });
  if (req.method !== 'POST') return { ...json(405, { error: 'method_not_allowed' }), headers: { allow: 'POST' } };
  const check = verifyRequest({ method: req.method, path: req.path, query: req.query, body: req.body }, req.headers, s.webhookSecrets, now);
  if (!check.ok) return json(401, { error: check.reason });
  if (!(await nonceRepo.claim(check.nonce, check.timestamp + NONCE_TTL_MS))) return json(401, { error: 'replayed' });
  const sign = { nonce: check.nonce, secret: s.webhookSecrets[0] };

  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    return json(400, { error: 'invalid_body', message: 'body must be JSON' }, sign);
  }
  const body = oemWebhookBody.safeParse(parsed);
  if (!body.success) return json(400, { error: 'invalid_body', message: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, sign);
  const { changes, skipped } = parseChanges(body.data.changes);
  const docs: InboxDoc[] = changes.map((c) => ({ _id: c.id, change: c as unknown as Record<string, unknown>, receivedAt: now }));
  const taken = await inboxRepo.add(docs);

  // Applied now when nobody else is writing OEM changes; the holder of the lease takes them otherwise.
  const holder = randomUUID();
  let applied = false;
  if (docs.length && (await syncStateRepo.acquire('ingest', holder, now, LEASE_MS))) {
    try {
      // Duplicates still in the inbox too: applying a change twice is a no-op.
      const stats = await applyOemChanges(changes, clockNow());
      await inboxRepo.remove(changes.map((c) => c.id));
      await syncStateRepo.succeeded('ingest', holder, stats.records, clockNow());
      skipped.push(...stats.skipped);
      applied = true;
    } finally {
      await syncStateRepo.release('ingest', holder);
    }
  }
  const reply: WebhookReply = { received: docs.length - taken.size, duplicates: taken.size, applied, rejected: skipped };
  return json(200, reply, sign);
}

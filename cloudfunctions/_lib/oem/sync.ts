/**
 * The `oemSync` timer's work, each part under its own lease (docs/decisions/0011-oem-sync.md):
 *
 * - ingest: first the changes the webhook received, then the change feed page by page from the
 *   durable cursor. A page is applied in full before the cursor moves past it (fenced by the
 *   lease holder and the cursor it read), so a crash replays at most one page, which is a no-op
 *   where it was written. A cursor the OEM expired starts the feed again from the beginning.
 * - upload: the outbox in each customer's order, a batch per request, with backoff and dead
 *   letters; consent is checked again right before sending.
 *
 * Runs stop within a time budget below the function's timeout and leave the rest to the next
 * run (the cursor and the queue are the progress).
 */
import { randomUUID } from 'node:crypto';
import { Collections, type CustomerDoc, type OutboxDoc, type SyncError } from '../../../types/model';
import { oemChange, type OemChange } from '../../../types/schemas';
import type { Skipped } from '../../_core/oem/mapping';
import { sharesWithOem } from '../../_core/oem/consent';
import { afterFailure, holdBack, sendable, UPLOAD_BATCH } from '../../_core/oem/outbox';
import { byIds } from '../cloud';
import { now as clockNow } from '../clock';
import { inboxRepo } from '../repo/oem-inbox';
import { nonceRepo } from '../repo/oem-nonces';
import { outboxRepo } from '../repo/oem-outbox';
import { syncStateRepo } from '../repo/oem-sync-state';
import { applyOemChanges } from './apply';
import { pullChanges, uploadItems } from './client';
import { readOemSettings, type OemSettings } from './settings';

/** Longer than the function's timeout (config.json: 60 s): a holder that lost its lease is surely gone. */
export const LEASE_MS = 90_000;
/** Work stops after this (monotonic time: a budget, not a time of day), well inside the timeout. */
const BUDGET_MS = 40_000;
/** Changes asked for per page. */
export const PAGE_LIMIT = 1000;
const INBOX_BATCH = 500;

export interface IngestReport {
  busy?: true;
  /** Store records applied (from the inbox and the feed). */
  records: number;
  created: number;
  pages: number;
  skipped: number;
  caughtUp: boolean;
  error?: SyncError;
}

export interface UploadReport {
  busy?: true;
  sent: number;
  failed: number;
  dead: number;
  withheld: number;
  error?: SyncError;
}

/** Parses each change on its own: one malformed change is set aside, the rest go on. */
export function parseChanges(raw: readonly unknown[]): { changes: OemChange[]; skipped: Skipped[] } {
  const changes: OemChange[] = [];
  const skipped: Skipped[] = [];
  raw.forEach((item, i) => {
    const r = oemChange.safeParse(item);
    if (r.success) changes.push(r.data);
    else {
      const id = typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : `#${i}`;
      skipped.push({ changeId: id, issues: r.error.issues.map((x) => ({ field: x.path.map(String).join('.') || '(change)', message: x.message })) });
    }
  });
  return { changes, skipped };
}

const elapsed = (started: number) => performance.now() - started;

const internal = (err: unknown): SyncError => ({ code: 'internal', message: err instanceof Error ? err.message : String(err), at: clockNow() });

/** Applies what the webhook received, oldest first, then removes it (until a read finds none: reads may be capped). */
async function drainInbox(holder: string, report: IngestReport, started: number): Promise<void> {
  while (elapsed(started) < BUDGET_MS) {
    const docs = await inboxRepo.oldest(INBOX_BATCH);
    if (!docs.length) return;
    const { changes, skipped } = parseChanges(docs.map((d) => d.change));
    const stats = await applyOemChanges(changes, clockNow());
    await inboxRepo.remove(docs.map((d) => d._id));
    await syncStateRepo.succeeded('ingest', holder, stats.records, clockNow());
    report.records += stats.records;
    report.created += stats.created;
    report.skipped += skipped.length + stats.skipped.length;
  }
}

/** One ingest run; `busy` when another run holds the lease. */
export async function ingestRun(s: OemSettings, now: number): Promise<IngestReport> {
  const report: IngestReport = { records: 0, created: 0, pages: 0, skipped: 0, caughtUp: false };
  const holder = randomUUID();
  const state = await syncStateRepo.acquire('ingest', holder, now, LEASE_MS);
  if (!state) return { ...report, busy: true };
  const started = performance.now();
  try {
    await drainInbox(holder, report, started);
    let cursor = state.cursor ?? '';
    // The next page is fetched while this one is written (read-only at the OEM, so safe to discard).
    let ahead: ReturnType<typeof pullChanges> | undefined;
    while (elapsed(started) < BUDGET_MS) {
      const page = await (ahead ?? pullChanges(s, cursor, PAGE_LIMIT));
      ahead = page.ok && page.value.hasMore ? pullChanges(s, page.value.nextCursor, PAGE_LIMIT) : undefined;
      if (!page.ok) {
        if (page.error.code === 'cursor_reset' && cursor !== '') {
          // The OEM forgot our place: read the feed again; every change already applied is a no-op.
          if (!(await syncStateRepo.advance(holder, cursor, '', 0, clockNow(), LEASE_MS))) break;
          cursor = '';
          ahead = undefined;
          continue;
        }
        report.error = page.error;
        await syncStateRepo.failed('ingest', holder, page.error);
        break;
      }
      const { changes, skipped } = parseChanges(page.value.changes);
      const stats = await applyOemChanges(changes, clockNow());
      report.pages++;
      report.records += stats.records;
      report.created += stats.created;
      report.skipped += skipped.length + stats.skipped.length;
      // The lease is gone (this run outlived it): someone else owns the feed now.
      if (!(await syncStateRepo.advance(holder, cursor, page.value.nextCursor, stats.records, clockNow(), LEASE_MS))) break;
      cursor = page.value.nextCursor;
      if (!page.value.hasMore) {
        report.caughtUp = true;
        break;
      }
    }
  } catch (err) {
    // The page stays unapplied and its cursor where it was: the next run tries it again.
    report.error = internal(err);
    // The database itself may be what failed: the lease runs out by itself then.
    await syncStateRepo.failed('ingest', holder, report.error).catch(() => undefined);
  } finally {
    await syncStateRepo.release('ingest', holder).catch(() => undefined);
  }
  return report;
}

type Consenting = Pick<CustomerDoc, '_id' | 'consent'>;

/** Marks a failed batch: entries with the same attempt count share their next state. */
async function recordFailure(entries: readonly OutboxDoc[], error: SyncError, now: number): Promise<number> {
  const byAttempts = new Map<number, string[]>();
  for (const e of entries) byAttempts.set(e.attempts, [...(byAttempts.get(e.attempts) ?? []), e._id]);
  let dead = 0;
  for (const [attempts, ids] of byAttempts) {
    const next = afterFailure({ attempts }, error, now, Math.random);
    await outboxRepo.markFailed(ids, next);
    if (next.status === 'dead') dead += ids.length;
  }
  return dead;
}

/** One upload run; `busy` when another run holds the lease. */
export async function uploadRun(s: OemSettings, now: number): Promise<UploadReport> {
  const report: UploadReport = { sent: 0, failed: 0, dead: 0, withheld: 0 };
  const holder = randomUUID();
  if (!(await syncStateRepo.acquire('upload', holder, now, LEASE_MS))) return { ...report, busy: true };
  const started = performance.now();
  try {
    await nonceRepo.sweep(now);
    while (elapsed(started) < BUDGET_MS) {
      const at = clockNow();
      const customers = await outboxRepo.dueCustomers(at, UPLOAD_BATCH);
      if (!customers.length) break;
      const [unsent, people] = await Promise.all([outboxRepo.unsentOf(customers), byIds<Consenting>(Collections.customers, customers, ['consent'])]);
      const held = holdBack(unsent, at);
      for (const h of held) await outboxRepo.hold(h.ids, h.nextAt);
      const ready = sendable(unsent, at, UPLOAD_BATCH);
      if (!ready.length) {
        if (held.length) continue;
        break;
      }
      // Consent is looked at again right before anything leaves: a withdrawal stops the flow at once.
      const sharing = new Set(people.filter((c) => sharesWithOem(c)).map((c) => c._id));
      const withheld = ready.filter((e) => e.kind === 'event' && !sharing.has(e.customerId));
      if (withheld.length) await outboxRepo.withhold(withheld.map((e) => e._id));
      report.withheld += withheld.length;
      const batch = ready.filter((e) => !withheld.includes(e));
      if (!batch.length) continue;
      // The customer's sequence lets the OEM see order and gaps; the dealer is the sender's.
      const items = batch.map((e) => ({ ...e.item, context: { ...(e.item.context as Record<string, unknown>), dealerId: s.dealerId, sequence: e.seq } }));
      const res = await uploadItems(s, items);
      if (!res.ok) {
        report.failed += batch.length;
        report.dead += await recordFailure(batch, res.error, clockNow());
        report.error = res.error;
        await syncStateRepo.failed('upload', holder, res.error);
        break;
      }
      const results = new Map(res.value.results.map((r) => [r.messageId, r]));
      const sent = batch.filter((e) => results.get(e._id)?.status === 'accepted' || results.get(e._id)?.status === 'duplicate');
      const rejected = batch.filter((e) => results.get(e._id)?.status === 'rejected');
      const unanswered = batch.filter((e) => !results.has(e._id));
      const doneAt = clockNow();
      await outboxRepo.markSent(sent.map((e) => e._id), doneAt);
      for (const e of rejected) {
        await outboxRepo.markDead([e._id], { code: 'rejected', message: results.get(e._id)?.reason ?? 'rejected by the OEM', at: doneAt }, e.attempts + 1);
      }
      if (unanswered.length) report.failed += unanswered.length;
      if (unanswered.length) report.dead += await recordFailure(unanswered, { code: 'bad_reply', message: 'upload: the OEM did not answer for some items', at: doneAt }, doneAt);
      report.sent += sent.length;
      report.dead += rejected.length;
      await syncStateRepo.succeeded('upload', holder, sent.length, doneAt);
    }
  } catch (err) {
    report.error = internal(err);
    await syncStateRepo.failed('upload', holder, report.error).catch(() => undefined);
  } finally {
    await syncStateRepo.release('upload', holder).catch(() => undefined);
  }
  return report;
}

export interface SyncReport {
  configured: boolean;
  ingest?: IngestReport;
  upload?: UploadReport;
}

/** The timer's job: changes in, then store-side facts out. Nothing to do where there is no OEM link. */
export async function syncRun(now: number): Promise<SyncReport> {
  const s = readOemSettings();
  if (s === undefined) return { configured: false };
  if (typeof s === 'string') throw new Error(`oemSync: configuration error: ${s}`);
  const ingest = await ingestRun(s, now);
  const upload = await uploadRun(s, clockNow());
  return { configured: true, ingest, upload };
}

/**
 * The transactional outbox's hook in the event pipeline: the entries for the events a
 * transaction applies are written by that same transaction, so "applied" and "queued for the
 * OEM" are one fact, and a crash can lose neither. Only where this environment has an OEM
 * link, and only for customers who consent to sharing with the OEM (`entriesForEvents`).
 */
import type { EventDoc, OutboxDoc } from '../../../types/model';
import { entriesForEvents } from '../../_core/oem/outbox';

type Seqd = Parameters<typeof entriesForEvents>[0];

export function outboxOnApply<C extends Seqd>(c: C, applied: readonly EventDoc[], now: number): { customer: C; entries: OutboxDoc[] } {
  if (!process.env.SIDEKICK_OEM_API_BASE || !applied.length) return { customer: c, entries: [] };
  return entriesForEvents(c, applied, now);
}

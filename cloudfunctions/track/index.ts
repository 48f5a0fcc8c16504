/**
 * track: store-side recording of Segment-style touchpoints. Each event of a batch is validated
 * on its own (a bad one is reported by index, the others go on), then `ingestEvents` checks
 * the caller's rights, resolves it with OneID within the caller's store, stores it once (its
 * messageId is its `_id`) and applies it to its customer. The `repair-pending` timer finishes
 * what a crash left.
 */
import type { TrackResult } from '../../types/api';
import { action, defineFunction } from '../_lib/entry';
import { invalidInput } from '../_lib/errors';
import { ingestEvents, repairPending } from '../_lib/ingest';
import { normalizeBatch } from '../_core/events';

export const main = defineFunction(
  'track',
  {
    ingest: action(['consultant', 'manager'], async ({ events }, { caller, now }): Promise<TrackResult> => {
      const batch = normalizeBatch(events, { receivedAt: now });
      if (!batch.ok) throw invalidInput(batch.issues);
      // Issue fields name the event's own fields (`properties.price`); `index` says which event.
      const indexOf = new Map<string, number>();
      events.forEach((raw, i) => {
        const id = (raw as { messageId?: unknown }).messageId;
        if (typeof id === 'string' && !indexOf.has(id)) indexOf.set(id, i);
      });
      const outcome = await ingestEvents(batch.valid, { role: caller.role, staffId: caller.staffId, storeId: caller.storeId }, now);
      const rejected: TrackResult['rejected'] = [...batch.invalid, ...outcome.rejected.map((r) => ({ index: indexOf.get(r.messageId) ?? -1, ...r }))];
      rejected.sort((a, b) => a.index - b.index);
      return { accepted: outcome.accepted, duplicates: [...batch.duplicates.map((d) => d.messageId), ...outcome.duplicates], rejected };
    }),
  },
  { timers: { 'repair-pending': (now) => repairPending(now) } },
);

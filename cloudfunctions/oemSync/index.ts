/**
 * oemSync: the two-way link with the OEM's platform (docs/oem-api.md,
 * docs/decisions/0011-oem-sync.md). The `sync` timer pulls the change feed and uploads the
 * outbox; `/webhook` receives the OEM's signed pushes; managers see their store's sync and
 * replay dead letters.
 */
import type { DeadLetterView, OemSyncStatus } from '../../types/api';
import type { EventDoc, OemSyncStateDoc, OutboxDoc } from '../../types/model';
import { pageOf } from '../_core/cursor';
import { chinaDayStart } from '../_core/events/day-buckets';
import { SYNC_ERROR_TEXT } from '../_core/oem/freshness';
import { action, defineFunction } from '../_lib/entry';
import { loadLookups } from '../_lib/lookups';
import { customerRepo, parseCursor } from '../_lib/repo/customers';
import { outboxRepo } from '../_lib/repo/oem-outbox';
import { syncStateRepo } from '../_lib/repo/oem-sync-state';
import { readOemSettings } from '../_lib/oem/settings';
import { syncRun } from '../_lib/oem/sync';
import { receiveWebhook } from '../_lib/oem/webhook';

const errorText = (s: OemSyncStateDoc | undefined) => (s?.lastError ? SYNC_ERROR_TEXT[s.lastError.code] : undefined);

/** What a dead letter was, in the manager's words: 门店记录：到店 40分钟, 授权变更：撤回与主机厂共享. */
function describe(e: OutboxDoc, describeEvent: (e: EventDoc) => string): string {
  const item = e.item as { event?: string; properties?: Record<string, string | number | boolean | null>; context?: { storeId?: string }; timestamp?: string };
  if (e.kind === 'consent') {
    const p = item.properties ?? {};
    const purpose = p.purpose === 'oem_sharing' ? '与主机厂共享' : p.purpose === 'contact' ? '联系' : '行为分析';
    return `授权变更：${p.granted ? '同意' : '撤回'}${purpose}`;
  }
  const at = item.timestamp ? Date.parse(item.timestamp) : e.createdAt;
  const asEvent = { _id: e._id, customerId: e.customerId, storeId: e.storeId, type: item.event, source: 'store', properties: item.properties ?? {}, originalTimestamp: at, sentAt: at, receivedAt: at, timestamp: at } as EventDoc;
  return `门店记录：${describeEvent(asEvent)}`;
}

export const main = defineFunction(
  'oemSync',
  {
    status: action(['manager'], async (_params, { caller, now }): Promise<OemSyncStatus> => {
      const settings = readOemSettings();
      const store = caller.storeId;
      const [states, queued, retrying, dead, withheld, sentToday, lastSent] = await Promise.all([
        syncStateRepo.getMany(['ingest', 'upload']),
        outboxRepo.countOf(store, 'pending'),
        outboxRepo.countRetrying(store),
        outboxRepo.countOf(store, 'dead'),
        outboxRepo.countOf(store, 'withheld'),
        outboxRepo.countSentSince(store, chinaDayStart(now)),
        outboxRepo.lastSent(store),
      ]);
      const ingest = states.find((s) => s._id === 'ingest');
      const upload = states.find((s) => s._id === 'upload');
      const pullError = errorText(ingest);
      const uploadError = errorText(upload);
      return {
        configured: settings !== undefined && typeof settings !== 'string',
        ...(ingest?.lastSuccessAt ? { lastPulledAt: ingest.lastSuccessAt } : {}),
        ...(pullError ? { pullError } : {}),
        queued,
        retrying,
        dead,
        withheld,
        sentToday,
        ...(lastSent[0]?.sentAt ? { lastUploadAt: lastSent[0].sentAt } : {}),
        ...(uploadError ? { uploadError } : {}),
      };
    }),

    deadLetters: action(['manager'], async ({ cursor, limit }, { caller, now }) => {
      const after = parseCursor(cursor);
      const [rows, lookups] = await Promise.all([outboxRepo.deadPage(caller.storeId, after, limit), loadLookups(now)]);
      const page = pageOf(rows, limit, (e) => ({ value: e.createdAt, id: e._id }));
      const names = await customerRepo.names(page.items.map((e) => e.customerId));
      const items: DeadLetterView[] = page.items.map((e) => ({
        id: e._id,
        customerId: e.customerId,
        customerName: names.get(e.customerId) ?? '客户',
        what: describe(e, lookups.describeEvent),
        attempts: e.attempts,
        error: e.lastError ? SYNC_ERROR_TEXT[e.lastError.code] : '多次发送失败',
        at: e.createdAt,
      }));
      return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    }),

    replay: action(['manager'], async ({ ids, all }, { caller, now }) => {
      const chosen = all ? await outboxRepo.deadIdsOf(caller.storeId) : (ids ?? []);
      // Only this store's dead letters move (the update is conditional on both).
      const queued = await outboxRepo.replay(chosen, caller.storeId, now);
      await outboxRepo.release(await outboxRepo.customersOf(chosen), now);
      return { queued };
    }),
  },
  {
    timers: { sync: (now) => syncRun(now) },
    raw: { '/webhook': (req, now) => receiveWebhook(req, now) },
  },
);

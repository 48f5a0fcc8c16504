/**
 * Bulk writes with their requests in flight together (bounded): in the cloud each request is
 * a round trip, and chunks of one collection do not depend on each other.
 */
import { inParallel } from '../_core/parallel';
import { db, _, insertAll } from './cloud';

/** Chunks a request carries: the SDK's `add` of an array, and the ids of one `_.in`. */
const INSERT_CHUNK = 200;
const ID_CHUNK = 500;
const CONCURRENCY = 4;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts documents with their own `_id`s, several chunks at once. Returns the ids that were
 * taken already, with their stored documents (see `insertAll`): for an insert-only writer a
 * taken id means "already done", or someone else's document to look at.
 */
export async function insertMany<T extends { _id: string }>(collection: string, docs: readonly T[]): Promise<Map<string, T>> {
  const taken = new Map<string, T>();
  await inParallel(chunks(docs, INSERT_CHUNK), CONCURRENCY, async (chunk) => {
    for (const [id, d] of await insertAll<T>(collection, chunk)) taken.set(id, d);
  });
  return taken;
}

/** Updates the documents with these ids (and matching `where`); returns how many changed. */
export async function updateByIds(collection: string, ids: readonly string[], data: object, where: object = {}): Promise<number> {
  let updated = 0;
  await inParallel(chunks([...new Set(ids)], ID_CHUNK), CONCURRENCY, async (chunk) => {
    const res = (await db.collection(collection).where({ ...where, _id: _.in(chunk) }).update({ data })) as { stats: { updated: number } };
    updated += res.stats.updated;
  });
  return updated;
}

export async function removeByIds(collection: string, ids: readonly string[]): Promise<void> {
  await inParallel(chunks([...new Set(ids)], ID_CHUNK), CONCURRENCY, async (chunk) => {
    await db.collection(collection).where({ _id: _.in(chunk) }).remove();
  });
}

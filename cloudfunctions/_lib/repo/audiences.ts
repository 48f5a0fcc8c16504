/**
 * Saved audiences (`audiences`), snapshot members (`audienceMembers`) and each store's counter
 * set (`audienceSpecs`). Every read names the store, so no call reaches another store's
 * audiences.
 */
import { Collections, type AudienceDoc, type AudienceMemberDoc, type AudienceSpecDoc } from '../../../types/model';
import { db, _, byIds, firstRow, insertMany, pagesOf, rows } from '../cloud';
import { inTransaction, txGet, txPut } from '../tx';

const audiences = () => db.collection(Collections.audiences);

/** A store never lists more saved audiences than this (the editor's list). */
const LIST_LIMIT = 200;

export const audienceRepo = {
  /** The audience if it belongs to the store (undefined for another store's id). */
  async get(storeId: string, id: string): Promise<AudienceDoc | undefined> {
    return firstRow<AudienceDoc>(audiences().where({ _id: id, storeId }));
  },

  /** The store's audiences, latest edit first (index `store_updated`). */
  list(storeId: string, status: AudienceDoc['status'] = 'active'): Promise<AudienceDoc[]> {
    return rows<AudienceDoc>(audiences().where({ storeId, status }).orderBy('updatedAt', 'desc').limit(LIST_LIMIT));
  },

  /** The rules of the store's active audiences (what its counter set must count). */
  active(storeId: string): Promise<AudienceDoc[]> {
    return rows<AudienceDoc>(audiences().where({ storeId, status: 'active' }).limit(LIST_LIMIT));
  },

  /**
   * Writes the audience if its stored version is still `expectedVersion` (0: a new one);
   * false when someone saved it in between (or the id is another store's).
   */
  async save(doc: AudienceDoc, expectedVersion: number): Promise<boolean> {
    return inTransaction(async (t) => {
      const current = await txGet<AudienceDoc>(t, Collections.audiences, doc._id);
      if ((current?.version ?? 0) !== expectedVersion) return false;
      if (current && current.storeId !== doc.storeId) return false;
      await txPut(t, Collections.audiences, doc);
      return true;
    }, 5);
  },

  async setCount(storeId: string, id: string, count: number, at: number): Promise<void> {
    await audiences().where({ _id: id, storeId }).update({ data: { count, countedAt: at } });
  },

  async archive(storeId: string, id: string, by: string, now: number): Promise<boolean> {
    const res = (await audiences().where({ _id: id, storeId, status: 'active' }).update({ data: { status: 'archived', updatedBy: by, updatedAt: now } })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },
};

export const audienceMemberRepo = {
  /** Freezes members (idempotent: a retried save writes the same ids). */
  insert: (audienceId: string, storeId: string, customerIds: readonly string[]) =>
    insertMany<AudienceMemberDoc>(
      Collections.audienceMembers,
      customerIds.map((customerId) => ({ _id: `${audienceId}:${customerId}`, audienceId, storeId, customerId })),
    ),

  /** A snapshot's members page by page (index `audience_pages`), whatever the read cap. */
  pages: (storeId: string, audienceId: string) => pagesOf<AudienceMemberDoc>(Collections.audienceMembers, { audienceId, storeId }, { fields: ['customerId'] }),
};

export const audienceSpecRepo = {
  get: (storeId: string) => firstRow<AudienceSpecDoc>(db.collection(Collections.audienceSpecs).where({ _id: storeId })),

  getMany: (storeIds: readonly string[]) => byIds<AudienceSpecDoc>(Collections.audienceSpecs, storeIds),

  /** Replaces the store's counter set with `next(current)` in a transaction; returns what was written. */
  update(storeId: string, next: (current: AudienceSpecDoc | undefined) => AudienceSpecDoc | undefined): Promise<AudienceSpecDoc | undefined> {
    return inTransaction(async (t) => {
      const current = await txGet<AudienceSpecDoc>(t, Collections.audienceSpecs, storeId);
      const doc = next(current);
      if (doc && doc !== current) await txPut(t, Collections.audienceSpecs, doc);
      return doc;
    }, 10);
  },

  /** Marks `sig` ready (every customer's features hold it), if it is still the store's set. */
  async markReady(storeId: string, sig: string, now: number): Promise<boolean> {
    const doc = await audienceSpecRepo.get(storeId);
    if (!doc || doc.sig !== sig) return false;
    const res = (await db
      .collection(Collections.audienceSpecs)
      .where({ _id: storeId, sig })
      .update({ data: { readySig: sig, readyMatches: _.set(doc.matches), updatedAt: now } })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },
};

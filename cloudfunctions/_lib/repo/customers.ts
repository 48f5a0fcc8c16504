import { Collections, type CustomerDoc } from '../../../types/model';
import { decodeCursor, type Cursor } from '../../_core/cursor';
import { ApiError } from '../errors';
import { db, _, firstRow, isDuplicateKey, rows } from '../cloud';

const customers = () => db.collection(Collections.customers);

/** Fields a lead card needs; listed explicitly so nothing else leaves the database. */
export const LEAD_FIELDS = [
  '_id',
  'name',
  'stage',
  'grade',
  'identities.phone',
  'vehiclesOfInterest',
  'lastTouch',
  'lastActivityAt',
  'ownerId',
] as const;

export type LeadRow = Pick<
  CustomerDoc,
  '_id' | 'name' | 'stage' | 'grade' | 'vehiclesOfInterest' | 'lastTouch' | 'lastActivityAt' | 'ownerId'
> & { identities: { phone?: string } };

const projection = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, true]));

export function parseCursor(raw: string | undefined, field = 'cursor'): Cursor | undefined {
  if (raw === undefined) return undefined;
  const c = decodeCursor(raw);
  if (!c) throw new ApiError('INVALID_INPUT', `${field}: not a cursor returned by a previous page`, [{ field, message: 'not a cursor returned by a previous page' }]);
  return c;
}

export const customerRepo = {
  get: (id: string) => firstRow<CustomerDoc>(customers().where({ _id: id })),

  getMany: <C extends CustomerDoc = CustomerDoc>(ids: string[]) =>
    ids.length ? rows<C>(customers().where({ _id: _.in(ids) }).limit(ids.length)) : Promise.resolve([] as C[]),

  /** Inserts a new customer; false when the id is taken (a concurrent create of the same person). */
  async insert(c: CustomerDoc): Promise<boolean> {
    try {
      await customers().add({ data: c });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  },

  /** Replaces the given top-level fields (objects and arrays whole, not merged key by key). */
  async setFields(id: string, fields: Partial<CustomerDoc> & Record<string, unknown>): Promise<void> {
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) data[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? _.set(v) : v;
    await customers().doc(id).update({ data });
  },

  getFields: <K extends keyof CustomerDoc>(id: string, fields: K[]) =>
    firstRow<Pick<CustomerDoc, K>>(customers().where({ _id: id }).field(projection(fields as string[]))),

  /** A page of leads, latest activity first, in the given scope (owner, store, or the store's pool). */
  leadsPage(scope: { ownerId?: string | 'pool'; storeId?: string }, cursor: Cursor | undefined, limit: number): Promise<LeadRow[]> {
    const where: Record<string, unknown> = { ...scope };
    if (scope.ownerId === 'pool') where.ownerId = _.exists(false);
    const conditions = cursor
      ? _.and([
          where,
          _.or([{ lastActivityAt: _.lt(cursor.value) }, { lastActivityAt: cursor.value, _id: _.lt(cursor.id) }]),
        ])
      : where;
    return rows<LeadRow>(
      customers()
      .where(conditions)
      .field(projection(LEAD_FIELDS))
      .orderBy('lastActivityAt', 'desc')
      .orderBy('_id', 'desc')
      .limit(limit + 1),
    );
  },

  async countOwned(ownerId: string, since?: number): Promise<number> {
    const where: Record<string, unknown> = { ownerId };
    if (since !== undefined) where.assignedAt = _.gte(since);
    const res = (await customers().where(where).count()) as { total: number };
    return res.total;
  },

  /**
   * Gives an unowned customer to a consultant. Conditional on the customer still being in the
   * pool, so of two simultaneous claims exactly one changes the document; false for the other.
   */
  async takeFromPool(id: string, ownerId: string, now: number): Promise<boolean> {
    const res = (await customers()
      .where({ _id: id, ownerId: _.exists(false) })
      .update({ data: { ownerId, assignedAt: now, updatedAt: now, recycledFrom: _.remove() } })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },
};

import { Collections, type IdentityType } from '../../../types/model';
import type { Cursor } from '../../_core/cursor';
import type { MergeRecord } from '../../_core/oneid';
import { db, _, olderThan, rows } from '../cloud';

const merges = () => db.collection(Collections.merges);

/** A stored OneID merge record: the domain record plus where and how it was found. */
export interface MergeDoc extends MergeRecord {
  /** The survivor's store when merged: a manager sees the merges of their store. */
  storeId: string;
  /** Identifier types that tied the customers (automatic merges: the ones the event carried). */
  tiedBy?: IdentityType[];
}

export const mergeRepo = {

  /** A page of the store's merge records, newest first. */
  page(storeId: string, cursor: Cursor | undefined, limit: number): Promise<MergeDoc[]> {
    const where = { storeId };
    const conditions = cursor ? _.and([where, olderThan('at', cursor)]) : where;
    return rows<MergeDoc>(merges().where(conditions).orderBy('at', 'desc').orderBy('_id', 'desc').limit(limit + 1));
  },
};

/** Each store's round-robin position for new leads (`allocationCursors`, `_id` = store id), written compare-and-set. */
import { Collections } from '../../../types/model';
import type { RoundRobinCursor } from '../../_core/allocation';
import { addOnce, byIds, db } from '../cloud';

type CursorDoc = Omit<RoundRobinCursor, 'storeId'> & { _id: string };

export const allocationCursorRepo = {
  async get(storeId: string): Promise<RoundRobinCursor | undefined> {
    const [doc] = await byIds<CursorDoc>(Collections.allocationCursors, [storeId]);
    return doc ? { storeId, seq: doc.seq, ...(doc.lastId ? { lastId: doc.lastId } : {}) } : undefined;
  },

  /** Writes the cursor if nobody moved it since `readSeq` was read (0: it did not exist). */
  async advance(storeId: string, readSeq: number, next: RoundRobinCursor): Promise<void> {
    if (next.seq === readSeq) return;
    const data = { seq: next.seq, ...(next.lastId ? { lastId: next.lastId } : {}) };
    if (readSeq === 0) await addOnce(Collections.allocationCursors, { _id: storeId, ...data });
    else await db.collection(Collections.allocationCursors).where({ _id: storeId, seq: readSeq }).update({ data });
  },
};

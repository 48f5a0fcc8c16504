/**
 * Changes the OEM pushed to the webhook (`oemInbox`, `_id` = change id, so a duplicate push is
 * one document), kept until the one ingest writer has applied them.
 */
import { Collections, type InboxDoc } from '../../../types/model';
import { db, insertMany, removeByIds, rows } from '../cloud';

export const inboxRepo = {
  add: (docs: readonly InboxDoc[]) => insertMany(Collections.oemInbox, docs),
  oldest: (limit: number) => rows<InboxDoc>(db.collection(Collections.oemInbox).orderBy('receivedAt', 'asc').orderBy('_id', 'asc').limit(limit)),
  remove: (ids: readonly string[]) => removeByIds(Collections.oemInbox, ids),
};

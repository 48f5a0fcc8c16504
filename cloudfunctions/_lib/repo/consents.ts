/** The consent ledger (`consents`): appended, never edited; ids make a repeated fact one entry. */
import { Collections, type ConsentDoc } from '../../../types/model';
import { db, insertMany, rows } from '../cloud';

export const consentRepo = {
  append: (docs: readonly ConsentDoc[]) => insertMany(Collections.consents, docs),
  /** A customer's ledger, newest first. */
  history: (customerId: string, limit: number) => rows<ConsentDoc>(db.collection(Collections.consents).where({ customerId }).orderBy('at', 'desc').orderBy('_id', 'desc').limit(limit)),
};

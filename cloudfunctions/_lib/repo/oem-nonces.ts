/**
 * Nonces of the OEM's signed requests already accepted (`oemNonces`, `_id` = the nonce): the
 * insert is the check, so of two deliveries of one signed request only the first is accepted.
 * Kept while their timestamp could still be accepted, then swept.
 */
import { Collections, type NonceDoc } from '../../../types/model';
import { addOnce, db, _ } from '../cloud';

export const nonceRepo = {
  /** False when the nonce was seen before (a replay). */
  claim: (nonce: string, expiresAt: number) => addOnce<NonceDoc>(Collections.oemNonces, { _id: nonce, expiresAt }),
  async sweep(now: number): Promise<void> {
    await db.collection(Collections.oemNonces).where({ expiresAt: _.lt(now) }).remove();
  },
};

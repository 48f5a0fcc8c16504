/**
 * Customers' places at store events (`registrations`, `_id` = activity/customer: one per
 * person). A place is taken on the activity's counter first (`activityRepo.reservePlace`),
 * then the registration flips to `registered` with one conditional write; the loser of a race
 * between two calls of the same person gives its place back.
 */
import { Collections, type RegistrationDoc } from '../../../types/model';
import { addOnce, byIds, db, _, rows } from '../cloud';

const registrations = () => db.collection(Collections.registrations);

async function updated(res: unknown): Promise<boolean> {
  return ((await res) as { stats: { updated: number } }).stats.updated > 0;
}

export const registrationRepo = {
  get: async (id: string) => (await byIds<RegistrationDoc>(Collections.registrations, [id]))[0],

  /** A person's registrations, newest first (a person has a few). */
  ofCustomer: (customerId: string) => rows<RegistrationDoc>(registrations().where({ customerId }).orderBy('at', 'desc').limit(50)),

  /**
   * Makes the registration `registered`: a new document, or a cancelled one taken up again.
   * False when another call of the same person got there first.
   */
  async take(doc: RegistrationDoc, before: RegistrationDoc | undefined): Promise<boolean> {
    if (!before) return addOnce(Collections.registrations, doc);
    if (before.status !== 'cancelled') return false;
    const { _id, ...data } = doc;
    return updated(registrations().where({ _id, status: 'cancelled' }).update({ data: { ...data, cancelledAt: _.remove() } }));
  },

  /** Cancels a registered place; false when it was not registered (already cancelled, or checked in). */
  cancel: (id: string, now: number) => updated(registrations().where({ _id: id, status: 'registered' }).update({ data: { status: 'cancelled', cancelledAt: now } })),
};

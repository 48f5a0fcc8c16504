import { Collections, type FrequencyCap, type StaffDoc, type StoreDoc } from '../../../types/model';
import { allOf, byIds, db, firstRow } from '../cloud';

const staff = () => db.collection(Collections.staff);
const stores = () => db.collection(Collections.stores);

export const staffRepo = {
  /** Sign out everywhere: every token issued before carries the old session version. */
  async revokeSessions(staffId: string): Promise<void> {
    await staff().doc(staffId).update({ data: { sessionVersion: db.command.inc(1) } });
  },
  get: (id: string) => firstRow<StaffDoc>(staff().where({ _id: id })),
  getMany: (ids: readonly string[]) => byIds<StaffDoc>(Collections.staff, ids),
  byOpenid: (openid: string) => firstRow<StaffDoc>(staff().where({ openid })),
  byWecomUserId: (wecomUserId: string) => firstRow<StaffDoc>(staff().where({ wecomUserId })),
  all: () => allOf<StaffDoc>(Collections.staff),
  /** The store's active consultants, by id (a stable order for the team list). */
  consultantsOf: (storeId: string) => allOf<StaffDoc>(Collections.staff, { storeId, role: 'consultant', active: true }),
};

export const storeRepo = {
  get: (id: string) => firstRow<StoreDoc>(stores().where({ _id: id })),
  all: () => allOf<StoreDoc>(Collections.stores),
  /** The store's marketing frequency cap (replaces the whole cap: a retry writes the same). */
  async setFrequencyCap(id: string, cap: FrequencyCap): Promise<void> {
    await stores().doc(id).update({ data: { frequencyCap: db.command.set({ touches: cap.touches, days: cap.days }) } });
  },
};

import { Collections, type StaffDoc, type StoreDoc } from '../../../types/model';
import { db, firstRow, rows } from '../cloud';

const staff = () => db.collection(Collections.staff);
const stores = () => db.collection(Collections.stores);

export const staffRepo = {
  get: (id: string) => firstRow<StaffDoc>(staff().where({ _id: id })),
  byOpenid: (openid: string) => firstRow<StaffDoc>(staff().where({ openid })),
  byWecomUserId: (wecomUserId: string) => firstRow<StaffDoc>(staff().where({ wecomUserId })),
  all: () => rows<StaffDoc>(staff().limit(1000)),
  /** The store's active consultants, by id (a stable order for the team list). */
  consultantsOf: (storeId: string) => rows<StaffDoc>(staff().where({ storeId, role: 'consultant', active: true }).orderBy('_id', 'asc').limit(1000)),
};

export const storeRepo = {
  get: (id: string) => firstRow<StoreDoc>(stores().where({ _id: id })),
  all: () => rows<StoreDoc>(stores().limit(100)),
};

import { Collections, type StaffDoc, type StoreDoc } from '../../../types/model';
import { db, firstRow, rows } from '../cloud';

const staff = () => db.collection(Collections.staff);
const stores = () => db.collection(Collections.stores);

export const staffRepo = {
  get: (id: string) => firstRow<StaffDoc>(staff().where({ _id: id })),
  byOpenid: (openid: string) => firstRow<StaffDoc>(staff().where({ openid })),
  byWecomUserId: (wecomUserId: string) => firstRow<StaffDoc>(staff().where({ wecomUserId })),
  all: () => rows<StaffDoc>(staff().limit(1000)),
};

export const storeRepo = {
  get: (id: string) => firstRow<StoreDoc>(stores().where({ _id: id })),
  all: () => rows<StoreDoc>(stores().limit(100)),
};

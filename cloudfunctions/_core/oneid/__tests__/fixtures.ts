import type { Identifier } from '../identifiers';
import type { OneIdCustomer } from '../customer';

export const T0 = Date.parse('2026-06-01T10:00:00+08:00');
export const DAY = 86_400_000;

export const phone = (value: string): Identifier => ({ type: 'phone', value });
export const oem = (value: string): Identifier => ({ type: 'oemId', value });
export const openid = (value: string, scope = 'app1'): Identifier => ({ type: 'openid', value, scope });
export const unionid = (value: string): Identifier => ({ type: 'unionid', value });
export const external = (value: string, scope = 'corp1'): Identifier => ({ type: 'externalUserId', value, scope });

export function customer(id: string, over: Partial<OneIdCustomer> = {}): OneIdCustomer {
  const identifiers = over.identifiers ?? [];
  const identities: OneIdCustomer['identities'] = {};
  for (const i of identifiers) identities[i.type] ??= i.value;
  return {
    _id: id,
    name: `客户${id}`,
    gender: 'unknown',
    city: '',
    identities,
    identifiers,
    mergedIds: [],
    storeId: 's1',
    stage: 'lead',
    sourceChannel: 'autohome',
    vehiclesOfInterest: [],
    vehiclesOwned: [],
    tags: [],
    storesVisited: [],
    createdAt: T0,
    updatedAt: T0,
    lastActivityAt: T0,
    ...over,
  };
}

/**
 * WeCom external contacts -> the caller's customers, in bulk: the identities of all contacts in
 * one read per chunk (`in`), then the lead cards of the customers they point to, restricted to
 * the caller's store in the query itself, following merged-away records to their survivors.
 * Only customers the caller may see come back; nothing else leaves this module.
 */
import { identityKey, identityRepo } from './repo/identities';
import { customerRepo, type ScopedLeadRow } from './repo/customers';
import { canSee } from './scope';
import { liveOf, MAX_MERGE_HOPS } from '../_core/oneid/customer';
import type { StaffCaller } from './caller';


/** external_userid -> the live customer behind it, for the contacts that are the caller's customers. */
export async function customersOfContacts(caller: StaffCaller, externalIds: readonly string[]): Promise<Map<string, ScopedLeadRow>> {
  // The caller's store's index only: another store's contacts in the group stay unknown.
  const owners = await identityRepo.owners(caller.storeId, externalIds.map((id) => identityKey('externalUserId', id)));
  const rows = new Map<string, ScopedLeadRow>();
  let pending = [...new Set(Object.values(owners))];
  for (let hop = 0; pending.length && hop <= MAX_MERGE_HOPS; hop++) {
    const found = await customerRepo.leadRowsIn(pending, caller.storeId);
    for (const r of found) rows.set(r._id, r);
    pending = [...new Set(found.flatMap((r) => (r.mergedInto && !rows.has(r.mergedInto) ? [r.mergedInto] : [])))];
  }

  const live = (customerId: string | undefined): ScopedLeadRow | undefined => {
    const c = customerId ? liveOf(customerId, (id) => rows.get(id)) : undefined;
    return c && canSee(caller, c) ? c : undefined;
  };
  const out = new Map<string, ScopedLeadRow>();
  for (const id of externalIds) {
    const c = live(owners[identityKey('externalUserId', id)]);
    if (c) out.set(id, c);
  }
  return out;
}

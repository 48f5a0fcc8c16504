/**
 * The consent ledger's rules. Entries are appended and never edited; a customer's current
 * consent per purpose is the latest entry by the time the customer gave or withdrew it (a
 * withdrawal wins a tie). Entries from the OEM and from the store meet here in any order and
 * give the same result. Only `oem_sharing` opens the way upstream.
 */
import type { ConsentChannel, ConsentDoc, ConsentPurpose, CurrentConsent, CurrentConsents, CustomerDoc } from '../../../types/model';

export type ConsentFact = Pick<ConsentDoc, 'purpose' | 'granted' | 'noticeVersion' | 'at' | 'channel'>;

/** The privacy notice the store's own flows refer to (the mini-program's will carry its own). */
export const STORE_NOTICE_VERSION = 'store-2025-01';

function newer(entry: ConsentFact, current: CurrentConsent | undefined): boolean {
  if (!current) return true;
  if (entry.at !== current.at) return entry.at > current.at;
  return current.granted && !entry.granted;
}

/** The current consents after one more ledger entry (unchanged when the entry is older). */
export function applyConsent(current: CurrentConsents | undefined, entry: ConsentFact): CurrentConsents {
  const had = current?.[entry.purpose];
  if (!newer(entry, had)) return current ?? {};
  const next: CurrentConsent = { granted: entry.granted, at: entry.at, noticeVersion: entry.noticeVersion, channel: entry.channel };
  return { ...current, [entry.purpose]: next };
}

/** Whether the customer's store-side facts may go to the OEM now. */
export function sharesWithOem(c: Pick<CustomerDoc, 'consent'>): boolean {
  return c.consent?.oem_sharing?.granted === true;
}

/**
 * The ledger id of an entry: the same fact recorded twice (a retried sync page, a double tap)
 * is one entry.
 */
export function consentEntryId(customerId: string, purpose: ConsentPurpose, granted: boolean, at: number, channel: ConsentChannel): string {
  return `${customerId}/${purpose}/${granted ? 'grant' : 'withdraw'}/${at}/${channel}`;
}

export function consentDoc(customerId: string, storeId: string, fact: ConsentFact, recordedBy: string, recordedAt: number): ConsentDoc {
  return { _id: consentEntryId(customerId, fact.purpose, fact.granted, fact.at, fact.channel), customerId, storeId, ...fact, recordedBy, recordedAt };
}

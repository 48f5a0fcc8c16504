/**
 * Consent changes recorded in the store (the customer tells staff, or later the mini-program
 * asks them): one transaction appends the ledger entry, updates the customer's current consent
 * and, where the OEM must hear of it, queues the change upstream. A withdrawal of sharing with
 * the OEM then withholds everything of the customer not yet sent.
 */
import { Collections, type ConsentDoc, type CurrentConsent, type StoredCustomer } from '../../types/model';
import { applyConsent, consentDoc, sharesWithOem, type ConsentFact } from '../_core/oem/consent';
import { entryForConsent } from '../_core/oem/outbox';
import { outboxRepo } from './repo/oem-outbox';
import { inTransaction, txGet, txPut } from './tx';
import { noSuchCustomer } from './scope';

export interface ConsentOutcome {
  current: CurrentConsent;
  /** False when the customer's consent already said so (nothing written). */
  changed: boolean;
}

export async function recordConsent(customerId: string, fact: ConsentFact, recordedBy: string, now: number): Promise<ConsentOutcome> {
  const outcome = await inTransaction(async (t) => {
    const c = await txGet<StoredCustomer>(t, Collections.customers, customerId);
    if (!c) throw noSuchCustomer();
    const consent = applyConsent(c.consent, fact);
    const current = consent[fact.purpose]!;
    // Already so (a second tap, an older fact): the ledger records changes, not repetitions.
    if (consent === c.consent || c.consent?.[fact.purpose]?.granted === fact.granted) {
      return { current: c.consent?.[fact.purpose] ?? current, changed: false, withdrewSharing: false };
    }
    const entry: ConsentDoc = consentDoc(customerId, c.storeId, fact, recordedBy, now);
    let next: StoredCustomer = { ...c, consent, updatedAt: now };
    const withdrewSharing = fact.purpose === 'oem_sharing' && !fact.granted && sharesWithOem(c);
    // The OEM hears of consent changes of customers it may know about, and always of a withdrawal of sharing.
    const tellOem = !!process.env.SIDEKICK_OEM_API_BASE && (sharesWithOem(next) || withdrewSharing);
    const writes: Promise<void>[] = [txPut(t, Collections.consents, entry)];
    if (tellOem) {
      const queued = entryForConsent(next, entry, now);
      next = queued.customer;
      writes.push(txPut(t, Collections.oemOutbox, queued.entry));
    }
    writes.push(txPut(t, Collections.customers, next));
    await Promise.all(writes);
    return { current, changed: true, withdrewSharing };
  }, 20);
  // Nothing of this customer goes up any more, at once; the uploader checks consent again before sending.
  if (outcome.withdrewSharing) await outboxRepo.withholdCustomers([customerId]);
  return { current: outcome.current, changed: outcome.changed };
}

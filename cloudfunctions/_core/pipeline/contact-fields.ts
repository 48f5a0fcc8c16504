/**
 * Customer fields the pipeline keeps beside the scoring ones: the phone tail for 尾号 search,
 * the first contact after the current assignment (first-contact SLA) and the owner's latest
 * follow-up (recycling to the pool).
 */
import type { CustomerDoc, EventDoc } from '../../../types/model';
import { isFirstContact } from '../allocation/sla';

export type ContactFields = Pick<CustomerDoc, 'phoneTail' | 'firstContactAt' | 'lastFollowUpAt'>;

export function phoneTailOf(c: Pick<CustomerDoc, 'identities'>): string | undefined {
  const phone = c.identities.phone;
  return phone && phone.length >= 4 ? phone.slice(-4) : undefined;
}

/** A consultant's note is a record, not a contact with the customer. */
const isNote = (e: Pick<EventDoc, 'properties'>) => e.properties.followUp === 'note';

/** The contact fields of `c` after `e` (events may arrive in any order). */
export function applyContactEvent<C extends CustomerDoc>(c: C, e: Pick<EventDoc, 'type' | 'properties' | 'timestamp' | 'staffId'>): C {
  const next: C = { ...c };
  if (c.ownerId && c.assignedAt !== undefined && e.timestamp >= c.assignedAt && isFirstContact(e) && !isNote(e)) {
    const current = c.firstContactAt;
    if (current === undefined || current < c.assignedAt || e.timestamp < current) next.firstContactAt = e.timestamp;
  }
  if (c.ownerId && e.staffId === c.ownerId) next.lastFollowUpAt = Math.max(c.lastFollowUpAt ?? e.timestamp, e.timestamp);
  const tail = phoneTailOf(c);
  if (tail) next.phoneTail = tail;
  else delete next.phoneTail;
  return next;
}

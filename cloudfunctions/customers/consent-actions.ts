/**
 * Consent a customer withdrew in front of staff (by phone, in the store). Staff record only
 * withdrawals: a grant is the customer's own act, in the mini-program or on the OEM's side.
 */
import type { ActionTable } from '../_lib/entry';
import { action } from '../_lib/entry';
import { recordConsent } from '../_lib/consent';
import { customerInScope } from '../_lib/scope';
import { STORE_NOTICE_VERSION } from '../_core/oem/consent';

export const consentActions: Pick<ActionTable<'customers'>, 'withdrawConsent'> = {
  withdrawConsent: action(['consultant', 'manager'], async ({ customerId, purpose }, { caller, now }) => {
    const c = await customerInScope(caller, customerId);
    const noticeVersion = c.consent?.[purpose]?.noticeVersion ?? STORE_NOTICE_VERSION;
    const r = await recordConsent(c._id, { purpose, granted: false, noticeVersion, at: now, channel: 'store' }, caller.staffId, now);
    return { purpose, granted: r.current.granted, at: r.current.at, changed: r.changed };
  }),
};

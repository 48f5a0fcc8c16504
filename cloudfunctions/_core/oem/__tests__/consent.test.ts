import { applyConsent, consentEntryId, sharesWithOem, type ConsentFact } from '../consent';

const fact = (granted: boolean, at: number, channel: ConsentFact['channel'] = 'oem'): ConsentFact => ({ purpose: 'oem_sharing', granted, noticeVersion: 'v1', at, channel });

test('the latest fact by the customer\'s own time wins, whatever order the facts arrive in', () => {
  const facts = [fact(true, 100), fact(false, 300, 'store'), fact(true, 200)];
  const orders = [facts, [...facts].reverse(), [facts[1], facts[0], facts[2]]];
  for (const order of orders) {
    const current = order.reduce((c, f) => applyConsent(c, f), {} as ReturnType<typeof applyConsent>);
    expect(current.oem_sharing).toEqual({ granted: false, at: 300, noticeVersion: 'v1', channel: 'store' });
    expect(sharesWithOem({ consent: current })).toBe(false);
  }
});

test('a withdrawal wins a tie; an older fact changes nothing (same object)', () => {
  const granted = applyConsent(undefined, fact(true, 100));
  expect(applyConsent(granted, fact(false, 100)).oem_sharing?.granted).toBe(false);
  expect(applyConsent(granted, fact(false, 50))).toBe(granted);
  expect(sharesWithOem({ consent: granted })).toBe(true);
  expect(sharesWithOem({})).toBe(false);
});

test('purposes are separate', () => {
  const c = applyConsent(applyConsent(undefined, fact(true, 100)), { ...fact(false, 200), purpose: 'tracking' });
  expect(c.oem_sharing?.granted).toBe(true);
  expect(c.tracking?.granted).toBe(false);
});

test('the same fact recorded twice is one ledger entry', () => {
  expect(consentEntryId('c1', 'oem_sharing', false, 1, 'store')).toBe(consentEntryId('c1', 'oem_sharing', false, 1, 'store'));
  expect(consentEntryId('c1', 'oem_sharing', false, 1, 'store')).not.toBe(consentEntryId('c1', 'oem_sharing', true, 1, 'store'));
});

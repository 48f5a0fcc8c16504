import type { CustomerDoc } from '../../../../types/model';
import { oemChange, type OemChangeInput } from '../../../../types/schemas';
import { newCustomer } from '../../oneid/customer';
import { oemEventId, oemLeadEventId, toRecords, type OemRecord } from '../mapping';
import { applyOemRecord, inChangeOrder, visibleOtherStores } from '../ownership';

const T = Date.parse('2025-03-17T10:00:00+08:00');
const STORES = new Set(['s1', 's2']);
const parse = (c: OemChangeInput) => oemChange.parse(c);
const lead = (over: Partial<{ at: number; storeId: string; name: string }> = {}): OemChangeInput => ({
  id: `chg-lead-${over.at ?? T}`,
  type: 'lead',
  oemId: 'LS001',
  storeId: over.storeId ?? 's1',
  changedAt: over.at ?? T,
  data: { name: over.name ?? '王子涵', gender: 'male', city: '上海', phone: '139 1234 5678', campaign: { id: 'cmp-1', name: '春季SUV试驾季', channel: 'autohome' }, modelId: 'lanyue', firstContactDueAt: (over.at ?? T) + 4 * 3600_000, consents: [{ purpose: 'oem_sharing', granted: true, noticeVersion: 'v1', at: T - 1000 }] },
});
const customer = (): CustomerDoc => ({ ...newCustomer({ id: 'c1', identifiers: [{ type: 'oemId', value: 'LS001' }], storeId: 's1', sourceChannel: 'app', now: T, source: 'oem' }), oem: { created: true } });

describe('mapping', () => {
  it('maps a lead to one record of its store with identifiers, the lead, consent and its form event, deterministically', () => {
    const { records, skipped } = toRecords({ changes: [parse(lead())], stores: STORES, linked: new Map() });
    expect(skipped).toEqual([]);
    expect(records).toHaveLength(1);
    const [r] = records;
    expect(r.identifiers).toEqual([{ type: 'oemId', value: 'LS001' }, { type: 'phone', value: '13912345678' }]);
    expect(r.lead).toMatchObject({ campaignName: '春季SUV试驾季', channel: 'autohome', firstContactDueAt: T + 4 * 3600_000, modelId: 'lanyue' });
    expect(r.event).toMatchObject({ _id: oemLeadEventId(`chg-lead-${T}`), type: 'form_submit', source: 'autohome', timestamp: T, receivedAt: T });
    expect(toRecords({ changes: [parse(lead())], stores: STORES, linked: new Map() }).records).toEqual(records);
  });

  it('fans a change without a store out to every store that knows the OEM id, and drops one nobody knows', () => {
    const tags = parse({ id: 'chg-tags', type: 'tags', oemId: 'LS001', changedAt: T, data: { tags: ['power-level-high'] } });
    const out = toRecords({ changes: [tags], stores: STORES, linked: new Map([['LS001', ['s2', 's1']]]) });
    expect(out.records.map((r) => r.key)).toEqual(['chg-tags@s1', 'chg-tags@s2']);
    expect(toRecords({ changes: [tags], stores: STORES, linked: new Map() }).records).toEqual([]);
  });

  it('sets aside a change for another dealer\'s store, a malformed phone and an event the store rules refuse', () => {
    const other = parse(lead({ storeId: 'elsewhere' }));
    const badPhone = parse({ ...lead(), id: 'chg-bad-phone', data: { ...(lead() as { data: object }).data, phone: '12345' } } as OemChangeInput);
    const badEvent = parse({ id: 'chg-evt', type: 'event', oemId: 'LS001', storeId: 's1', changedAt: T, data: { messageId: 'm1', event: 'content_view', channel: 'app', properties: {}, originalTimestamp: T } });
    const { records, skipped } = toRecords({ changes: [other, badPhone, badEvent], stores: STORES, linked: new Map() });
    expect(records).toEqual([]);
    expect(skipped.map((s) => [s.changeId, s.issues[0].field])).toEqual([
      [other.id, 'storeId'],
      ['chg-bad-phone', 'data.phone'],
      ['chg-evt', expect.stringMatching(/^data\.properties\./)],
    ]);
    expect(oemEventId('m1')).toBe('oem:m1');
  });
});

describe('ownership', () => {
  const recordsOf = (...changes: OemChangeInput[]): OemRecord[] => toRecords({ changes: changes.map(parse), stores: STORES, linked: new Map([['LS001', ['s1']]]) }).records;

  it('takes the OEM\'s profile, lead, tags and consent; a replay of the same record changes nothing', () => {
    const [r] = recordsOf(lead());
    const once = applyOemRecord(customer(), r);
    expect(once).toMatchObject({ name: '王子涵', gender: 'male', city: '上海', sourceChannel: 'autohome', consent: { oem_sharing: { granted: true } } });
    expect(once.oem?.lead?.campaignName).toBe('春季SUV试驾季');
    expect(applyOemRecord(once, r)).toBe(once);
  });

  it('ends the same whatever order the changes arrive in: later OEM changes win per field', () => {
    const changes = recordsOf(
      lead({ at: T }),
      { id: 'p1', type: 'profile', oemId: 'LS001', changedAt: T + 1000, data: { city: '苏州' } },
      { id: 'p2', type: 'profile', oemId: 'LS001', changedAt: T + 2000, data: { city: '杭州', name: '王浩然' } },
      { id: 't1', type: 'tags', oemId: 'LS001', changedAt: T + 3000, data: { tags: ['power-level-high', 'no-such-tag'] } },
      { id: 't0', type: 'tags', oemId: 'LS001', changedAt: T + 500, data: { tags: ['power-level-low'] } },
    );
    const forward = changes.reduce((c, r) => applyOemRecord(c, r), customer());
    const backward = [...changes].reverse().reduce((c, r) => applyOemRecord(c, r), customer());
    expect(backward).toEqual(forward);
    expect(forward).toMatchObject({ city: '杭州', name: '王浩然', sourceChannel: 'autohome' });
    expect(forward.tags.filter((t) => t.source === 'oem').map((t) => t.tagId)).toEqual(['power-level-high']);
    expect(inChangeOrder(changes).map((r) => r.changeId)).toEqual([`chg-lead-${T}`, 't0', 'p1', 'p2', 't1']);
  });

  it('never touches store-owned fields', () => {
    const stored = { ...customer(), ownerId: 'zhangwei', grade: 'H' as const, stage: 'prospect' as const, tags: [{ tagId: 'intent-level-high', path: ['intent', 'intent-level'], source: 'consultant' as const, assignedAt: T }] };
    const after = recordsOf(lead(), { id: 't1', type: 'tags', oemId: 'LS001', changedAt: T + 3000, data: { tags: ['power-level-high'] } }).reduce((c, r) => applyOemRecord(c, r), stored);
    expect(after).toMatchObject({ ownerId: 'zhangwei', grade: 'H', stage: 'prospect' });
    expect(after.tags.map((t) => [t.tagId, t.source])).toEqual([
      ['intent-level-high', 'consultant'],
      ['power-level-high', 'oem'],
    ]);
  });

  it('shows other stores\' visits only while the customer consents to sharing', () => {
    const [person] = recordsOf({ id: 'v1', type: 'person', oemId: 'LS001', changedAt: T, data: { stores: [{ storeId: 's2', visits: 2, lastVisitAt: T }, { storeId: 's1', visits: 1, lastVisitAt: T }] } });
    const withConsent = applyOemRecord(applyOemRecord(customer(), recordsOf(lead())[0]), person);
    expect(visibleOtherStores(withConsent)).toEqual([{ storeId: 's2', visits: 2, lastAt: T }]);
    const withdrawn = applyOemRecord(withConsent, recordsOf({ id: 'w', type: 'consent', oemId: 'LS001', changedAt: T + 10, data: { purpose: 'oem_sharing', granted: false, noticeVersion: 'v1', at: T + 10 } })[0]);
    expect(visibleOtherStores(withdrawn)).toEqual([]);
  });
});

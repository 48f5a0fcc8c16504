import { identifierKey, type Identifier } from '../identifiers';
import { planBatch, type BatchCustomer } from '../batch';
import { customer, oem, phone, T0 } from './fixtures';

const owners = (entries: [Identifier, string][]) => Object.fromEntries(entries.map(([i, id]) => [identifierKey(i), id]));
const asBatch = (...cs: ReturnType<typeof customer>[]) => cs as unknown as BatchCustomer[];

describe('planBatch', () => {
  it('leaves the customers it is given as they were: callers compare them with what they write', () => {
    const c1 = customer('c1', { identifiers: [oem('OEM1')] });
    const given = structuredClone(c1);
    const plan = planBatch({ storeId: 's1', records: [{ id: 'lead', identifiers: [oem('OEM1'), phone('13900000001')] }], owners: owners([[oem('OEM1'), 'c1']]), customers: asBatch(c1), now: T0 });
    expect(plan.attach.get('c1')).toEqual([phone('13900000001')]);
    expect(c1).toEqual(given);
  });
});

describe('planBatch after a crash', () => {
  it('gives a customer the identifiers its claims hold when a crash cut its attach short', () => {
    // An earlier run claimed the phone for c1 in the index, then died before writing it on c1.
    const c1 = customer('c1', { identifiers: [oem('OEM1')] });
    const plan = planBatch({
      storeId: 's1',
      records: [{ id: 'lead', identifiers: [oem('OEM1'), phone('13900000001')] }],
      owners: owners([[oem('OEM1'), 'c1'], [phone('13900000001'), 'c1']]),
      customers: asBatch(c1),
      now: T0,
    });
    expect(plan.decisions.get('lead')).toEqual({ kind: 'customer', customerId: 'c1', conflicts: [] });
    expect(plan.attach.get('c1')).toEqual([phone('13900000001')]);
    // The claim is there already: nothing to insert again.
    expect(plan.claims).toEqual([]);
  });

  it('repairs no identifier past its limit', () => {
    // Old data: the index gives c1 a second phone, and its document already holds one.
    const c1 = customer('c1', { identifiers: [oem('OEM1'), phone('13900000001')] });
    const plan = planBatch({
      storeId: 's1',
      records: [{ id: 'r', identifiers: [oem('OEM1'), phone('13900000002')] }],
      owners: owners([[oem('OEM1'), 'c1'], [phone('13900000002'), 'c1']]),
      customers: asBatch(c1),
      now: T0,
    });
    expect(plan.decisions.get('r')).toMatchObject({ kind: 'customer', customerId: 'c1' });
    expect(plan.attach.get('c1')).toBeUndefined();
  });

  it('makes an unborn customer again with every identifier the index gives it', () => {
    const plan = planBatch({
      storeId: 's1',
      records: [{ id: 'event', identifiers: [oem('OEM9')] }],
      owners: owners([[oem('OEM9'), 'c9'], [phone('13900000009'), 'c9']]),
      customers: [],
      now: T0,
    });
    expect(plan.creates.get('c9')?.identifiers).toEqual(expect.arrayContaining([oem('OEM9'), phone('13900000009')]));
    expect(plan.claims).toEqual([]);
  });
});

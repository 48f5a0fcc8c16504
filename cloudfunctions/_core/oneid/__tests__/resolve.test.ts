import { identifierKey, IDENTITY_RULES, type Identifier } from '../identifiers';
import { attachIdentifiers, newCustomer, type OneIdCustomer } from '../customer';
import { mergeCustomers } from '../merge';
import { chooseSurvivor, missingCandidates, newCustomerId, resolve, type ResolvePlan } from '../resolve';
import { customer, DAY, external, oem, openid, phone, T0, unionid } from './fixtures';

/** A tiny in-memory identity index and customer table, to apply plans the way the functions will. */
class World {
  owners: Record<string, string> = {};
  customers = new Map<string, OneIdCustomer>();

  add(c: OneIdCustomer): OneIdCustomer {
    this.customers.set(c._id, c);
    for (const i of c.identifiers) this.owners[identifierKey(i)] = c._id;
    return c;
  }

  plan(incoming: Identifier[]): ResolvePlan {
    const owners: Record<string, string> = {};
    for (const i of incoming) {
      const owner = this.owners[identifierKey(i)];
      if (owner) owners[identifierKey(i)] = owner;
    }
    let candidates: OneIdCustomer[] = [];
    for (;;) {
      const missing = missingCandidates({ owners, candidates });
      if (!missing.length) break;
      candidates = [...candidates, ...missing.map((id) => this.customers.get(id)!)];
    }
    return resolve({ incoming, owners, candidates });
  }

  apply(plan: ResolvePlan, now: number): string | undefined {
    switch (plan.kind) {
      case 'none':
        return undefined;
      case 'create':
        this.add(newCustomer({ id: plan.customerId, identifiers: plan.attach, storeId: 's1', sourceChannel: 'miniprogram', now, source: 'customer' }));
        return plan.customerId;
      case 'existing':
        this.add(attachIdentifiers(this.customers.get(plan.customerId)!, plan.attach, now));
        return plan.customerId;
      case 'merge': {
        const r = mergeCustomers(this.customers.get(plan.customerId)!, plan.mergeIds.map((id) => this.customers.get(id)!), { now, actor: 'system:oneid', reason: 'test' });
        if (!r.changed) throw new Error('expected a merge');
        this.add(attachIdentifiers(r.customer, plan.attach, now));
        for (const t of r.tombstones) this.customers.set(t._id, t);
        return plan.customerId;
      }
    }
  }
}

describe('resolve', () => {
  it('creates a customer for unknown identities, with an id derived from the most trusted identifier', () => {
    const w = new World();
    const plan = w.plan([openid('oNew00000001'), phone('13912345678')]);
    expect(plan).toEqual({
      kind: 'create',
      customerId: newCustomerId(phone('13912345678')),
      attach: [phone('13912345678'), openid('oNew00000001')],
      conflicts: [],
    });
  });

  it('gives the same plan for the same identities, in any order, and nothing to do once applied', () => {
    const w = new World();
    w.add(customer('A', { identifiers: [openid('oA0000000001')] }));
    const ids = [phone('13912345678'), openid('oA0000000001'), unionid('uA0000000001')];
    const first = w.plan(ids);
    expect(w.plan([...ids].reverse())).toEqual(first);
    expect(first).toMatchObject({ kind: 'existing', customerId: 'A', attach: [phone('13912345678'), unionid('uA0000000001')] });
    w.apply(first, T0 + DAY);
    expect(w.plan(ids)).toEqual({ kind: 'existing', customerId: 'A', attach: [], conflicts: [] });
  });

  it('a create applied twice makes one customer (the id is deterministic)', () => {
    const w = new World();
    const a = w.plan([phone('13912345678')]);
    const b = w.plan([phone('13912345678')]);
    expect(a).toEqual(b);
    w.apply(a, T0);
    expect(w.plan([phone('13912345678')])).toEqual({ kind: 'existing', customerId: newCustomerId(phone('13912345678')), attach: [], conflicts: [] });
    expect(w.customers.size).toBe(1);
  });

  it('merges when one record links two customers, keeping the one with the stronger identifier', () => {
    const w = new World();
    w.add(customer('A', { identifiers: [openid('oA0000000001')], createdAt: T0 - 100 * DAY }));
    w.add(customer('B', { identifiers: [phone('13912345678')], createdAt: T0 }));
    const plan = w.plan([openid('oA0000000001'), phone('13912345678')]);
    // B is younger but holds a phone, which outranks an openid.
    expect(plan).toEqual({ kind: 'merge', customerId: 'B', mergeIds: ['A'], attach: [], conflicts: [] });
    w.apply(plan, T0 + DAY);
    expect(w.plan([openid('oA0000000001'), phone('13912345678')])).toEqual({ kind: 'existing', customerId: 'B', attach: [], conflicts: [] });
  });

  it('breaks a priority tie by age, then by id', () => {
    const a = customer('A', { identifiers: [openid('oA0000000001', 'app1')], createdAt: T0 });
    const b = customer('B', { identifiers: [openid('oB0000000001', 'app2')], createdAt: T0 - DAY });
    const c = customer('C', { identifiers: [openid('oC0000000001', 'app3')], createdAt: T0 - DAY });
    expect(chooseSurvivor([a, b, c])._id).toBe('B');
    const w = new World();
    [a, b, c].forEach((x) => w.add(x));
    expect(w.plan([openid('oA0000000001', 'app1'), openid('oB0000000001', 'app2'), openid('oC0000000001', 'app3')])).toMatchObject({
      kind: 'merge',
      customerId: 'B',
      mergeIds: ['A', 'C'],
    });
  });

  it('an OEM id outranks everything when several customers merge', () => {
    const w = new World();
    w.add(customer('A', { identifiers: [phone('13912345678')], createdAt: T0 - 300 * DAY }));
    w.add(customer('B', { identifiers: [external('wmB000000001')], createdAt: T0 - 200 * DAY }));
    w.add(customer('C', { identifiers: [oem('LS0000000042')], createdAt: T0 }));
    const plan = w.plan([external('wmB000000001'), phone('13912345678'), oem('LS0000000042'), unionid('uNew00000001')]);
    expect(plan).toEqual({ kind: 'merge', customerId: 'C', mergeIds: ['A', 'B'], attach: [unionid('uNew00000001')], conflicts: [] });
  });

  it('does not merge two people whose phones differ: the link is reported and not attached', () => {
    const w = new World();
    w.add(customer('A', { identifiers: [phone('13911110001'), openid('oShared00001')] }));
    w.add(customer('B', { identifiers: [phone('13922220002')] }));
    // B's phone arrives with A's WeChat: a spouse using the other's phone to register.
    const plan = w.plan([phone('13922220002'), openid('oShared00001')]);
    expect(plan).toMatchObject({ kind: 'existing', customerId: 'B', attach: [] });
    expect(plan.conflicts).toEqual([
      expect.objectContaining({
        key: 'openid:app1:oShared00001',
        customerId: 'A',
        limitType: 'phone',
        message: '小程序账号 oSha…0001 已属于另一位客户，两人的手机号不一致，未自动合并，请人工核实',
      }),
    ]);
    w.apply(plan, T0 + DAY);
    expect(w.owners['openid:app1:oShared00001']).toBe('A');
  });

  it('does not attach a second phone to a customer found by a stronger identifier', () => {
    const w = new World();
    w.add(customer('A', { identifiers: [oem('LS0000000042'), phone('13911110001')] }));
    const plan = w.plan([oem('LS0000000042'), phone('13933330003')]);
    expect(plan).toMatchObject({ kind: 'existing', customerId: 'A', attach: [] });
    expect(plan.conflicts).toEqual([
      expect.objectContaining({ key: 'phone:13933330003', limitType: 'phone', message: '手机号 139****0003 与该客户已登记的手机号不一致，未关联（每位客户最多1个）' }),
    ]);
  });

  it('a new, more trusted identifier that contradicts a known customer starts a new customer', () => {
    const w = new World();
    w.add(customer('A', { identifiers: [phone('13911110001'), openid('oA0000000001')] }));
    const plan = w.plan([phone('13944440004'), openid('oA0000000001')]);
    expect(plan).toMatchObject({ kind: 'create', attach: [phone('13944440004')] });
    expect(plan.conflicts).toEqual([expect.objectContaining({ customerId: 'A', limitType: 'phone' })]);
  });

  it('honours a higher limit when the rules allow two phones', () => {
    const rules = { ...IDENTITY_RULES, phone: { ...IDENTITY_RULES.phone, limit: 2 } };
    const a = customer('A', { identifiers: [phone('13911110001'), openid('oA0000000001')] });
    const b = customer('B', { identifiers: [phone('13922220002')] });
    const owners = { 'phone:13922220002': 'B', 'openid:app1:oA0000000001': 'A' };
    const plan = resolve({ incoming: [phone('13922220002'), openid('oA0000000001')], owners, candidates: [a, b], rules });
    expect(plan).toMatchObject({ kind: 'merge', conflicts: [] });
    const three = resolve({
      incoming: [phone('13922220002'), openid('oA0000000001'), phone('13955550005')],
      owners,
      candidates: [a, b],
      rules,
    });
    // The record's own phones outrank the openid link: A would bring a third phone.
    expect(three).toMatchObject({ kind: 'existing', customerId: 'B', attach: [phone('13955550005')] });
    expect(three.conflicts.map((c) => [c.key, c.limitType])).toEqual([['openid:app1:oA0000000001', 'phone']]);
  });

  it('follows tombstones to the survivor and asks for customers it has not been given', () => {
    const tomb = customer('T', { identifiers: [openid('oT0000000001')], mergedInto: 'S' });
    const owners = { 'openid:app1:oT0000000001': 'T' };
    expect(missingCandidates({ owners, candidates: [tomb] })).toEqual(['S']);
    expect(() => resolve({ incoming: [openid('oT0000000001')], owners, candidates: [tomb] })).toThrow(/not loaded/);
    const s = customer('S', { identifiers: [phone('13912345678'), openid('oT0000000001')] });
    expect(resolve({ incoming: [openid('oT0000000001')], owners, candidates: [tomb, s] })).toEqual({
      kind: 'existing',
      customerId: 'S',
      attach: [],
      conflicts: [],
    });
  });

  it('has nothing to do without identifiers', () => {
    expect(resolve({ incoming: [], owners: {}, candidates: [] })).toEqual({ kind: 'none', conflicts: [] });
  });
});

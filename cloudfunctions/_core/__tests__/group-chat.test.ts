import { externalContactIds, groupRoster, hasCorpMember, type GroupMember } from '../group-chat';

const members: GroupMember[] = [
  { userId: 'zhangwei', type: 1 },
  { userId: 'wm_a', type: 2 },
  { userId: 'wm_b', type: 2 },
  { userId: 'lina', type: 1 },
  { userId: 'wm_a', type: 2 },
  { userId: 'wm_c', type: 2 },
];

test('corp members are recognised by userid and type, never an external contact with the same id', () => {
  expect(hasCorpMember(members, 'zhangwei')).toBe(true);
  expect(hasCorpMember(members, 'wm_a')).toBe(false);
  expect(hasCorpMember(members, 'someone')).toBe(false);
});

test('external contacts are listed once each, in WeCom order', () => {
  expect(externalContactIds(members)).toEqual(['wm_a', 'wm_b', 'wm_c']);
});

test('the roster keeps the known customers best first, once each, and counts the rest', () => {
  const c1 = { _id: 'c1', rankKey: 10 };
  const c2 = { _id: 'c2', rankKey: 30 };
  const owners: Record<string, { _id: string; rankKey?: number }> = { wm_a: c1, wm_b: c2, wm_d: c1 };
  const roster = groupRoster(['wm_a', 'wm_b', 'wm_c', 'wm_d', 'wm_e'], (id) => owners[id]);
  expect(roster.customers.map((c) => c._id)).toEqual(['c2', 'c1']);
  expect(roster.othersCount).toBe(2);
});

test('unscored customers come after scored ones, in the lead list order (id descending) among themselves', () => {
  const roster = groupRoster(['a', 'b', 'c'], (id) => ({ a: { _id: 'c1' }, b: { _id: 'c3' }, c: { _id: 'c2', rankKey: 0 } })[id]);
  expect(roster.customers.map((c) => c._id)).toEqual(['c2', 'c3', 'c1']);
  expect(groupRoster([], () => undefined)).toEqual({ customers: [], othersCount: 0 });
});

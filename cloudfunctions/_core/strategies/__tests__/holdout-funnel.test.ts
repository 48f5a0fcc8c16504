import { funnelOf, stepRates, type MemberRow } from '../funnel';
import { inHoldout } from '../holdout';
import { checkRules } from '../validate';

describe('the holdout group', () => {
  it('is deterministic by strategy and customer, and about the share asked for', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `cus-${String(i).padStart(7, '0')}`);
    const first = ids.filter((id) => inHoldout('s1', id, 10));
    expect(ids.filter((id) => inHoldout('s1', id, 10))).toEqual(first);
    expect(first.length / ids.length).toBeGreaterThan(0.08);
    expect(first.length / ids.length).toBeLessThan(0.12);
    // Another strategy holds out other people.
    expect(ids.filter((id) => inHoldout('s2', id, 10))).not.toEqual(first);
    expect(ids.some((id) => inHoldout('s1', id, 0))).toBe(false);
  });
});

describe('a strategy funnel', () => {
  const m = (x: Partial<MemberRow>): MemberRow => ({ holdout: false, sendIds: [], ...x });
  it('counts each step, splits by consultant and channel, and measures the uplift against the holdout', () => {
    const f = funnelOf([
      m({ ownerId: 'a', channel: 'wecom_chat', sendIds: ['x'], everOpenedAt: 1, registeredAt: 2, checkedInAt: 3 }),
      m({ ownerId: 'a', channel: 'wecom_chat', sendIds: ['y'], everOpenedAt: 1 }),
      m({ ownerId: 'b', channel: 'wecom_mass', sendIds: ['z'] }),
      m({ ownerId: 'b' }),
      m({ holdout: true }),
      m({ holdout: true, testDroveAt: 5 }),
      m({ holdout: true }),
      m({ holdout: true }),
    ]);
    expect(f.total).toEqual({ invited: 4, delivered: 3, opened: 2, registered: 1, checkedIn: 1 });
    expect(stepRates(f.total).opened).toBeCloseTo(2 / 3);
    expect(f.byConsultant.get('a')).toEqual({ invited: 2, delivered: 2, opened: 2, registered: 1, checkedIn: 1 });
    expect(f.byChannel.get('unsent')?.invited).toBe(1);
    expect(f.treated).toEqual({ members: 4, converted: 1, rate: 0.25 });
    expect(f.holdout).toEqual({ members: 4, converted: 1, rate: 0.25 });
    expect(f.uplift).toBe(0);
  });
});

describe('reaction-tree checks', () => {
  it('refuses repeated ids, unknown tags and a move into itself', () => {
    const issues = checkRules(
      [
        { id: 'a', when: { kind: 'opened' }, then: [{ kind: 'tag', tagId: 'nope' }] },
        { id: 'a', when: { kind: 'registered' }, then: [{ kind: 'move', strategyId: 'self' }] },
      ],
      (t) => t !== 'nope',
      'self',
    );
    expect(issues.map((i) => i.message)).toEqual(['tag nope is not in the taxonomy', 'rule id a is used twice', 'a rule cannot move customers into its own strategy']);
  });
});

import type { ReactionFacts, ReactionRule } from '../../../../types/strategy';
import { evaluate, firedKey, verdict } from '../rules';
import { pathText } from '../describe';

const H = 3_600_000;
const SENT = Date.parse('2025-03-17T10:00:00+08:00');
const facts = (f: Partial<ReactionFacts> = {}): ReactionFacts => ({ round: 1, sentAt: SENT, dwellSeconds: 0, ...f });

/** The article's loop: not opened in 24 h -> re-invite (twice at most); opened but not registered in 48 h -> call within 4 h; registered -> notify. */
const TREE: ReactionRule[] = [
  { id: 'quiet', when: { kind: 'not_opened', hours: 24 }, then: [{ kind: 'reinvite', max: 2 }] },
  {
    id: 'open',
    when: { kind: 'opened' },
    then: [],
    next: [
      { id: 'cold', when: { kind: 'not_registered', hours: 48 }, then: [{ kind: 'call', slaHours: 4 }] },
      { id: 'long', when: { kind: 'dwell', seconds: 30 }, then: [{ kind: 'tag', tagId: 'p-intent-high' }] },
    ],
  },
  { id: 'reg', when: { kind: 'registered' }, then: [{ kind: 'notify' }] },
];

/** Runs the tree as the member document would keep it: fired keys accumulate. */
function run(f: ReactionFacts, at: number, fired: string[] = [], reinvites = 0) {
  const e = evaluate(TREE, f, fired, at, reinvites);
  return { ...e, kept: [...fired, ...e.fired], kinds: e.fire.map((x) => x.action.kind) };
}

describe('reaction-rule timing on the injected clock', () => {
  it('"not opened within T": waits before T, fires exactly at T and after', () => {
    const c = { kind: 'not_opened', hours: 24 } as const;
    expect(verdict(c, facts(), SENT + 24 * H - 1)).toEqual({ state: 'wait', at: SENT + 24 * H });
    expect(verdict(c, facts(), SENT + 24 * H)).toEqual({ state: 'yes' });
    expect(verdict(c, facts(), SENT + 30 * H)).toEqual({ state: 'yes' });
  });

  it('an open at T exactly is within T; an open after T does not undo a fired deadline', () => {
    const c = { kind: 'not_opened', hours: 24 } as const;
    expect(verdict(c, facts({ openedAt: SENT + 24 * H }), SENT + 24 * H)).toEqual({ state: 'no' });
    expect(verdict(c, facts({ openedAt: SENT + 24 * H + 1 }), SENT + 25 * H)).toEqual({ state: 'yes' });
  });

  it('"not registered by T" is settled by a registration at or before T, whichever round it came in', () => {
    const c = { kind: 'not_registered', hours: 48 } as const;
    expect(verdict(c, facts({ registeredAt: SENT + 48 * H }), SENT + 60 * H)).toEqual({ state: 'no' });
    expect(verdict(c, facts({ registeredAt: SENT - H, round: 2 }), SENT + 60 * H)).toEqual({ state: 'no' });
    expect(verdict(c, facts(), SENT + 48 * H)).toEqual({ state: 'yes' });
  });

  it('nothing reacts before the strategy reached the customer', () => {
    const e = evaluate(TREE, { round: 0, dwellSeconds: 0 }, [], SENT + 1000 * H);
    expect(e.fire).toEqual([]);
    expect(e.nextCheckAt).toBeUndefined();
  });

  it('says when to look again: the earliest reachable deadline', () => {
    expect(run(facts(), SENT + H).nextCheckAt).toBe(SENT + 24 * H);
    // Opened: the re-invite is off, the call's deadline is next.
    expect(run(facts({ openedAt: SENT + 2 * H }), SENT + 3 * H).nextCheckAt).toBe(SENT + 48 * H);
  });

  it('opened but not registered: the call task fires at T and only once, however often it is evaluated', () => {
    const f = facts({ openedAt: SENT + 2 * H, dwellSeconds: 12 });
    const before = run(f, SENT + 48 * H - 1);
    expect(before.kinds).toEqual([]);
    const atT = run(f, SENT + 48 * H, before.kept);
    expect(atT.kinds).toEqual(['call']);
    expect(atT.fire[0].key).toBe(firedKey('cold', 1));
    expect(pathText(atT.fire[0].path)).toBe('已打开邀请，48小时内未报名');
    const again = run(f, SENT + 48 * H, atT.kept);
    expect(again.fire).toEqual([]);
    expect(run(f, SENT + 100 * H, again.kept).fire).toEqual([]);
    expect(again.nextCheckAt).toBeUndefined();
  });

  it('events fire their nodes at once, without a deadline', () => {
    const r = run(facts({ openedAt: SENT + H, dwellSeconds: 40, registeredAt: SENT + 2 * H }), SENT + 2 * H);
    expect(r.kinds).toEqual(['tag', 'notify']);
    // Registered within 48 h: the call never comes.
    expect(run(facts({ openedAt: SENT + H, dwellSeconds: 40, registeredAt: SENT + 2 * H }), SENT + 72 * H, r.kept).kinds).toEqual([]);
  });

  it('re-invites once per round, at most max times; a new round starts the clock again', () => {
    const r1 = run(facts(), SENT + 24 * H);
    expect(r1.kinds).toEqual(['reinvite']);
    // Round 2: sent again a day later, not opened in 24 h again.
    const sent2 = SENT + 26 * H;
    const r2 = run(facts({ round: 2, sentAt: sent2 }), sent2 + 24 * H - 1, r1.kept, 1);
    expect(r2.kinds).toEqual([]);
    const r2b = run(facts({ round: 2, sentAt: sent2 }), sent2 + 24 * H, r1.kept, 1);
    expect(r2b.kinds).toEqual(['reinvite']);
    // Round 3 reached the max (2): the node fires, its re-invite is dropped.
    const r3 = run(facts({ round: 3, sentAt: sent2 + 30 * H }), sent2 + 60 * H, r2b.kept, 2);
    expect(r3.kinds).toEqual([]);
    expect(r3.fired).toEqual([firedKey('quiet', 3)]);
  });
});

import { DEFAULT_MODEL, type ScoringModel } from '../model';
import { needsReplay } from '../compile';
import { scoreOf } from '../score';
import { applyEvent, emptyState, hasApplied, isStale, mergeStates, rebuildState, SEEN_MAX, type CustomerState } from '../state';
import { ev, NOW, subject, suvView } from './helpers';

const events = () => [
  suvView(1, 60, 'lanyue'),
  suvView(3, 90, 'lingfeng'),
  ev('test_drive', 4, { modelId: 'lanyue' }, 'store'),
  ev('store_visit', 4, { durationMinutes: 30 }, 'store'),
  ev('form_submit', 9, { form: 'test_drive_booking', modelId: 'lanyue' }),
  ev('call', 2, { direction: 'outbound', connected: false }, 'phone'),
  ev('share', 0, { category: 'space' }),
];

const applyAll = (list: ReturnType<typeof events>, s: CustomerState = emptyState(DEFAULT_MODEL)) => list.reduce((acc, e) => applyEvent(acc, e, DEFAULT_MODEL), s);
const withoutSeen = (s: CustomerState) => ({ ...s, seen: [...s.seen].sort() });

describe('per-customer state', () => {
  it('event by event gives the same state as a full replay, in any order', () => {
    const list = events();
    const incremental = applyAll(list);
    expect(incremental.rules).toEqual(rebuildState(list, DEFAULT_MODEL).rules);
    expect(withoutSeen(applyAll([...list].reverse()))).toEqual(withoutSeen(incremental));
    expect(scoreOf(incremental, subject(), DEFAULT_MODEL, NOW)).toEqual(scoreOf(rebuildState([...list].reverse(), DEFAULT_MODEL), subject(), DEFAULT_MODEL, NOW));
  });

  it('ignores an event it has already applied (a retried write) and returns the same object', () => {
    const list = events();
    const s = applyAll(list);
    expect(hasApplied(s, list[2]._id)).toBe(true);
    expect(applyEvent(s, list[2], DEFAULT_MODEL)).toBe(s);
    expect(rebuildState([...list, list[0], list[3]], DEFAULT_MODEL).rules).toEqual(s.rules);
  });

  it('never changes the state it was given', () => {
    const s = applyAll(events());
    const before = JSON.stringify(s);
    applyEvent(s, suvView(0, 100), DEFAULT_MODEL);
    expect(JSON.stringify(s)).toBe(before);
  });

  it('keeps a bounded ring of recent event ids', () => {
    const many = Array.from({ length: SEEN_MAX + 10 }, (_, i) => ev('ad_click', i % 5, { modelId: 'tuyao' }, 'autohome'));
    const s = applyAll(many);
    expect(s.seen).toHaveLength(SEEN_MAX);
    expect(s.seen[SEEN_MAX - 1]).toBe(many[many.length - 1]._id);
  });

  it('stays JSON-able: a stored and reloaded state scores the same', () => {
    const s = applyAll(events());
    const reloaded = JSON.parse(JSON.stringify(s)) as CustomerState;
    expect(scoreOf(reloaded, subject(), DEFAULT_MODEL, NOW)).toEqual(scoreOf(s, subject(), DEFAULT_MODEL, NOW));
    expect(applyEvent(reloaded, suvView(0, 40), DEFAULT_MODEL).rules).toEqual(applyEvent(s, suvView(0, 40), DEFAULT_MODEL).rules);
  });

  it('merging two customers’ states equals replaying both histories', () => {
    const a = events().slice(0, 3);
    const b = events().slice(3);
    const merged = mergeStates([rebuildState(a, DEFAULT_MODEL), rebuildState(b, DEFAULT_MODEL)]);
    const replayed = rebuildState([...a, ...b], DEFAULT_MODEL);
    expect(scoreOf(merged, subject(), DEFAULT_MODEL, NOW)).toEqual(scoreOf(replayed, subject(), DEFAULT_MODEL, NOW));
    expect(merged.activity).toEqual(replayed.activity);
    expect(isStale(merged, DEFAULT_MODEL)).toBe(false);
  });
});

describe('model changes', () => {
  const tweak = (f: (m: ScoringModel) => void): ScoringModel => {
    const m = JSON.parse(JSON.stringify(DEFAULT_MODEL)) as ScoringModel;
    f(m);
    m.version++;
    return m;
  };
  const rule = (m: ScoringModel, id: string) => m.engagement.groups.flatMap((g) => g.rules).find((r) => r.id === id)!;

  it('new points, caps and windows rescore from the stored counters, no replay', () => {
    const s = rebuildState(events(), DEFAULT_MODEL);
    const richer = tweak((m) => {
      rule(m, 'test_drive').points = 25;
      rule(m, 'test_drive').dailyCap = 25;
      rule(m, 'suv_content').windowDays = 2;
    });
    expect(needsReplay(DEFAULT_MODEL, richer)).toBe(false);
    expect(isStale(s, richer)).toBe(false);
    const before = scoreOf(s, subject(), DEFAULT_MODEL, NOW).contributions;
    const after = scoreOf(s, subject(), richer, NOW).contributions;
    expect(after.find((c) => c.ruleId === 'test_drive')?.points).toBe(25);
    expect(before.find((c) => c.ruleId === 'suv_content')?.points).toBe(4);
    expect(after.find((c) => c.ruleId === 'suv_content')?.points).toBe(2);
    expect(scoreOf(s, subject(), richer, NOW).modelVersion).toBe(2);
  });

  it('a changed filter or a new rule needs a replay; a removed rule or reordered keys do not', () => {
    const deeper = tweak((m) => {
      rule(m, 'suv_content').filter.where = [{ key: 'dwellSeconds', gte: 60 }];
    });
    expect(needsReplay(DEFAULT_MODEL, deeper)).toBe(true);
    expect(isStale(rebuildState(events(), DEFAULT_MODEL), deeper)).toBe(true);
    expect(isStale(rebuildState(events(), deeper), deeper)).toBe(false);
    const added = tweak((m) => {
      m.engagement.groups[0].rules.push({ id: 'order', label: '下单', filter: { types: ['order'] }, points: 10, dailyCap: 10, windowDays: 30, reason: '已下单' });
    });
    expect(needsReplay(DEFAULT_MODEL, added)).toBe(true);
    const removed = tweak((m) => {
      m.engagement.groups[0].rules.pop();
    });
    expect(needsReplay(DEFAULT_MODEL, removed)).toBe(false);
    const reordered = tweak((m) => {
      const r = rule(m, 'booking');
      const w = r.filter.where![0];
      r.filter = { where: [{ equals: w.equals, key: w.key }], types: r.filter.types };
    });
    expect(needsReplay(DEFAULT_MODEL, reordered)).toBe(false);
  });

  it('a replay after a filter change gives the new counts', () => {
    const deeper = tweak((m) => {
      rule(m, 'suv_content').filter.where = [{ key: 'dwellSeconds', gte: 80 }];
    });
    const s = rebuildState(events(), deeper);
    expect(scoreOf(s, subject(), deeper, NOW).contributions.find((c) => c.ruleId === 'suv_content')?.points).toBe(2);
  });
});

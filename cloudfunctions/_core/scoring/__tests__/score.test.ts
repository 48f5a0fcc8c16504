import { DEFAULT_MODEL, type ScoringModel } from '../model';
import { rescoreAll, scoreOf, suggestGrade } from '../score';
import { rebuildState } from '../state';
import { DAY, ev, NOW, subject, suvView } from './helpers';

const score = (events: Parameters<typeof rebuildState>[0], s = subject(), model: ScoringModel = DEFAULT_MODEL, now = NOW) =>
  scoreOf(rebuildState(events, model), s, model, now);

describe('engagement score and reasons', () => {
  it('explains content interest with count and total dwell time', () => {
    const r = score([suvView(1, 60), suvView(3, 90), suvView(8, 45), suvView(20, 75), suvView(29, 90)]);
    expect(r.reasons).toContain('近30天浏览SUV内容5次，累计停留6分钟');
    expect(r.contributions).toContainEqual({ kind: 'engagement', groupId: 'eng_content', ruleId: 'suv_content', points: 10 });
  });

  it('leaves out what it cannot say: a booking without a model, content without dwell', () => {
    const booked = score([ev('form_submit', 2, { form: 'test_drive_booking', modelId: null })]);
    expect(booked.reasons).toEqual(['已预约试驾']);
    const withModel = score([ev('form_submit', 2, { form: 'test_drive_booking', modelId: 'lanyue' })]);
    expect(withModel.reasons).toEqual(['已预约试驾（揽岳）']);
  });

  it('ranks reasons by points, strongest first, three at most', () => {
    const r = score([
      ev('test_drive', 3, { modelId: 'qinglan_ev' }, 'store'),
      ev('store_visit', 3, { durationMinutes: 60 }, 'store'),
      ev('store_visit', 6, { durationMinutes: 30 }, 'store'),
      ev('form_submit', 10, { form: 'test_drive_booking', modelId: 'qinglan_ev' }),
      suvView(1, 200),
      ev('share', 2, { category: 'space' }),
    ]);
    // Two visits (20) outrank the booking (15); the share (3) and content (2+3) do not make it.
    expect(r.reasons).toEqual(['近30天到店试驾1次（青澜EV）', '近14天到店2次', '已预约试驾（青澜EV）']);
  });

  it('caps points per day: ten views in one afternoon count like three', () => {
    const many = score(Array.from({ length: 10 }, () => suvView(1, 40)));
    const three = score(Array.from({ length: 3 }, () => suvView(1, 40)));
    const c = (r: typeof many) => r.contributions.find((x) => x.ruleId === 'suv_content')?.points;
    expect(c(many)).toBe(6);
    expect(c(three)).toBe(6);
    expect(many.reasons[0]).toMatch(/^近30天浏览SUV内容10次/);
  });

  it('lets points expire after the window', () => {
    const state = rebuildState([suvView(0, 60), ev('test_drive', 0, { modelId: 'lanyue' }, 'store')], DEFAULT_MODEL);
    const fresh = scoreOf(state, subject(), DEFAULT_MODEL, NOW);
    const later = scoreOf(state, subject(), DEFAULT_MODEL, NOW + 29 * DAY);
    const gone = scoreOf(state, subject(), DEFAULT_MODEL, NOW + 30 * DAY);
    expect(fresh.engagement).toBe(22);
    expect(later.engagement).toBe(22);
    expect(gone.engagement).toBe(0);
    expect(gone.reasons).toEqual([]);
  });

  it('caps each group: test drives, quotes and bookings together give at most 40', () => {
    const r = score([
      ev('test_drive', 1, { modelId: 'lanyue' }, 'store'),
      ev('test_drive', 5, { modelId: 'lanyue' }, 'store'),
      ev('quote', 5, { modelId: 'lanyue', price: 200000 }, 'store'),
      ev('form_submit', 9, { form: 'test_drive_booking', modelId: 'lanyue' }),
    ]);
    expect(r.contributions.filter((c) => c.groupId === 'eng_intent').reduce((s, c) => s + c.points, 0)).toBe(70);
    expect(r.engagement).toBe(40);
  });

  it('takes points away for negative signals and says why', () => {
    const base = [ev('test_drive', 5, { modelId: 'lanyue' }, 'store'), suvView(2, 100)];
    const lost = score([...base, ev('call', 1, { direction: 'outbound', connected: true, outcome: 'lost' }, 'phone')]);
    expect(lost.engagement).toBe(0);
    expect(lost.penalties).toEqual(['近90天被标记战败']);
    const unanswered = score([...base, ev('call', 1, { direction: 'outbound', connected: false }, 'phone'), ev('call', 3, { direction: 'outbound', connected: false }, 'phone')]);
    expect(unanswered.engagement).toBe(22 - 4);
    expect(unanswered.penalties).toEqual(['近14天电话未接通2次']);
  });

  it('counts only content read long enough', () => {
    expect(score([suvView(1, 10)]).engagement).toBe(0);
    expect(score([suvView(1, 30)]).engagement).toBe(2);
  });
});

describe('fit score', () => {
  it('scores attributes with plain reasons', () => {
    const r = score([], subject({ stage: 'prospect', city: '上海', sourceChannel: 'referral', tags: [{ tagId: 'power-level-high', path: [], source: 'oem', assignedAt: NOW }] }));
    expect(r.fit).toBe(6 + 5 + 8 + 6);
    expect(r.reasons).toEqual(['购买力高', '已到店或试驾的潜客', '老车主推荐的客户']);
  });

  it('ignores expired tags', () => {
    const tags = [{ tagId: 'power-level-high', path: [], source: 'rule' as const, assignedAt: NOW - DAY, expiresAt: NOW }];
    expect(score([], subject({ tags })).fit).toBe(0);
  });

  it('uses the age of the oldest car for replacement', () => {
    const car = (years: number) => ({ modelId: 'tuyao', vinTail: String(years), purchasedAt: NOW - years * 365.25 * DAY });
    expect(score([], subject({ stage: 'owner', vehiclesOwned: [car(6)] })).reasons).toEqual(['车龄5年以上，处于换购高峰期']);
    expect(score([], subject({ stage: 'owner', vehiclesOwned: [car(4), car(1)] })).reasons).toEqual(['车龄3-5年，进入换购观察期']);
    expect(score([], subject({ stage: 'owner', vehiclesOwned: [car(1)] })).fit).toBe(0);
  });

  it('channel kinds and city tiers come from the catalog', () => {
    expect(score([], subject({ sourceChannel: 'dongchedi', city: '苏州市' })).reasons).toEqual(['新一线城市客户', '来自汽车垂直媒体的线索']);
  });

  it('a lost tag pulls the fit down but never below zero', () => {
    const tags = [{ tagId: 'lifecycle-risk-lost', path: [], source: 'consultant' as const, assignedAt: NOW }];
    const r = score([], subject({ city: '上海', tags }));
    expect(r.fit).toBe(0);
    expect(r.penalties).toEqual(['已被标记为战败客户']);
  });
});

describe('total and grade', () => {
  it('adds fit and engagement into 0-100 and suggests a grade by the thresholds', () => {
    expect(suggestGrade(80, DEFAULT_MODEL.grades)).toBe('H');
    expect(suggestGrade(79, DEFAULT_MODEL.grades)).toBe('A');
    expect(suggestGrade(45, DEFAULT_MODEL.grades)).toBe('B');
    expect(suggestGrade(25, DEFAULT_MODEL.grades)).toBe('C');
    expect(suggestGrade(24, DEFAULT_MODEL.grades)).toBeUndefined();
    const hot = score(
      [
        ev('test_drive', 1, { modelId: 'lanyue' }, 'store'),
        ev('quote', 1, { modelId: 'lanyue', price: 200000 }, 'store'),
        ev('store_visit', 1, {}, 'store'),
        ev('store_visit', 4, {}, 'store'),
        ...Array.from({ length: 12 }, (_, i) => suvView(i, 200)),
        ev('share', 1, {}),
        ev('share', 2, {}),
      ],
      subject({ stage: 'prospect', city: '上海', sourceChannel: 'autohome', tags: [{ tagId: 'power-level-high', path: [], source: 'oem', assignedAt: NOW }] }),
    );
    expect(hot.total).toBe(92);
    expect(hot.suggestedGrade).toBe('H');
    expect(score([]).total).toBe(0);
    expect(score([]).suggestedGrade).toBeUndefined();
  });
});

describe('rescoreAll', () => {
  it('gives each customer the same score as scoring them one by one', () => {
    const states = [rebuildState([suvView(1, 60)], DEFAULT_MODEL), rebuildState([ev('test_drive', 2, { modelId: 'yunyi' }, 'store')], DEFAULT_MODEL)];
    const subjects = [subject({ city: '上海' }), subject({ stage: 'prospect' })];
    const all = rescoreAll(states, subjects, DEFAULT_MODEL, NOW);
    all.forEach((r, i) => {
      const { contributions: _c, ...one } = scoreOf(states[i], subjects[i], DEFAULT_MODEL, NOW);
      expect(r).toEqual(one);
    });
    expect(() => rescoreAll(states, subjects.slice(1), DEFAULT_MODEL, NOW)).toThrow(/length/);
  });
});

import { DEFAULT_MODEL, type ScoringModel } from '../model';
import { validateModel } from '../validate-model';

const edit = (f: (m: Record<string, any>) => void): unknown => {
  const m = JSON.parse(JSON.stringify(DEFAULT_MODEL));
  f(m);
  return m;
};
const issues = (m: unknown) => {
  const r = validateModel(m);
  if (r.ok) throw new Error('expected the model to be refused');
  return r.issues;
};

describe('validateModel', () => {
  it('accepts the default model, also after a JSON round trip', () => {
    expect(validateModel(DEFAULT_MODEL)).toEqual({ ok: true, model: DEFAULT_MODEL });
    expect(validateModel(JSON.parse(JSON.stringify(DEFAULT_MODEL))).ok).toBe(true);
  });

  it.each<[string, (m: Record<string, any>) => void, { field: string; message: RegExp }]>([
    ['a negative daily cap', (m) => (m.engagement.groups[0].rules[0].dailyCap = -5), { field: 'engagement.groups.0.rules.0.dailyCap', message: /greater than 0/ }],
    ['a daily cap below one event', (m) => (m.engagement.groups[0].rules[0].dailyCap = 10), { field: 'engagement.groups.0.rules.0.dailyCap', message: /at least the points/ }],
    ['a window of 0 days', (m) => (m.engagement.groups[1].rules[0].windowDays = 0), { field: 'engagement.groups.1.rules.0.windowDays', message: /at least 1/ }],
    ['a window longer than the counters keep', (m) => (m.engagement.groups[1].rules[0].windowDays = 365), { field: 'engagement.groups.1.rules.0.windowDays', message: /at most 180/ }],
    ['half a day', (m) => (m.engagement.groups[1].rules[0].windowDays = 7.5), { field: 'engagement.groups.1.rules.0.windowDays', message: /whole number/ }],
    ['zero points', (m) => (m.fit.groups[1].rules[0].points = 0), { field: 'fit.groups.1.rules.0.points', message: /not be 0/ }],
    ['points as text', (m) => (m.fit.groups[1].rules[0].points = '5'), { field: 'fit.groups.1.rules.0.points', message: /number/ }],
    ['an unknown placeholder', (m) => (m.engagement.groups[1].rules[0].reason = '近{day}天到店{count}次'), { field: 'engagement.groups.1.rules.0.reason', message: /unknown placeholder \{day\}/ }],
    ['unbalanced brackets', (m) => (m.engagement.groups[1].rules[0].reason = '近{days}天到店[{count}次'), { field: 'engagement.groups.1.rules.0.reason', message: /unbalanced/ }],
    ['a duplicate rule id', (m) => (m.engagement.groups[1].rules[0].id = 'test_drive'), { field: 'engagement.groups.1.rules.0.id', message: /duplicates the id at engagement.groups.0.rules.0.id/ }],
    ['an unknown event type', (m) => (m.engagement.groups[1].rules[0].filter.types = ['page_view']), { field: 'engagement.groups.1.rules.0.filter.types.0', message: /one of ad_click/ }],
    ['no event type', (m) => (m.engagement.groups[1].rules[0].filter.types = []), { field: 'engagement.groups.1.rules.0.filter.types', message: /non-empty/ }],
    ['an unknown model line', (m) => (m.engagement.groups[2].rules[0].filter.modelLines = ['pickup']), { field: 'engagement.groups.2.rules.0.filter.modelLines.0', message: /one of SUV/ }],
    ['a condition with two tests', (m) => (m.engagement.groups[2].rules[0].filter.where = [{ key: 'dwellSeconds', gte: 30, equals: 30 }]), { field: 'engagement.groups.2.rules.0.filter.where.0', message: /exactly one/ }],
    ['an empty range', (m) => (m.engagement.groups[2].rules[0].filter.where = [{ key: 'dwellSeconds', gte: 60, lte: 30 }]), { field: 'engagement.groups.2.rules.0.filter.where.0', message: /gte must not/ }],
    ['a tag not in the taxonomy', (m) => (m.fit.groups[2].rules[0].when.anyOf = ['power-level-rich']), { field: 'fit.groups.2.rules.0.when.anyOf.0', message: /leaf tag/ }],
    ['an unknown attribute', (m) => (m.fit.groups[2].rules[0].when = { attr: 'income', in: ['high'] }), { field: 'fit.groups.2.rules.0.when.attr', message: /must be one of stage/ }],
    ['an unknown city tier', (m) => (m.fit.groups[1].rules[0].when.in = ['t0']), { field: 'fit.groups.1.rules.0.when.in.0', message: /one of t1/ }],
    ['min above max', (m) => (m.fit.groups[0].rules[2].when = { attr: 'vehicleAgeYears', min: 5, max: 3 }), { field: 'fit.groups.0.rules.2.when', message: /min must not/ }],
    ['caps not adding to 100', (m) => (m.fit.cap = 40), { field: 'engagement.cap', message: /must be 100/ }],
    ['a group cap of 0', (m) => (m.engagement.groups[0].cap = 0), { field: 'engagement.groups.0.cap', message: /greater than 0/ }],
    ['grades out of order', (m) => (m.grades.B = 70), { field: 'grades.B', message: /lower than grades.A/ }],
    ['a placeholder in a fit reason', (m) => (m.fit.groups[1].rules[0].reason = '{days}天'), { field: 'fit.groups.1.rules.0.reason', message: /plain text/ }],
    ['a misspelt field', (m) => (m.engagement.groups[0].rules[0].windowdays = 30), { field: 'engagement.groups.0.rules.0.windowdays', message: /not a known field/ }],
    ['no name', (m) => (m.name = ' '), { field: 'name', message: /non-empty/ }],
    ['a fractional version', (m) => (m.version = 1.5), { field: 'version', message: /whole number/ }],
  ])('refuses %s and names the field', (_, change, want) => {
    expect(issues(edit(change))).toContainEqual({ field: want.field, message: expect.stringMatching(want.message) });
  });

  it('reports every problem at once', () => {
    const r = issues(
      edit((m) => {
        m.grades.H = 200;
        m.engagement.groups[0].rules[1].points = 0;
      }),
    );
    expect(r.map((i) => i.field)).toEqual(['engagement.groups.0.rules.1.points', 'grades.H']);
  });

  it('refuses something that is not a model', () => {
    expect(issues(null)).toEqual([{ field: '', message: 'must be an object' }]);
    expect(issues([])).toEqual([{ field: '', message: 'must be an object' }]);
  });

  it('types the accepted model', () => {
    const r = validateModel(JSON.parse(JSON.stringify(DEFAULT_MODEL)));
    const m: ScoringModel | undefined = r.ok ? r.model : undefined;
    expect(m?.engagement.groups.length).toBe(DEFAULT_MODEL.engagement.groups.length);
  });
});

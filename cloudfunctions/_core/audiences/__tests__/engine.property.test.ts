/**
 * The engine against brute force over raw histories, for random rules and histories:
 * one-customer evaluation, the columnar index (also after upserts, removals and moving in
 * time), incremental counting in any order, merges, refits, and the next-change time.
 */
import fc from 'fast-check';
import type { AudienceRule } from '../../../../types/audience';
import { AudienceIndex } from '../columnar';
import { compileAudience } from '../compile';
import { counterSpec, matchesOfRule, specForRules } from '../counters';
import { applyEvent, emptyFeatures, featuresStatus, mergeFeatures, rebuildFeatures, refitFeatures, type AudienceFeatures } from '../features';
import type { AudienceProfile } from '../profile';
import { bruteMember, uniqueEvents, type RawEvent } from './brute-force';
import { DAY, historyArb, nowArb, profileArb, ruleArb, windowArb } from './arbitraries';

const RUNS = Number(process.env.AUDIENCE_PROPERTY_RUNS ?? 400);

/** A now, then things generated relative to it. */
const scenario = nowArb.chain((now) =>
  fc.record({ now: fc.constant(now), rule: ruleArb(now), history: historyArb(now), profile: profileArb(now) }),
);

const customerArb = (now: number) => fc.record({ history: historyArb(now, 12), profile: profileArb(now) });

describe('audience engine against brute force', () => {
  it('one customer: matches() over counters kept from the history equals brute force', () => {
    fc.assert(
      fc.property(scenario, ({ now, rule, history, profile }) => {
        const spec = specForRules([rule]);
        const f = rebuildFeatures(history, spec);
        expect(compileAudience(rule).matches(f, profile, now)).toBe(bruteMember(rule, history, profile, now));
      }),
      { numRuns: RUNS },
    );
  });

  it('windows count exactly the events on their edge days (China midnight, month, quarter, look-back), and change when nextChange() says', () => {
    const H8 = 8 * 3600_000;
    const midnight = (t: number) => Math.floor((t + H8) / DAY) * DAY - H8;
    const edgeTimes = (now: number): number[] => {
      const d = new Date(now + H8);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth();
      const starts = [Date.UTC(y, m, 1), Date.UTC(y, m - (m % 3), 1)].map((t) => t - H8);
      const back = [0, 1, 2, 6, 7, 29, 30, 89, 90, 91, 364, 365, 366, 367, 500, -1];
      const days = [...back.map((k) => midnight(now) - k * DAY), ...starts, ...starts.map((t) => t - DAY)];
      return days.flatMap((t) => [t, t + 1, t + DAY - 1]);
    };
    fc.assert(
      fc.property(
        nowArb.chain((now) => {
          const times = edgeTimes(now);
          return fc.record({ now: fc.constant(now), window: windowArb(now), picked: fc.subarray(times, { minLength: 1 }), extra: fc.subarray(times) });
        }),
        ({ now, window, picked, extra }) => {
          const history: RawEvent[] = [...picked, ...extra].map((t, i) => ({ _id: `e${i}`, type: 'share', source: 'miniprogram', properties: {}, timestamp: t }));
          const leaf = (value: number): AudienceRule => ({ version: 1, root: { kind: 'behaviour', event: { types: ['share'] }, count: { op: 'eq', value }, window } });
          const profile: AudienceProfile = { storeId: 's', stage: 'lead', tags: [], interest: [], owned: [], consents: [] };
          let want = 0;
          while (!bruteMember(leaf(want), history, profile, now)) want++;
          const f = rebuildFeatures(history, specForRules([leaf(0)]));
          expect(compileAudience(leaf(want)).matches(f, profile, now)).toBe(true);
          expect(compileAudience(leaf(want + 1)).matches(f, profile, now)).toBe(false);
          if (want > 0) expect(compileAudience(leaf(want - 1)).matches(f, profile, now)).toBe(false);
          // The count changes exactly when nextChange() says (not later; and not earlier, unless a day after today waits to enter).
          const countAt = (t: number) => {
            let k = 0;
            while (!bruteMember(leaf(k), history, profile, t)) k++;
            return k;
          };
          const next = compileAudience(leaf(want)).nextChange(f, profile, now);
          if (next === undefined) expect(countAt(now + 800 * DAY)).toBe(want);
          else {
            expect(next).toBeGreaterThan(now);
            expect(countAt(next - 1)).toBe(want);
            if (!history.some((e) => e.timestamp >= midnight(now) + DAY)) expect(countAt(next)).not.toBe(want);
          }
          const ix = AudienceIndex.build(specForRules([leaf(0)]), { ids: ['x'], features: [f], profiles: [profile] });
          expect(compileAudience(leaf(want)).count(ix, now)).toBe(1);
          expect(compileAudience(leaf(want + 1)).count(ix, now)).toBe(0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('counting event by event gives the same counters in any arrival order', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.record({ s: fc.constant(s), order: fc.shuffledSubarray(uniqueEvents(s.history), { minLength: uniqueEvents(s.history).length }) })),
        ({ s, order }) => {
          const spec = specForRules([s.rule]);
          const f = emptyFeatures(spec);
          for (const e of order) applyEvent(f, e, spec);
          expect(f).toEqual(rebuildFeatures(s.history, spec));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a merge of two customers equals the merged history, and evaluates as brute force does', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.record({ s: fc.constant(s), other: historyArb(s.now) })),
        ({ s, other }) => {
          const spec = specForRules([s.rule]);
          const second = other.map((e) => ({ ...e, _id: `x${e._id}` }));
          const merged = mergeFeatures([rebuildFeatures(s.history, spec), rebuildFeatures(second, spec)]);
          const all = [...s.history, ...second];
          expect(merged).toEqual(rebuildFeatures(all, spec));
          expect(compileAudience(s.rule).matches(merged, s.profile, s.now)).toBe(bruteMember(s.rule, all, s.profile, s.now));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a new counter is backfilled from the history; a dropped one is pruned without it', () => {
    fc.assert(
      fc.property(
        nowArb.chain((now) => fc.record({ now: fc.constant(now), a: ruleArb(now), b: ruleArb(now), history: historyArb(now) })),
        ({ a, b, history }) => {
          const small = specForRules([a]);
          const big = specForRules([a, b]);
          const f = rebuildFeatures(history, small);
          const status = featuresStatus(f, big);
          const added = big.ids.filter((id) => !small.byId.has(id));
          expect(status.current ? [] : status.missing).toEqual(added);
          if (added.length) expect(() => refitFeatures(f, big)).toThrow(/need the history/);
          expect(refitFeatures(f, big, history)).toEqual(rebuildFeatures(history, big));
          expect(refitFeatures(rebuildFeatures(history, big), small)).toEqual(f);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('membership holds until nextChange() with no new input', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.record({ s: fc.constant(s), probes: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }) })),
        ({ s, probes }) => {
          const { now, rule, history, profile } = s;
          const spec = specForRules([rule]);
          const f = rebuildFeatures(history, spec);
          const c = compileAudience(rule);
          const next = c.nextChange(f, profile, now);
          const member = bruteMember(rule, history, profile, now);
          const until = next ?? now + 800 * DAY;
          expect(until).toBeGreaterThan(now);
          for (const x of [...probes, 1]) {
            const t = x === 1 ? until - 1 : now + Math.floor(x * (until - now - 1));
            expect(bruteMember(rule, history, profile, t)).toBe(member);
            expect(c.matches(f, profile, t)).toBe(member);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the columnar index gives the brute-force members, also after upserts, removals and moving in time', () => {
    const populationArb = nowArb.chain((now) =>
      fc.record({
        now: fc.constant(now),
        rules: fc.array(ruleArb(now), { minLength: 1, maxLength: 3 }),
        customers: fc.array(customerArb(now), { minLength: 1, maxLength: 40 }),
        changes: fc.array(fc.tuple(fc.nat(), customerArb(now), fc.constantFrom('add-events', 'replace', 'remove', 'new')), { maxLength: 12 }),
        later: fc.constantFrom(0, 1, DAY, 7 * DAY, 45 * DAY, -DAY, -30 * DAY),
      }),
    );
    fc.assert(
      fc.property(populationArb, ({ now, rules, customers, changes, later }) => {
        const spec = specForRules(rules);
        const people = customers.map((c, i) => ({ id: `c${i}`, history: c.history, profile: c.profile, live: true }));
        const featuresOf = (h: RawEvent[]): AudienceFeatures => rebuildFeatures(h, spec);
        const ix = AudienceIndex.build(
          spec,
          { ids: people.map((p) => p.id), features: people.map((p) => featuresOf(p.history)), profiles: people.map((p) => p.profile) },
        );
        const check = (at: number) => {
          for (const rule of rules) {
            const bits = compileAudience(rule).evaluate(ix, at);
            const want = people.filter((p) => p.live && bruteMember(rule, p.history, p.profile, at)).map((p) => p.id);
            expect(ix.members(bits).sort()).toEqual(want.sort());
            const sample = ix.sample(bits, 3, 7);
            expect(sample.length).toBe(Math.min(3, want.length));
            for (const id of sample) expect(want).toContain(id);
          }
        };
        check(now);
        changes.forEach(([pick, c, what], k) => {
          const p = people[pick % people.length];
          if (what === 'remove') {
            ix.remove(p.id);
            p.live = false;
            return;
          }
          if (what === 'new') {
            const id = `n${k}`;
            people.push({ id, history: c.history, profile: c.profile, live: true });
            ix.upsert(id, featuresOf(c.history), c.profile);
            return;
          }
          p.history = what === 'add-events' ? [...p.history, ...c.history.map((e) => ({ ...e, _id: `${e._id}-${k}` }))] : c.history;
          p.profile = c.profile;
          p.live = true;
          ix.upsert(p.id, featuresOf(p.history), p.profile);
        });
        check(now);
        check(now + later);
        ix.compact();
        check(now + later);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('a rule whose counters the set lacks is refused by the index, not answered wrongly', () => {
    fc.assert(
      fc.property(
        nowArb.chain((now) => fc.record({ now: fc.constant(now), rule: ruleArb(now) })),
        ({ now, rule }) => {
          const needed = matchesOfRule(rule);
          fc.pre(needed.length > 0);
          const ix = AudienceIndex.build(counterSpec([]), { ids: [], features: [], profiles: [] });
          expect(() => compileAudience(rule).evaluate(ix, now)).toThrow(/lack|counter/);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('rule edits and counters', () => {
  it('editing counts, windows and profile parts keeps the counter set', () => {
    const rule = (count: number, days: number, stage: AudienceProfile['stage']): AudienceRule => ({
      version: 1,
      root: {
        kind: 'and',
        of: [
          { kind: 'stage', in: [stage] },
          { kind: 'behaviour', event: { types: ['share'], model: { by: 'line', in: ['SUV'] } }, count: { op: 'gte', value: count }, window: { kind: 'last', days } },
        ],
      },
    });
    expect(specForRules([rule(3, 90, 'lead')]).sig).toBe(specForRules([rule(5, 30, 'owner')]).sig);
  });
});

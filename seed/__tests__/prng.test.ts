import { hashString, rngFor, Weighted } from '../prng';

describe('prng', () => {
  it('repeats a stream for the same key and differs between customers', () => {
    const draw = (seed: number, index: number) => {
      const r = rngFor(seed, 1, index);
      return Array.from({ length: 8 }, () => r.u32());
    };
    expect(draw(42, 0)).toEqual(draw(42, 0));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
    expect(draw(42, 0)).not.toEqual(draw(43, 0));
    // Neighbouring customers must not share a shifted sequence either.
    expect(new Set([...draw(42, 0), ...draw(42, 1), ...draw(42, 2)]).size).toBe(24);
  });

  it('keeps draws inside their ranges', () => {
    const r = rngFor(1, 1, 0);
    for (let i = 0; i < 10_000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
  });

  it('draws weighted choices and Poisson counts with the right means', () => {
    const r = rngFor(7, 1, 0);
    const w = new Weighted([['a', 3], ['b', 1], ['never', 0]] as const);
    let a = 0;
    let total = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = w.pick(r);
      expect(x).not.toBe('never');
      if (x === 'a') a++;
      total += r.poisson(4);
    }
    expect(a / n).toBeCloseTo(0.75, 1);
    expect(total / n).toBeCloseTo(4, 1);
    expect(r.poisson(0)).toBe(0);
  });

  it('hashes strings stably', () => {
    expect(hashString('zhangwei')).toBe(hashString('zhangwei'));
    expect(hashString('zhangwei')).not.toBe(hashString('lina'));
  });
});

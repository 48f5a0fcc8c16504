import { addToBuckets, chinaDay, chinaDayStart, emptyBuckets, mergeBuckets, sumWindow } from '../day-buckets';

describe('day buckets', () => {
  it('counts days in China time: 23:59 and 00:01 Beijing fall on different days', () => {
    const late = Date.parse('2026-11-22T23:59:00+08:00');
    const early = Date.parse('2026-11-23T00:01:00+08:00');
    expect(chinaDay(early) - chinaDay(late)).toBe(1);
    expect(chinaDayStart(early)).toBe(Date.parse('2026-11-23T00:00:00+08:00'));
    expect(chinaDayStart(late)).toBe(Date.parse('2026-11-22T00:00:00+08:00'));
  });

  it('sums a window that includes today and ends N-1 days back', () => {
    const b = emptyBuckets();
    addToBuckets(b, 100, 1, 30, 180);
    addToBuckets(b, 94, 2, 0, 180);
    addToBuckets(b, 93, 5, 60, 180);
    expect(sumWindow(b, 100, 7)).toEqual({ count: 3, measure: 30, days: 2 });
    expect(sumWindow(b, 100, 8)).toEqual({ count: 8, measure: 90, days: 3 });
    expect(sumWindow(b, 99, 7)).toEqual({ count: 7, measure: 60, days: 2 });
  });

  it('keeps days sorted when events arrive out of order, and adds up a repeated day', () => {
    const b = emptyBuckets();
    for (const d of [10, 5, 7, 5, 12, 6]) addToBuckets(b, d, 1, d, 180);
    // [day, count, measure] triples
    expect(b).toEqual([5, 2, 10, 6, 1, 6, 7, 1, 7, 10, 1, 10, 12, 1, 12]);
  });

  it('drops days past the retention and ignores events that old', () => {
    const b = emptyBuckets();
    addToBuckets(b, 1, 1, 0, 30);
    addToBuckets(b, 30, 1, 0, 30);
    expect(b).toEqual([1, 1, 0, 30, 1, 0]);
    addToBuckets(b, 31, 1, 0, 30);
    expect(b).toEqual([30, 1, 0, 31, 1, 0]);
    expect(addToBuckets(b, 1, 1, 0, 30)).toBe(false);
    expect(b).toEqual([30, 1, 0, 31, 1, 0]);
  });

  it('merges two customers’ counters day by day', () => {
    const a = emptyBuckets();
    const b = emptyBuckets();
    addToBuckets(a, 10, 1, 0, 180);
    addToBuckets(b, 10, 2, 5, 180);
    addToBuckets(b, 11, 1, 0, 180);
    mergeBuckets(a, b, 180);
    expect(a).toEqual([10, 3, 5, 11, 1, 0]);
  });
});

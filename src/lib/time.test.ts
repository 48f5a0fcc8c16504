import { formatRelative, formatTimeRange } from './time';

// Local wall-clock times, so the expectations hold in any time zone.
const at = (d: number, h: number, m = 0) => new Date(2026, 10, d, h, m).getTime();
const now = at(23, 15, 0);

test.each([
  [now - 20_000, '刚刚'],
  [now - 25 * 60_000, '25分钟前'],
  [at(23, 12, 0), '3小时前'],
  [at(23, 1, 30), '今天 01:30'],
  [at(22, 14, 20), '昨天 14:20'],
  [at(3, 9, 5), '11月3日 09:05'],
  [new Date(2025, 10, 3).getTime(), '2025年11月3日'],
])('%s reads as %s', (time, expected) => {
  expect(formatRelative(time, now)).toBe(expected);
});

test('an event on one day shows the date, weekday and both times', () => {
  expect(formatTimeRange(at(29, 9, 30), at(29, 17, 0))).toBe('2026年11月29日 周日 09:30 – 17:00');
});

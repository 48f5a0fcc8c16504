import { visibleRows } from './lead-list-window';

const base = { viewport: 720, rowPx: 90, overscan: 3 };

test('at the top only the first screens of rows render', () => {
  expect(visibleRows({ ...base, scrollTop: 0, count: 5000 })).toEqual({ start: 0, end: 11, rowPx: 90 });
});

test('deep in a list of 5,000 the rendered rows stay few and cover the screen', () => {
  const scrollTop = 300_000;
  const w = visibleRows({ ...base, scrollTop, count: 5000 });
  expect(w.end - w.start).toBeLessThanOrEqual(2 * Math.ceil(720 / 90) + 2 * 3 + 1);
  // Whatever the list's offset below the filters (within one screen), the screen's rows are in.
  for (const listTop of [0, 200, 720]) {
    expect(w.start).toBeLessThanOrEqual(Math.floor((scrollTop - listTop) / 90));
    expect(w.end).toBeGreaterThanOrEqual(Math.ceil((scrollTop - listTop + 720) / 90));
  }
});

test('never past the end of the list', () => {
  expect(visibleRows({ ...base, scrollTop: 1_000_000, count: 50 })).toEqual({ start: 50, end: 50, rowPx: 90 });
  expect(visibleRows({ ...base, scrollTop: 0, count: 4 })).toEqual({ start: 0, end: 4, rowPx: 90 });
});

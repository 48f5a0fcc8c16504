/**
 * Time windows as ranges of China days (`chinaDay`: days since 1970-01-01 in UTC+8). Every
 * window ends today (events dated after today are not counted yet) and reaches back at most
 * `MAX_LOOKBACK_DAYS`, today included; `ever` has no range.
 */
import { MAX_LOOKBACK_DAYS, type TimeWindow } from '../../../types/audience';
import { DAY } from '../events/day-buckets';

/** Inclusive; empty when `from > to`. */
export interface DayRange {
  from: number;
  to: number;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China day of a calendar date `YYYY-MM-DD`. */
export function dayOfDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

/** `YYYY-MM-DD` of a China day. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** Epoch ms of 00:00 China time on `day`. */
export function dayStartMs(day: number): number {
  return day * DAY - CHINA_OFFSET_MS;
}

// Month and quarter starts of the last day asked for: every event of a batch asks for the same day.
let memoDay = Number.NaN;
let memoMonth = 0;
let memoQuarter = 0;
let memoNextMonth = 0;
let memoNextQuarter = 0;

function periods(day: number): void {
  if (day === memoDay) return;
  const d = new Date(day * DAY);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const q = m - (m % 3);
  memoMonth = Date.UTC(y, m, 1) / DAY;
  memoQuarter = Date.UTC(y, q, 1) / DAY;
  memoNextMonth = Date.UTC(y, m + 1, 1) / DAY;
  memoNextQuarter = Date.UTC(y, q + 3, 1) / DAY;
  memoDay = day;
}

/** First day of the China calendar month or quarter `day` falls in. */
export function periodStart(period: 'month' | 'quarter', day: number): number {
  periods(day);
  return period === 'month' ? memoMonth : memoQuarter;
}

/** First day of the next month or quarter. */
export function nextPeriodStart(period: 'month' | 'quarter', day: number): number {
  periods(day);
  return period === 'month' ? memoNextMonth : memoNextQuarter;
}

/** The oldest day any window may reach on `today`. */
export function lookbackStart(today: number): number {
  return today - MAX_LOOKBACK_DAYS + 1;
}

/** The days a window covers on `today`; `null` for `ever` (every event counted). */
export function windowRange(w: TimeWindow, today: number): DayRange | null {
  switch (w.kind) {
    case 'last':
      return { from: today - w.days + 1, to: today };
    case 'this':
      return { from: periodStart(w.period, today), to: today };
    case 'between':
      return { from: Math.max(dayOfDate(w.from), lookbackStart(today)), to: Math.min(dayOfDate(w.to), today) };
    case 'ever':
      return null;
  }
}

/**
 * The first day after `today` on which the window's count may change with no new event, given
 * the days that hold events (`days[first]`, `days[first + step]`, ... before `stop`, ascending,
 * each with a non-zero count, read through `dayOf`), or undefined when it never will. A day leaves a window as the window slides (`last`, the look-back limit of
 * `between`) or when a new period starts (`this`); a day after today enters when it comes.
 */
export function windowNextChange(w: TimeWindow, today: number, days: ArrayLike<number>, first: number, stop: number, step: number, dayOf: (x: number) => number = (x) => x): number | undefined {
  if (w.kind === 'ever') return undefined;
  const range = windowRange(w, today) as DayRange;
  let next = Number.POSITIVE_INFINITY;
  const start = w.kind === 'between' ? dayOfDate(w.from) : Number.NEGATIVE_INFINITY;
  const end = w.kind === 'between' ? dayOfDate(w.to) : Number.POSITIVE_INFINITY;
  for (let i = first; i < stop; i += step) {
    const d = dayOf(days[i]);
    if (d > today) {
      if (d >= start && d <= end && d < next) next = d;
      continue;
    }
    if (d < range.from || d > range.to) continue;
    // The day is counted now: when does it stop being counted?
    const leaves = w.kind === 'last' ? d + w.days : w.kind === 'this' ? nextPeriodStart(w.period, today) : d + MAX_LOOKBACK_DAYS;
    if (leaves < next) next = leaves;
  }
  return next === Number.POSITIVE_INFINITY ? undefined : next;
}

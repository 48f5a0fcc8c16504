/**
 * When a strategy's sends may go out: between its first and last day, within its time of day,
 * outside its quiet hours (China time, UTC+8). Tasks are due at the first such moment.
 */
import type { SendWindow } from '../../../types/strategy';
import { chinaDayStart, DAY } from '../events/day-buckets';

const MINUTE = 60_000;

/** Minutes after China midnight of `ts`. */
export const minuteOfDay = (ts: number) => Math.floor((ts - chinaDayStart(ts)) / MINUTE);

/** Whether a send may go out at `ts`. */
export function inWindow(w: SendWindow, ts: number): boolean {
  if (ts < w.startAt || ts >= w.endAt + DAY) return false;
  const m = minuteOfDay(ts);
  if (m < w.fromMinute || m >= w.toMinute) return false;
  return !(w.quiet && m >= w.quiet.fromMinute && m < w.quiet.toMinute);
}

/**
 * The first moment at or after `ts` a send may go out, or undefined once the window is over.
 * Candidates are `ts` itself, each day's opening time and the end of quiet hours.
 */
export function nextSlot(w: SendWindow, ts: number): number | undefined {
  if (inWindow(w, ts)) return ts;
  const firstDay = Math.max(chinaDayStart(ts), chinaDayStart(w.startAt));
  for (let day = firstDay; day <= w.endAt; day += DAY) {
    const candidates = [day + w.fromMinute * MINUTE, ...(w.quiet ? [day + w.quiet.toMinute * MINUTE] : [])].filter((t) => t >= ts).sort((a, b) => a - b);
    for (const t of candidates) if (inWindow(w, t)) return t;
  }
  return undefined;
}

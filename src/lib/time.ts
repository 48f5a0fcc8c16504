import { dayjs } from './dayjs';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * When something happened, the way a consultant says it: 刚刚, 5分钟前, 3小时前 (today),
 * 昨天 14:20, 11月3日 09:05 (this year), 2025年11月3日 (older). `now` is passed in so the
 * output is a plain function of its inputs.
 */
export function formatRelative(at: number, now: number): string {
  const diff = now - at;
  const when = dayjs(at);
  const today = dayjs(now).startOf('day');
  if (diff < 0) return when.format('M月D日 HH:mm');
  if (diff < MINUTE) return '刚刚';
  if (diff < HOUR || (diff < 12 * HOUR && !when.isBefore(today))) return when.from(now).replace(/\s+/g, '');
  if (!when.isBefore(today)) return when.format('今天 HH:mm');
  if (!when.isBefore(today.subtract(1, 'day'))) return when.format('昨天 HH:mm');
  if (when.year() === today.year()) return when.format('M月D日 HH:mm');
  return when.format('YYYY年M月D日');
}

/** A calendar date, e.g. 2026年11月3日. */
export function formatDate(at: number): string {
  return dayjs(at).format('YYYY年M月D日');
}

/** An event's time span, e.g. 2026年11月29日 周六 09:30 – 17:00 (end date shown if it differs). */
export function formatTimeRange(startAt: number, endAt: number): string {
  const start = dayjs(startAt);
  const end = dayjs(endAt);
  const startText = start.format('YYYY年M月D日 ddd HH:mm');
  return start.isSame(end, 'day')
    ? `${startText} – ${end.format('HH:mm')}`
    : `${startText} – ${end.format('M月D日 ddd HH:mm')}`;
}

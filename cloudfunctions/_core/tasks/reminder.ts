/**
 * Reminders of 下次跟进 and appointments: which are due to go out, and the WeCom application
 * message that carries one to its consultant. Pure: the timer passes the time in.
 */
import type { TaskDoc } from '../../../types/model';

/** A reminder more than this late (the timer was down, WeCom refused for hours) is dropped: it would only be noise. */
export const REMINDER_STALE_MS = 6 * 3_600_000;
/** A timer run holds the reminders it works on this long; one that died lets the next run take them over. */
export const REMINDER_CLAIM_MS = 2 * 60_000;

export type ReminderTask = Pick<TaskDoc, '_id' | 'kind' | 'title' | 'note' | 'dueAt' | 'remindAt' | 'appointment'>;

/** The earliest `remindAt` still worth a message at `now`. */
export const oldestUseful = (now: number) => now - REMINDER_STALE_MS;

const pad = (n: number) => String(n).padStart(2, '0');

/** 3月17日 15:00, China time. */
function chinaTime(t: number): string {
  const d = new Date(t + 8 * 3_600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * The text the consultant reads in WeCom: what, whom, when, and the note they left. The
 * customer's name only (their own customer's; no phone in a chat message).
 */
export function reminderText(t: ReminderTask, customerName: string): string {
  const what = t.kind === 'appointment' ? (t.appointment === 'test_drive' ? '预约试驾提醒' : '预约到店提醒') : '下次跟进提醒';
  const lines = [`【${what}】${customerName} · ${chinaTime(t.dueAt)}`];
  if (t.note) lines.push(`备注：${t.note}`);
  lines.push('打开销售助手「任务」查看并完成');
  return lines.join('\n');
}

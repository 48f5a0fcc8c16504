/**
 * The `remind` timer: each due reminder of an open task (a 下次跟进 at its time, an appointment
 * an hour ahead) goes to its consultant as a WeCom application message, once.
 *
 * Once, whoever else runs: a run takes a page of due reminders with one conditional update (a
 * random claim and a short lease; a reminder another run holds, or that was sent, does not
 * match), reads back which it got, sends those, and records them sent only while it still holds
 * them. Two runs at once split the page; a run that died mid-way leaves its claim to lapse and
 * the next run takes the reminders over (WeCom's duplicate check catches one sent just before the
 * crash). Done tasks never match (`status: 'open'`). The due reminders are the queue and the query
 * is the cursor, so a backlog (the timer was down) drains page by page within the run's budget
 * and continues on the next minute; reminders hours late are dropped instead of sent.
 */
import { randomBytes } from 'node:crypto';
import type { TaskDoc } from '../../types/model';
import { oldestUseful, REMINDER_CLAIM_MS, reminderText } from '../_core/tasks/reminder';
import { inParallel } from '../_core/parallel';
import type { SliceBudget } from '../_core/jobs/job';
import { stopwatch } from './clock';
import { ApiError } from './errors';
import { customerRepo } from './repo/customers';
import { staffRepo } from './repo/staff';
import { taskRepo } from './repo/tasks';
import { sendAppMessage, wecomSettings, type WecomSettings } from './wecom';

const PAGE = 100;
/** WeCom app messages sent at once. */
const CONCURRENCY = 4;

export interface ReminderRun {
  sent: number;
  dropped: number;
  /** Held by another run, or failed at WeCom (retried when the claim lapses). */
  left: number;
}

function settingsOrNone(): WecomSettings | undefined {
  try {
    return wecomSettings();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NOT_AVAILABLE') return undefined;
    throw e;
  }
}

export async function sendDueReminders(now: number, budget: SliceBudget): Promise<ReminderRun> {
  const run: ReminderRun = { sent: 0, dropped: 0, left: 0 };
  const settings = settingsOrNone();
  // Without WeCom there is nowhere to remind; the reminders wait, and the inbox still shows the task.
  if (!settings) return run;
  const elapsed = stopwatch();
  const claim = randomBytes(9).toString('base64url');
  for (;;) {
    const due = await taskRepo.dueReminders(now, PAGE);
    if (!due.length) break;
    await taskRepo.claimReminders(due.map((t) => t._id), claim, now, now + REMINDER_CLAIM_MS);
    const held = new Set(await taskRepo.heldBy(due.map((t) => t._id), claim));
    const mine = due.filter((t) => held.has(t._id));
    run.left += due.length - mine.length;
    const stale = mine.filter((t) => (t.remindAt ?? t.dueAt) < oldestUseful(now));
    const fresh = mine.filter((t) => (t.remindAt ?? t.dueAt) >= oldestUseful(now));
    const outcome = await remind(settings, fresh, now);
    const dropped = [...stale.map((t) => t._id), ...outcome.unreachable];
    await Promise.all([
      outcome.sent.length ? taskRepo.settleReminders(outcome.sent, claim, 'sent', now) : undefined,
      dropped.length ? taskRepo.settleReminders(dropped, claim, 'dropped', now) : undefined,
    ]);
    run.sent += outcome.sent.length;
    run.dropped += dropped.length;
    run.left += outcome.failed;
    if (due.length < PAGE || run.sent + run.dropped >= budget.maxItems || elapsed() > budget.softMs / 2) break;
    // Nothing of this page could be taken or sent: another run is on it, or WeCom is down.
    if (!outcome.sent.length && !dropped.length) break;
  }
  return run;
}

async function remind(settings: WecomSettings, tasks: readonly TaskDoc[], now: number): Promise<{ sent: string[]; unreachable: string[]; failed: number }> {
  if (!tasks.length) return { sent: [], unreachable: [], failed: 0 };
  const [customers, staff] = await Promise.all([customerRepo.getMany([...new Set(tasks.map((t) => t.customerId))]), staffRepo.getMany([...new Set(tasks.map((t) => t.ownerId))])]);
  const names = new Map(customers.map((c) => [c._id, c.name]));
  const userIds = new Map(staff.filter((s) => s.active !== false && s.wecomUserId).map((s) => [s._id, s.wecomUserId]));
  const sent: string[] = [];
  const unreachable: string[] = [];
  let failed = 0;
  await inParallel(tasks, CONCURRENCY, async (t) => {
    const to = userIds.get(t.ownerId);
    if (!to) return void unreachable.push(t._id);
    try {
      const r = await sendAppMessage(settings, now, to, reminderText(t, names.get(t.customerId) ?? '客户'));
      (r.delivered ? sent : unreachable).push(t._id);
    } catch (e) {
      // WeCom down or refusing: the claim lapses and a later run tries again (until it is stale).
      if (!(e instanceof ApiError && e.code === 'UPSTREAM')) throw e;
      failed++;
    }
  });
  return { sent, unreachable, failed };
}

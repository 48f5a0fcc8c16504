/**
 * tasks: the consultant's 任务 inbox. Stored tasks (下次跟进, appointments, strategy and
 * reaction-rule tasks, made through `_lib/tasks.ts`) and the leads awaiting their first contact
 * (derived from the SLA, not stored), grouped by due time and by strategy (`_core/tasks`).
 */
import type { TaskView } from '../../types/api';
import type { TaskDoc } from '../../types/model';
import { action, defineFunction } from '../_lib/entry';
import { sendDueReminders } from '../_lib/reminders';
import { sliceBudget } from '../_core/jobs/job';
import config from './config.json';
import { ApiError } from '../_lib/errors';
import { customerInScope, noSuchCustomer } from '../_lib/scope';
import { createTasks } from '../_lib/tasks';
import { customerRepo, type AwaitingContactRow } from '../_lib/repo/customers';
import { taskRepo } from '../_lib/repo/tasks';
import { DEFAULT_POLICY } from '../_core/allocation/policy';
import { formatSpan, slaStatus } from '../_core/allocation/sla';
import { chinaDayStart, DAY } from '../_core/events/day-buckets';
import { maskPhone } from '../_core/mask';
import { dueLabel, firstContactEntries, groupsByStrategy, sectionsByDue, type InboxEntry } from '../_core/tasks/inbox';
import { appointmentCompletesOn } from '../_core/tasks/triggers';

/** The inbox looks this far ahead (之后 shows the rest of the week). */
const HORIZON_DAYS = 7;
/** A 下次跟进 or appointment is set within this many days. */
const SCHEDULE_DAYS = 90;

type Named = { _id: string; name: string; identities?: { phone?: string } };

function deadlineOf(c: AwaitingContactRow): number {
  const due = c.oem?.lead?.firstContactDueAt;
  return slaStatus({ assignedAt: c.assignedAt, ...(c.grade ? { grade: c.grade } : {}), ...(due !== undefined && due > c.assignedAt ? { dueAt: due } : {}) }, 0, DEFAULT_POLICY).deadline;
}

function toView(e: InboxEntry & { doc?: TaskDoc; sla?: string }, customer: Named | undefined, now: number): TaskView {
  const d = e.doc;
  return {
    id: e.id,
    kind: e.kind,
    title: d?.title ?? '首次联系',
    ...(d?.note ? { note: d.note } : e.sla ? { note: e.sla } : {}),
    dueAt: e.dueAt,
    dueLabel: dueLabel(e.dueAt, now, formatSpan),
    status: e.status,
    customer: { id: e.customerId, name: customer?.name ?? '客户', phoneMasked: maskPhone(customer?.identities?.phone) },
    ...(d?.strategyId ? { strategy: { id: d.strategyId, name: d.strategyName ?? '营销策略' } } : {}),
    ...(d?.materialId ? { materialId: d.materialId } : {}),
    ...(d?.skipReason ? { skipReason: d.skipReason } : {}),
    ...(e.derived ? { derived: true as const } : {}),
    ...(d?.remindState === 'sent' && d.remindedAt ? { remindedAt: d.remindedAt } : {}),
  };
}

const inboxEntry = (t: TaskDoc): InboxEntry & { doc: TaskDoc } => ({
  id: t._id,
  kind: t.kind,
  customerId: t.customerId,
  dueAt: t.dueAt,
  status: t.status === 'skipped' ? 'skipped' : 'open',
  ...(t.strategyId ? { strategyId: t.strategyId, strategyName: t.strategyName } : {}),
  doc: t,
});

export const main = defineFunction(
  'tasks',
  {
  inbox: action(['consultant'], async (_p, { caller, now }) => {
    const until = chinaDayStart(now) + HORIZON_DAYS * DAY;
    const [stored, awaiting, doneToday] = await Promise.all([taskRepo.inbox(caller.staffId, until), customerRepo.awaitingFirstContact(caller.storeId, caller.staffId), taskRepo.doneSince(caller.staffId, chinaDayStart(now))]);
    const firstContacts = firstContactEntries(awaiting.map((c) => ({ _id: c._id, assignedAt: c.assignedAt, deadline: deadlineOf(c) }))).filter((e) => e.dueAt < until);
    const customerIds = [...new Set(stored.map((t) => t.customerId))];
    const names = new Map<string, Named>(awaiting.map((c) => [c._id, c as Named]));
    const missing = customerIds.filter((id) => !names.has(id));
    for (const c of await customerRepo.getMany(missing)) names.set(c._id, c);
    const entries: (InboxEntry & { doc?: TaskDoc })[] = [...stored.map(inboxEntry), ...firstContacts];
    const view = (e: InboxEntry & { doc?: TaskDoc }) => toView(e, names.get(e.customerId), now);
    const byDue = sectionsByDue(entries, now).map((s) => ({ key: s.key, title: s.title, items: s.items.map(view) }));
    const byStrategy = groupsByStrategy(entries).map((g) => ({ ...(g.strategyId ? { strategyId: g.strategyId } : {}), name: g.name, items: g.items.map(view) }));
    return {
      byDue,
      byStrategy,
      open: entries.filter((e) => e.status === 'open').length,
      overdue: entries.filter((e) => e.status === 'open' && e.dueAt < now).length,
      doneToday,
    };
  }),

  complete: action(['consultant'], async ({ taskId }, { caller, now }) => {
    const [t] = await taskRepo.getMany([taskId]);
    // Another consultant's task reads exactly like one that does not exist.
    if (!t || t.ownerId !== caller.staffId || t.storeId !== caller.storeId) throw new ApiError('NOT_FOUND', 'taskId: no such task', [{ field: 'taskId', message: 'no such task' }]);
    if (t.status === 'done' || t.status === 'cancelled') return { taskId, done: false };
    const changed = await taskRepo.complete([taskId], caller.staffId, now);
    return { taskId, done: changed === 1 };
  }),

  schedule: action(['consultant'], async (p, { caller, now }) => {
    if (p.at < now - 5 * 60_000 || p.at > now + SCHEDULE_DAYS * DAY) {
      throw new ApiError('INVALID_INPUT', `at: must be between now and ${SCHEDULE_DAYS} days ahead`, [{ field: 'at', message: `must be between now and ${SCHEDULE_DAYS} days ahead` }]);
    }
    const c = await customerInScope(caller, p.customerId);
    if (c.ownerId !== caller.staffId) throw noSuchCustomer();
    const appointment = p.kind === 'appointment' ? p.appointment : undefined;
    const title = appointment ? (appointment === 'test_drive' ? '预约试驾' : '预约到店') : '下次跟进';
    // The client's id, kept apart from derived ids so it can never name another kind of task.
    const id = `own/${caller.staffId}/${p.taskId}`;
    const [existing] = await taskRepo.getMany([id]);
    if (existing && existing.customerId !== c._id) throw new ApiError('CONFLICT', `taskId: ${p.taskId} was used for another task`);
    if (!existing) {
      await createTasks(
        [
          {
            _id: id,
            storeId: c.storeId,
            ownerId: caller.staffId,
            customerId: c._id,
            kind: p.kind,
            title,
            ...(p.note ? { note: p.note } : {}),
            dueAt: p.at,
            // Reminded an hour ahead of an appointment; a 下次跟进 at its time.
            remindAt: appointment ? p.at - 3_600_000 : p.at,
            remindState: 'due',
            remindClaimUntil: 0,
            ...(appointment ? { appointment, completesOn: appointmentCompletesOn(appointment) } : {}),
          },
        ],
        now,
      );
    }
    const [saved] = await taskRepo.getMany([id]);
    return toView(inboxEntry(saved), c, now);
  }),
},
  {
    timers: {
      // Every minute: the reminders due now go to their consultants' WeCom, once each.
      remind: (now) => sendDueReminders(now, sliceBudget(config.timeout)),
    },
  },
);

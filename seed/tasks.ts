/**
 * The demo's 任务 inbox: a deterministic handful of stored tasks per consultant, made from the
 * customer alone (so a range of customers generates the same tasks in any worker): 下次跟进 for
 * today and tomorrow, a few overdue, appointments (test drives, visits) today and tomorrow, and
 * each store's event invitation issued as a strategy to customers interested in its model line.
 * First contacts are not stored: the inbox derives them from the leads' SLA.
 */
import type { CustomerDoc, TaskDoc } from '../types/model';
import { DEFAULT_COMPLETES_ON, appointmentCompletesOn, withTriggers } from '../cloudfunctions/_core/tasks/triggers';
import { modelById } from '../cloudfunctions/_core/catalog/models';
import { dayStart, storeMaterialId } from './content';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Each store's event, issued as a strategy to its consultants' customers interested in the line. */
const STRATEGIES: Record<string, { id: string; name: string; line: string; activityId: string }> = {
  'store-sh-pudong': { id: 'st-pd-suv-weekend', name: 'SUV 试驾周末邀约', line: 'SUV', activityId: 'act-suv-weekend' },
  'store-sh-jiading': { id: 'st-jd-mpv-day', name: '御宸商务品鉴日邀约', line: 'MPV', activityId: 'act-mpv-day' },
  'store-sz-sip': { id: 'st-sz-nev-tasting', name: '新能源品鉴会邀约', line: 'NEV', activityId: 'act-nev-tasting' },
};

const FOLLOW_UP_NOTES = ['确认周末是否到店试驾', '发送置换补贴测算', '回访试驾感受，约第二次到店', '了解家人意见，推荐七座版', '跟进贷款方案审批进度'];

function task(c: CustomerDoc, kind: TaskDoc['kind'], suffix: string, fields: Partial<TaskDoc> & Pick<TaskDoc, 'title' | 'dueAt'>, now: number): TaskDoc {
  return {
    _id: `seed/${suffix}/${c._id}`,
    storeId: c.storeId,
    ownerId: c.ownerId!,
    customerId: c._id,
    kind,
    status: 'open',
    createdAt: now - 2 * DAY,
    ...fields,
    ...(fields.completesOn ? {} : DEFAULT_COMPLETES_ON[kind].length ? { completesOn: DEFAULT_COMPLETES_ON[kind] } : {}),
    // A reminder already past went out at its time (the inbox shows 已提醒); the rest wait for the timer.
    ...(fields.remindAt === undefined ? {} : fields.remindAt <= now ? { remindState: 'sent' as const, remindedAt: fields.remindAt, remindClaimUntil: 0 } : { remindState: 'due' as const, remindClaimUntil: 0 }),
  };
}

/** The demo tasks of the customer with this index (none for pool customers). */
export function demoTasksFor(c: CustomerDoc, index: number, now: number): TaskDoc[] {
  if (!c.ownerId || c.stage === 'owner') return [];
  const today = dayStart(now);
  const out: TaskDoc[] = [];
  const slot = index % 23;
  if (slot === 1) out.push(task(c, 'next_follow_up', 'fu', { title: '下次跟进', note: FOLLOW_UP_NOTES[index % FOLLOW_UP_NOTES.length], dueAt: today + 15 * HOUR, remindAt: today + 15 * HOUR }, now));
  if (slot === 5) out.push(task(c, 'next_follow_up', 'fu', { title: '下次跟进', note: FOLLOW_UP_NOTES[index % FOLLOW_UP_NOTES.length], dueAt: today + DAY + 10 * HOUR, remindAt: today + DAY + 10 * HOUR }, now));
  if (slot === 9) out.push(task(c, 'next_follow_up', 'fu', { title: '下次跟进', note: FOLLOW_UP_NOTES[index % FOLLOW_UP_NOTES.length], dueAt: today - DAY + 16 * HOUR, remindAt: today - DAY + 16 * HOUR }, now));
  if (slot === 13 || slot === 17) {
    const what = slot === 13 ? 'test_drive' : 'store_visit';
    const dueAt = today + (slot === 13 ? 16 : DAY + 11) * HOUR;
    out.push(task(c, 'appointment', 'appt', { title: what === 'test_drive' ? '预约试驾' : '预约到店', appointment: what, dueAt, remindAt: dueAt - HOUR, completesOn: appointmentCompletesOn(what) }, now));
  }
  const strategy = STRATEGIES[c.storeId];
  const interested = c.vehiclesOfInterest.some((v) => modelById(v.modelId)?.line === strategy?.line);
  if (strategy && interested && index % 4 === 2) {
    out.push(
      task(c, 'strategy_send', strategy.id, {
        title: `邀约参加${strategy.name.replace(/邀约$/, '')}`,
        dueAt: today + 18 * HOUR,
        strategyId: strategy.id,
        strategyName: strategy.name,
        materialId: storeMaterialId(c.storeId, 'i1'),
        activityId: strategy.activityId,
      }, now),
    );
  }
  return out;
}

/** The customer with its open-task marker, for the tasks it was given. */
export function withTaskMarker(c: CustomerDoc, tasks: readonly TaskDoc[]): CustomerDoc {
  const triggers = tasks.flatMap((t) => t.completesOn ?? []);
  return triggers.length ? { ...c, openTaskOn: withTriggers(undefined, triggers), taskMarkSeq: 1 } : c;
}

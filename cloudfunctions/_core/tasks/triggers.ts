/**
 * Tasks that complete by themselves: a task lists what completes it (`completesOn`: event types,
 * or `send`), the customer carries the union of its open tasks' triggers (`openTaskOn`), and an
 * event or send looks tasks up only when its type is in that marker. Pure rules, time passed in.
 */
import type { TaskDoc, TaskKind, TouchpointType } from '../../../types/model';

export type Trigger = TouchpointType | 'send';

/** What completes each kind of task unless the task says otherwise. */
export const DEFAULT_COMPLETES_ON: Readonly<Record<TaskKind, Trigger[]>> = {
  first_contact: [],
  // A 下次跟进 is done once the consultant calls or writes to the customer.
  next_follow_up: ['call', 'wecom_chat'],
  appointment: [],
  strategy_send: ['send'],
  reaction_call: ['call'],
  care: ['send', 'call'],
};

/** An appointment is done when the customer came for it. */
export function appointmentCompletesOn(what: 'test_drive' | 'store_visit'): Trigger[] {
  return what === 'test_drive' ? ['test_drive'] : ['store_visit', 'test_drive'];
}

/** The marker after adding triggers (same array when nothing is new). */
export function withTriggers(marker: readonly Trigger[] | undefined, add: readonly Trigger[]): Trigger[] {
  const set = new Set(marker ?? []);
  const before = set.size;
  for (const t of add) set.add(t);
  return set.size === before && marker ? [...marker] : [...set].sort();
}

/** Whether any of these triggers may complete one of the customer's open tasks. */
export function markerMatches(marker: readonly Trigger[] | undefined, arrived: readonly Trigger[]): boolean {
  if (!marker?.length) return false;
  return arrived.some((t) => marker.includes(t));
}

/** What arrived for the customer: event types, or a send of a material. */
export interface Arrival {
  trigger: Trigger;
  /** A send: the material sent (a task for another material stays open). */
  materialId?: string;
  /** A send made for this very task. */
  taskId?: string;
  /** The send itself, kept on the tasks it completes. */
  sendId?: string;
  at: number;
}

/** The open tasks these arrivals complete. */
export function completedBy<T extends Pick<TaskDoc, '_id' | 'status' | 'completesOn' | 'materialId' | 'createdAt'>>(tasks: readonly T[], arrivals: readonly Arrival[]): T[] {
  return tasks.filter(
    (t) =>
      t.status === 'open' &&
      arrivals.some((a) => {
        if (a.taskId === t._id) return true;
        if (!t.completesOn?.includes(a.trigger)) return false;
        // Only what happened after the task was made answers it.
        if (a.at < t.createdAt) return false;
        return a.trigger !== 'send' || !t.materialId || t.materialId === a.materialId;
      }),
  );
}

/** The marker that the remaining open tasks need. */
export function markerOf(tasks: readonly Pick<TaskDoc, 'status' | 'completesOn'>[]): Trigger[] {
  return withTriggers([], tasks.filter((t) => t.status === 'open').flatMap((t) => t.completesOn ?? []));
}

/**
 * Tasks in the consultants' 任务 inbox: made in bulk (a strategy issuing a send to hundreds of
 * customers, a reaction rule, a consultant's 下次跟进), completed with one tap, or by themselves
 * when what they wait for arrives for their customer (`completesOn`).
 *
 * What makes completion cheap: the customer carries `openTaskOn`, the union of its open tasks'
 * triggers. The pipeline (every event) and the send's transaction (every send) read the customer
 * anyway; only when what arrived is in the marker do they look the tasks up (one query), so a
 * customer without open tasks costs nothing extra. The marker is added after the tasks are
 * stored and shrunk only conditionally on `taskMarkSeq`, so it never loses a trigger that an open
 * task needs (see `types/model.ts`).
 */
import type { TaskDoc, TaskKind, TouchpointType } from '../../types/model';
import { completedBy, DEFAULT_COMPLETES_ON, markerMatches, markerOf, type Arrival, type Trigger } from '../_core/tasks/triggers';
import { customerRepo } from './repo/customers';
import { taskRepo } from './repo/tasks';

/** What a caller gives to make a task; the id must be derived from what made it (so making it again is a no-op). */
export type NewTask = Omit<TaskDoc, 'status' | 'createdAt' | 'completesOn'> & { completesOn?: Trigger[] };

export interface CreatedTasks {
  /** Ids stored by this call. */
  created: string[];
  /** Ids that existed already (made by an earlier call): left as they are. */
  existing: string[];
}

/**
 * Creates tasks in bulk (for the strategy helper: issue a strategy as one call). Each task's
 * `completesOn` defaults by kind. The caller has checked that each customer is the owner's and
 * in the store. Round trips: the inserts (200 per request, 4 at once) plus one marker update per
 * distinct trigger and 100 customers.
 */
export async function createTasks(tasks: readonly NewTask[], now: number): Promise<CreatedTasks> {
  const docs: TaskDoc[] = tasks.map((t) => {
    const completesOn = t.completesOn ?? DEFAULT_COMPLETES_ON[t.kind as TaskKind];
    return { ...t, status: 'open', createdAt: now, ...(completesOn.length ? { completesOn } : {}) };
  });
  const taken = await taskRepo.insertMany(docs);
  const byTrigger = new Map<string, string[]>();
  for (const d of docs) {
    if (taken.has(d._id)) continue;
    for (const trigger of d.completesOn ?? []) {
      const list = byTrigger.get(trigger) ?? [];
      if (!list.includes(d.customerId)) list.push(d.customerId);
      byTrigger.set(trigger, list);
    }
  }
  if (byTrigger.size) await customerRepo.addTaskTriggers(byTrigger);
  return { created: docs.filter((d) => !taken.has(d._id)).map((d) => d._id), existing: [...taken.keys()] };
}

/** The customer as it stood when something arrived: its marker and the marker's sequence. */
export interface MarkedCustomer {
  _id: string;
  openTaskOn?: (TouchpointType | 'send')[];
  taskMarkSeq?: number;
}

/**
 * Completes the customer's open tasks that these arrivals answer (`system` did it), then shrinks
 * the marker to what the remaining open tasks need. `c` must have been read before this runs
 * (its `taskMarkSeq` guards the shrink). Returns the ids completed.
 */
export async function completeOnArrivals(c: MarkedCustomer, arrivals: readonly Arrival[], now: number, by = 'system'): Promise<string[]> {
  const explicit = arrivals.some((a) => a.taskId);
  if (!explicit && !markerMatches(c.openTaskOn, arrivals.map((a) => a.trigger))) return [];
  const open = await taskRepo.openOf(c._id);
  const done = completedBy(open, arrivals);
  if (done.length) {
    const sendId = arrivals.find((a) => a.sendId)?.sendId;
    await taskRepo.complete(done.map((t) => t._id), by, now, sendId ? { sendId } : {});
  }
  const doneIds = new Set(done.map((t) => t._id));
  const marker = markerOf(open.filter((t) => !doneIds.has(t._id)));
  // Only worth a write when the marker shrinks; a lost race leaves a harmless superset.
  if (marker.length < (c.openTaskOn?.length ?? 0)) await customerRepo.setTaskMarker(c._id, c.taskMarkSeq, marker);
  return done.map((t) => t._id);
}

/**
 * The consultants' tasks (`tasks`). Written by `_lib/tasks.ts` (creation, completion) and by
 * the send's transaction; read here for the inbox.
 */
import { Collections, type TaskDoc } from '../../../types/model';
import { byIds, db, _, insertMany, rows, updateByIds } from '../cloud';

const tasks = () => db.collection(Collections.tasks);

/** An inbox never needs more than this many open tasks at once. */
const INBOX_LIMIT = 300;

export const taskRepo = {
  getMany: (ids: readonly string[]) => byIds<TaskDoc>(Collections.tasks, ids),

  /** The consultant's open and skipped tasks due before `until`, soonest first (index `inbox`). */
  inbox(ownerId: string, until: number): Promise<TaskDoc[]> {
    return rows<TaskDoc>(tasks().where({ ownerId, status: _.in(['open', 'skipped']), dueAt: _.lt(until) }).orderBy('dueAt', 'asc').limit(INBOX_LIMIT));
  },

  /** The customer's open tasks (index `customerId`): the few a completion looks at. */
  openOf: (customerId: string) => rows<TaskDoc>(tasks().where({ customerId, status: 'open' }).limit(100)),

  /** Tasks done by this consultant since `since` (the inbox's 今日已完成). */
  async doneSince(ownerId: string, since: number): Promise<number> {
    const res = (await tasks().where({ ownerId, status: 'done', doneAt: _.gte(since) }).count()) as { total: number };
    return res.total;
  },

  /** Inserts tasks under their derived ids; returns the ids that existed already (made before: a no-op). */
  insertMany: (docs: readonly TaskDoc[]) => insertMany<TaskDoc>(Collections.tasks, docs),

  /** Marks these tasks done, only those still open; returns how many changed. */
  complete: (ids: readonly string[], by: string, at: number, extra: Partial<Pick<TaskDoc, 'sendId'>> = {}) =>
    updateByIds(Collections.tasks, ids, { status: 'done', doneAt: at, doneBy: by, skipReason: _.remove(), ...extra }, { status: _.in(['open', 'skipped']) }),

  /**
   * Open tasks whose reminder is due at `now` and nobody holds, earliest first (index
   * `reminders`). Claimed ones drop out, so the query itself is the timer's cursor.
   */
  dueReminders: (now: number, limit: number) =>
    rows<TaskDoc>(
      tasks()
        .where({ status: 'open', remindState: 'due', remindAt: _.lte(now), remindClaimUntil: _.lt(now) })
        .orderBy('remindAt', 'asc')
        .limit(limit),
    ),

  /** Takes these reminders for one timer run (`claim`) until `until`, only those still due and free; re-read to see which it got. */
  claimReminders: (ids: readonly string[], claim: string, now: number, until: number) =>
    updateByIds(Collections.tasks, ids, { remindClaimUntil: until, remindClaim: claim }, { status: 'open', remindState: 'due', remindClaimUntil: _.lt(now) }),

  /** Which of these the run `claim` holds. */
  heldBy: async (ids: readonly string[], claim: string) => (await byIds<TaskDoc & { remindClaim?: string }>(Collections.tasks, ids, ['_id', 'remindClaim'])).filter((t) => t.remindClaim === claim).map((t) => t._id),

  /** Records the reminders the run `claim` sent (or dropped), only while it still holds them. */
  settleReminders: (ids: readonly string[], claim: string, state: 'sent' | 'dropped', at: number) =>
    updateByIds(Collections.tasks, ids, { remindState: state, ...(state === 'sent' ? { remindedAt: at } : {}), remindClaimUntil: 0 }, { remindState: 'due', remindClaim: claim }),

  /** Notes why a send for these tasks was refused; a permanent refusal (no consent) skips them. */
  skip: (ids: readonly string[], reason: string, permanent: boolean, sendId: string) =>
    updateByIds(Collections.tasks, ids, { skipReason: reason, sendId, ...(permanent ? { status: 'skipped' } : {}) }, { status: _.in(['open', 'skipped']) }),
};

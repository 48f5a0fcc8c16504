/**
 * Fixed-window attempt counters (`rateLimits`, `_id` = rule, window and hashed key): one
 * conditional increment per attempt, created on the first attempt of a window.
 */
import { Collections, type RateLimitDoc } from '../../../types/model';
import { addOnce, db, _ } from '../cloud';

const counters = () => db.collection(Collections.rateLimits);

export const rateLimitRepo = {
  /** Adds one attempt if the window still has room; false when it is full or not created yet. */
  async bump(id: string, max: number): Promise<boolean> {
    const res = (await counters().where({ _id: id, count: _.lt(max) }).update({ data: { count: _.inc(1) } })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },
  /** Opens a window with its first attempt; false when another attempt opened it first. */
  open: (doc: RateLimitDoc) => addOnce<RateLimitDoc>(Collections.rateLimits, doc),
  /** Removes the counters of windows that have closed. */
  async sweep(now: number): Promise<number> {
    const res = (await counters().where({ windowEndsAt: _.lt(now) }).remove()) as { stats: { removed: number } };
    return res.stats.removed;
  },
};

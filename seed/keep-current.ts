/**
 * Keeps a demo dealership that was seeded some time ago looking current: a store's event that
 * has ended comes back on the same weekday and hour of a later week (the store runs it again),
 * so the demo's invitations are always upcoming relative to the clock the functions see.
 * Runs at every start of the local stack; a no-op while the events are still ahead.
 */
import { Collections, type ActivityDoc } from '../types/model';
import type { EmbeddedDb } from '../emulator';

const WEEK = 7 * 24 * 3600 * 1000;

/** Whole weeks to move an event that ended at or before `now` so that it ends after `now`. */
export function weeksToCatchUp(endAt: number, now: number): number {
  return endAt > now ? 0 : Math.floor((now - endAt) / WEEK) + 1;
}

export function keepActivitiesUpcoming(db: EmbeddedDb, now: number): number {
  let moved = 0;
  for (const doc of db.select(Collections.activities, {})) {
    const a = doc as unknown as ActivityDoc;
    const weeks = weeksToCatchUp(a.endAt, now);
    if (!weeks) continue;
    db.update(Collections.activities, { _id: a._id }, { $set: { startAt: a.startAt + weeks * WEEK, endAt: a.endAt + weeks * WEEK } }, { multi: false });
    moved++;
  }
  return moved;
}

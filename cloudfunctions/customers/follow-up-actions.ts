/**
 * Follow-ups a consultant records and the consultant's intent grade. A follow-up is one event
 * (its messageId is the event id and the follow-up document id) that goes through the
 * pipeline, so score, stage, SLA and the follow-up list move together; a retried submit finds
 * its document and writes nothing.
 */
import type { FollowUpView } from '../../types/api';
import type { FollowUpDoc, StoredCustomer } from '../../types/model';
import type { ActionTable } from '../_lib/entry';
import { action } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { loadLookups } from '../_lib/lookups';
import { applyEvents } from '../_lib/pipeline';
import { assertInScope, customerInScope, noSuchCustomer } from '../_lib/scope';
import { customerRepo, parseCursor } from '../_lib/repo/customers';
import { eventRepo } from '../_lib/repo/events';
import { followUpRepo } from '../_lib/repo/follow-ups';
import { viewPage } from '../_core/cursor';
import type { Lookups } from '../_core/views';
import { rankKey } from '../_core/allocation/rank';
import { followUpEvent, toFollowUpView, type FollowUpFacts } from '../_core/followups/follow-up';
import { toGradeInfoView } from '../_core/followups/grade-info';
import { effectiveGrade, gradeStateOf, setConsultantGrade } from '../_core/lifecycle/grade';
import { DAY } from '../_core/events/day-buckets';

/** How far back a follow-up may be dated, and the client clock skew tolerated ahead. */
const BACKDATE_DAYS = 7;
const FUTURE_SKEW_MS = 60_000;

function checkAt(at: number | undefined, now: number): number {
  if (at === undefined) return now;
  const issue = (message: string) => new ApiError('INVALID_INPUT', `at: ${message}`, [{ field: 'at', message }]);
  if (at > now + FUTURE_SKEW_MS) throw issue('must not be in the future');
  if (at < now - BACKDATE_DAYS * DAY) throw issue(`must be within the last ${BACKDATE_DAYS} days`);
  return Math.min(at, now);
}

/** A page of follow-ups as the profile lists them (`followUps` and the first screen). */
export const followUpsPage = (list: FollowUpDoc[], limit: number, lookups: Lookups) =>
  viewPage(list, limit, (f) => ({ value: f.at, id: f._id }), (f) => toFollowUpView(f, lookups.staffName));

export const followUpActions: Pick<ActionTable<'customers'>, 'followUps' | 'followUp' | 'setGrade'> = {
  followUps: action(['consultant', 'manager'], async ({ customerId, cursor, limit }, { caller, now }) => {
    const after = parseCursor(cursor);
    const { historyIds } = await assertInScope(caller, customerId);
    const [list, lookups] = await Promise.all([followUpRepo.page(historyIds, after, limit), loadLookups(now)]);
    return followUpsPage(list, limit, lookups);
  }),

  followUp: action(['consultant'], async (params, { caller, now }) => {
    const { customerId: named, messageId, note, at: rawAt, ...facts } = params;
    // Independent reads together: one round trip of latency.
    const [c, lookups, existing] = await Promise.all([customerInScope(caller, named), loadLookups(now), followUpRepo.get(messageId)]);
    if (c.ownerId !== caller.staffId) throw new ApiError('FORBIDDEN', 'customerId: not your customer');
    // A merged-away id stands for its survivor: record on the customer whose scope was checked.
    const customerId = c._id;
    const view = (f: FollowUpDoc): FollowUpView => toFollowUpView(f, lookups.staffName);

    if (existing) {
      if (existing.customerId !== customerId) throw new ApiError('CONFLICT', `messageId: ${messageId} was used for another follow-up`);
      return { followUp: view(existing), created: false };
    }
    const at = checkAt(rawAt, now);
    const event = followUpEvent(facts as FollowUpFacts, { id: messageId, customerId, storeId: c.storeId, staffId: caller.staffId, note, at, receivedAt: now });
    const inserted = await eventRepo.insert(event, { pending: true });
    let applied;
    if (!inserted) {
      // Either our own earlier attempt that crashed before its projection, or a clash with another event's id.
      const [stored] = await eventRepo.getMany([messageId]);
      if (!stored || stored.customerId !== customerId || stored.properties.followUp !== facts.kind) {
        throw new ApiError('CONFLICT', `messageId: ${messageId} is already the id of another event`);
      }
      applied = await applyEvents(customerId, [stored], now, new Map(), c.storeId);
    } else {
      applied = await applyEvents(customerId, [{ ...event, pending: true }], now, new Map(), c.storeId);
    }
    // The transaction that applied the event wrote its follow-up; a concurrent retry may have won it.
    const saved = applied?.followUps.find((f) => f._id === messageId) ?? (await followUpRepo.get(messageId));
    if (!saved) throw new Error(`followUp: ${messageId} was applied but its document is missing`);
    return { followUp: view(saved), created: inserted };
  }),

  setGrade: action(['consultant'], async ({ customerId, grade }, { caller, now }) => {
    const c = await customerInScope(caller, customerId);
    if (c.ownerId !== caller.staffId) throw new ApiError('FORBIDDEN', 'customerId: not your customer');
    const lookups = await loadLookups(now);
    // The live customer's id: an old link to a customer merged away opens (and grades) the survivor.
    const state = await customerRepo.modify<StoredCustomer & { mergedInto?: string }, ReturnType<typeof setConsultantGrade>>(c._id, (current) => {
      // Still the caller's live customer when the transaction reads it.
      if (current.mergedInto || current.ownerId !== caller.staffId) throw noSuchCustomer();
      const gradeInfo = setConsultantGrade(gradeStateOf(current), grade, caller.staffId, now);
      const effective = effectiveGrade(gradeInfo);
      const next: StoredCustomer = { ...current, gradeInfo, rankKey: rankKey(effective, current.score?.total), updatedAt: now };
      if (effective) next.grade = effective;
      else delete next.grade;
      return { next, result: gradeInfo };
    });
    if (!state) throw noSuchCustomer();
    return toGradeInfoView(state, now, lookups.staffName);
  }),
};

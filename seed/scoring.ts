/**
 * The derived fields of a generated customer, computed exactly as the pipeline would have
 * computed them event by event: the scoring state (a replay with the default model), the
 * lifecycle, score, suggested grade, rule tags and rank key (`refreshCustomer`), and the
 * contact fields (phone tail, first contact, the owner's last follow-up).
 *
 * The generator's own grade becomes the consultant's grade only where the model's score
 * agrees within one level: a consultant would not keep an H on a customer the score calls a
 * C, and such a grade would put weakly engaged customers at the top of the ranked list.
 */
import type { AudienceSpecDoc, CustomerDoc, EventDoc, FollowUpDoc, IntentGrade, TagAssignment } from '../types/model';
import { isFirstContact } from '../cloudfunctions/_core/allocation/sla';
import { DAY } from '../cloudfunctions/_core/events/day-buckets';
import { applyLifecycleEvent, initialLifecycle, type LifecycleState } from '../cloudfunctions/_core/lifecycle/stage';
import { GRADE_HORIZON_TAG, GRADES, type GradeState } from '../cloudfunctions/_core/lifecycle/grade';
import { phoneTailOf } from '../cloudfunctions/_core/pipeline/contact-fields';
import { refreshCustomer, type DerivedCustomer } from '../cloudfunctions/_core/scoring/ingest';
import { AUDIENCE_TEMPLATES, rebuildFeatures, specForRules } from '../cloudfunctions/_core/audiences';
import { DEFAULT_MODEL } from '../cloudfunctions/_core/scoring/model';
import { rebuildState, type CustomerState } from '../cloudfunctions/_core/scoring/state';

export type StateDoc = CustomerState & { _id: string };

/** Tags the default model's fit rules read: a refresh that changes them changes the score. */
const FIT_TAGS: ReadonlySet<string> = new Set(
  DEFAULT_MODEL.fit.groups.flatMap((g) => g.rules.flatMap((r) => (r.when.attr === 'tag' ? r.when.anyOf : []))),
);
const HORIZON_TAGS: ReadonlySet<string> = new Set(Object.values(GRADE_HORIZON_TAG));

function fitTagsOf(tags: readonly TagAssignment[]): string {
  return tags
    .filter((t) => FIT_TAGS.has(t.tagId))
    .map((t) => t.tagId)
    .sort()
    .join();
}

/** H=0 ... C=3; no suggestion (a score below C) is one level below C. */
const level = (g: IntentGrade | undefined) => (g ? GRADES.indexOf(g) : GRADES.length);

/**
 * Owned customers who arrived this recently were assigned on arrival: they carry the
 * first-contact SLA and can be recycled. Older history predates assignment records.
 */
export const ASSIGNED_WITHIN_DAYS = 14;

/** `events` in time order. */
/** The counter set of the demo stores: the matches of the two article audiences (templates). */
export const DEMO_AUDIENCE_SPEC = specForRules(AUDIENCE_TEMPLATES.map((t) => t.rule));

/** A demo store's counter set, ready: every seeded customer's features hold it. */
export function demoAudienceSpec(storeId: string, now: number): AudienceSpecDoc {
  const matches = DEMO_AUDIENCE_SPEC.counters.map((c) => c.match);
  return { _id: storeId, sig: DEMO_AUDIENCE_SPEC.sig, matches, readySig: DEMO_AUDIENCE_SPEC.sig, readyMatches: matches, updatedAt: now };
}

export function scoreCustomer(customer: CustomerDoc, events: readonly EventDoc[], followUps: readonly FollowUpDoc[], now: number): { customer: DerivedCustomer; state: StateDoc } {
  let lifecycle: LifecycleState = initialLifecycle('lead');
  let firstContactAt: number | undefined;
  let lastFollowUpAt: number | undefined;
  const owner = customer.ownerId;
  for (const e of events) {
    lifecycle = applyLifecycleEvent(lifecycle, e).state;
    if (!owner) continue;
    // Seeded customers were owned from their first touchpoint on.
    if (firstContactAt === undefined && e.timestamp >= customer.createdAt && isFirstContact(e)) firstContactAt = e.timestamp;
    if (e.staffId === owner && (lastFollowUpAt === undefined || e.timestamp > lastFollowUpAt)) lastFollowUpAt = e.timestamp;
  }
  for (const f of followUps) if (f.staffId === owner && (lastFollowUpAt === undefined || f.at > lastFollowUpAt)) lastFollowUpAt = f.at;
  const state = rebuildState(events, DEFAULT_MODEL);
  const seeded = customer.grade;
  const gradeInfo: GradeState = seeded ? { consultant: { grade: seeded, setAt: customer.lastActivityAt, by: owner ?? 'import' } } : {};
  const base: DerivedCustomer = { ...customer, lifecycle, gradeInfo };
  const tail = phoneTailOf(customer);
  if (tail) base.phoneTail = tail;
  if (firstContactAt !== undefined) base.firstContactAt = firstContactAt;
  if (owner && now - customer.createdAt <= ASSIGNED_WITHIN_DAYS * DAY) base.assignedAt = customer.createdAt;
  if (lastFollowUpAt !== undefined) base.lastFollowUpAt = lastFollowUpAt;
  let refreshed = refreshCustomer(base, state, DEFAULT_MODEL, now);
  // Fit rules read tags that the refresh itself may have just added (e.g. 战败客户): settle them.
  if (fitTagsOf(refreshed.tags) !== fitTagsOf(base.tags)) refreshed = refreshCustomer(refreshed, state, DEFAULT_MODEL, now);
  if (seeded && Math.abs(level(seeded) - level(refreshed.gradeInfo?.suggested?.grade)) > 1) {
    // The score disagrees: the grade is left to the score's suggestion, with the consultant's
    // 购车周期 tag that went with the seeded grade. The score itself does not read the grade.
    const { grade: _dropped, ...rest } = refreshed;
    const tags = rest.tags.filter((t) => t.source === 'rule' || !HORIZON_TAGS.has(t.tagId));
    refreshed = refreshCustomer({ ...rest, tags, gradeInfo: {} }, state, DEFAULT_MODEL, now);
  }
  // The demo stores keep the article audiences' counters from the start, counted as the backfill would.
  const features = rebuildFeatures(events, DEMO_AUDIENCE_SPEC);
  refreshed = { ...refreshed, audienceFeatures: { v: 1, sig: features.sig, ids: [...features.ids], d: features.d } };
  return { customer: refreshed, state: { _id: customer._id, ...state } };
}

/**
 * One event through every derived field of a customer, as the `track` function and the
 * follow-up actions will run it inside one transaction (customer + state): the per-customer
 * state, the profile fields, the lifecycle stage, the score and suggested grade, the rule
 * tags and the ranking key. A repeated event changes nothing. `refreshCustomer` does the
 * same without an event, for the nightly job (windows move on even when nothing happens).
 */
import type { CustomerDoc, DerivedFields, EventDoc } from '../../../types/model';
import { rankKey } from '../allocation/rank';
import { projectEvent } from '../events/project';
import { effectiveGrade, gradeStateOf, setSuggestedGrade } from '../lifecycle/grade';
import { applyLifecycleEvent, replacementIntentAt } from '../lifecycle/stage';
import { applyRuleTags, computeRuleTags } from '../tags/rules';
import type { ScoringModel } from './model';
import { scoreOf, toStoredScore } from './score';
import { applyEvent, type CustomerState } from './state';

export type { DerivedFields };

export type DerivedCustomer = CustomerDoc & DerivedFields;

export type IngestResult<C extends DerivedCustomer> = { duplicate: true } | { duplicate: false; customer: C; state: CustomerState };

/**
 * Score, suggested grade, rule tags and rank key from the current state. A stored grade
 * without `gradeInfo` (data from before it existed) counts as the consultant's.
 */
export function refreshCustomer<C extends DerivedCustomer>(customer: C, state: CustomerState, model: ScoringModel, now: number): C {
  const lifecycle = customer.lifecycle ?? { stage: customer.stage };
  const result = scoreOf(state, customer, model, now);
  const gradeInfo = setSuggestedGrade(gradeStateOf(customer), result.suggestedGrade, result.total, now);
  const grade = effectiveGrade(gradeInfo);
  const computed = computeRuleTags({
    now,
    stage: customer.stage,
    city: customer.city,
    activity: state.activity,
    vehiclesOwned: customer.vehiclesOwned,
    storesVisited: customer.storesVisited,
    score: result.total,
    ...(grade ? { grade } : {}),
    ...(replacementIntentAt(lifecycle, now) !== undefined ? { replacementIntentAt: replacementIntentAt(lifecycle, now) } : {}),
  });
  const tags = applyRuleTags(customer.tags, computed, now).tags;
  const next: C = { ...customer, lifecycle, gradeInfo, score: toStoredScore(result), rankKey: rankKey(grade, result.total), tags };
  if (grade) next.grade = grade;
  else delete next.grade;
  return next;
}

/**
 * Applies one stored event to a customer and their state. `summary` is the event's Chinese
 * one-liner (`describeEvent`), `now` the server clock.
 */
export function ingestEvent<C extends DerivedCustomer>(customer: C, state: CustomerState, event: EventDoc, model: ScoringModel, summary: string, now: number): IngestResult<C> {
  const nextState = applyEvent(state, event, model);
  if (nextState === state) return { duplicate: true };
  const projected = projectEvent(customer, event, summary, now);
  const { state: lifecycle } = applyLifecycleEvent(customer.lifecycle ?? { stage: customer.stage }, event);
  const moved: C = { ...customer, ...projected, lifecycle, stage: lifecycle.stage };
  return { duplicate: false, customer: refreshCustomer(moved, nextState, model, now), state: nextState };
}

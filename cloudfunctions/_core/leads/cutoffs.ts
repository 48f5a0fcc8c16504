/**
 * Policy thresholds turned into per-grade time cutoffs, so the functions can count overdue
 * leads and find leads due for recycling with plain range queries instead of reading every
 * lead. `slaStatus` and `dueForRecycle` stay the judges of a single lead.
 */
import { DAY } from '../events/day-buckets';
import { slaDeadline } from '../allocation/sla';
import type { AllocationPolicy, GradeKey } from '../allocation/policy';

export const GRADE_KEYS: readonly GradeKey[] = ['H', 'A', 'B', 'C', 'none'];

export interface GradeCutoff {
  grade: GradeKey;
  /** Leads of this grade assigned (or last followed up) before this time are past the limit. */
  before: number;
}

/** A lead awaiting first contact is overdue when it was assigned before its grade's cutoff. */
export function slaOverdueCutoffs(now: number, policy: AllocationPolicy): GradeCutoff[] {
  return GRADE_KEYS.map((grade) => ({ grade, before: now - slaDeadline(0, grade === 'none' ? undefined : grade, policy) }));
}

/** A lead is due for recycling when both its assignment and its last follow-up are before the cutoff. */
export function recycleCutoffs(now: number, policy: AllocationPolicy): (GradeCutoff & { days: number })[] {
  return GRADE_KEYS.map((grade) => {
    const days = policy.recycleAfterDays[grade];
    return { grade, days, before: now - days * DAY };
  });
}

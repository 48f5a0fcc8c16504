/** Small Chinese labels on the lead card. */
import type { IntentGrade } from '../../../types/model';
import { gradeKey, type AllocationPolicy } from '../allocation/policy';

export interface RecycledFrom {
  consultantId: string;
  at: number;
  /** Days without follow-up that triggered the recycling (the policy of the lead's grade then). */
  afterDays?: number;
}

/** 7天未跟进，自动回收; older records without the day count fall back to the grade's policy. */
export function recycledLabel(r: RecycledFrom, grade: IntentGrade | undefined, policy: AllocationPolicy): string {
  const days = r.afterDays ?? policy.recycleAfterDays[gradeKey(grade)];
  return `${days}天未跟进，自动回收`;
}

export interface GradeSourceInput {
  grade?: IntentGrade;
  gradeInfo?: { consultant?: unknown; suggested?: unknown };
}

/**
 * Whose grade the card shows. A stored grade without grade info predates scoring and counts
 * as the consultant's (as `refreshCustomer` treats it).
 */
export function gradeSource(c: GradeSourceInput): 'consultant' | 'score' | undefined {
  if (!c.grade) return undefined;
  if (!c.gradeInfo || c.gradeInfo.consultant) return 'consultant';
  return c.gradeInfo.suggested ? 'score' : 'consultant';
}

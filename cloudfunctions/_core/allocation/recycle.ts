/**
 * Automatic return to the pool: a lead whose owner has not followed up for N days (per grade,
 * from the policy) goes back to the store's pool (公海) for others to claim. The clock starts
 * at the later of assignment and the last follow-up. Owners (保客) stay with their consultant:
 * they are served, not chased.
 */
import type { IntentGrade, LifecycleStage } from '../../../types/model';
import { DAY } from '../events/day-buckets';
import { gradeKey, type AllocationPolicy } from './policy';

export interface RecyclableLead {
  ownerId?: string;
  stage: LifecycleStage;
  grade?: IntentGrade;
  /** When the current owner got the lead. */
  assignedAt?: number;
}

export type RecycleDecision = { due: false; dueAt?: number } | { due: true; dueAt: number; reason: string };

export function dueForRecycle(lead: RecyclableLead, lastFollowUpAt: number | undefined, now: number, policy: AllocationPolicy): RecycleDecision {
  if (!lead.ownerId || lead.stage === 'owner' || lead.assignedAt === undefined) return { due: false };
  const days = policy.recycleAfterDays[gradeKey(lead.grade)];
  const since = Math.max(lead.assignedAt, lastFollowUpAt ?? lead.assignedAt);
  const dueAt = since + days * DAY;
  if (now < dueAt) return { due: false, dueAt };
  return { due: true, dueAt, reason: `${days}天未跟进，自动回收到公海` };
}

/**
 * The store's allocation policy and the consultant facts every decision reads. Counts are
 * passed in (the functions count them with indexes); "today" is the China calendar day
 * (`chinaDayStart` in `events/day-buckets`).
 */
import type { IntentGrade, ModelLine, StaffDoc } from '../../../types/model';

export type GradeKey = IntentGrade | 'none';

export interface AllocationPolicy {
  /** Leads a consultant may receive per day, assigned and claimed together. */
  dailyCap: number;
  /** Hours from assignment to the first contact, per grade (none = not graded). */
  slaHours: Record<GradeKey, number>;
  /** "Due soon" when less than this share of the SLA window is left. */
  dueSoonShare: number;
  /** Days without a follow-up before a lead returns to the pool, per grade. */
  recycleAfterDays: Record<GradeKey, number>;
  /** Days a consultant may not claim back a lead that was taken from them for inactivity. */
  reclaimCooldownDays: number;
  /** Most leads one bulk reassignment may move. */
  maxBulk: number;
}

export const DEFAULT_POLICY: AllocationPolicy = {
  dailyCap: 20,
  slaHours: { H: 2, A: 2, B: 24, C: 24, none: 24 },
  dueSoonShare: 0.25,
  recycleAfterDays: { H: 3, A: 5, B: 7, C: 15, none: 7 },
  reclaimCooldownDays: 7,
  maxBulk: 200,
};

export interface ConsultantLoad {
  id: string;
  storeId: string;
  role: StaffDoc['role'];
  active: boolean;
  capacity: number;
  modelLines: ModelLine[];
  /** Leads the consultant owns now. */
  activeLeads: number;
  /** Leads assigned to or claimed by the consultant today. */
  receivedToday: number;
}

export function consultantLoad(staff: Pick<StaffDoc, '_id' | 'storeId' | 'role' | 'active' | 'capacity' | 'modelLines'>, activeLeads: number, receivedToday: number): ConsultantLoad {
  return { id: staff._id, storeId: staff.storeId, role: staff.role, active: staff.active, capacity: staff.capacity, modelLines: staff.modelLines, activeLeads, receivedToday };
}

export function gradeKey(grade: IntentGrade | undefined): GradeKey {
  return grade ?? 'none';
}

/**
 * Dealer intent grade H / A / B / C (H: expected to buy within 7 days, A: 15 days, B: 30 days,
 * C: 3 months). Two opinions are kept side by side: the consultant's (with who set it and
 * when) and the one the score suggests (thresholds live in the scoring model). The grade that
 * lists sort and filter by is the consultant's when there is one, else the suggestion; a
 * consultant's grade whose horizon has passed is still kept but flagged, so the UI can ask
 * the consultant to look again.
 */
import type { GradeState, IntentGrade } from '../../../types/model';
import { GRADE_LABELS, GRADE_MEANINGS, UNGRADED_LABEL } from '../../../types/vocabulary';
import { DAY } from '../events/day-buckets';

export const GRADES: readonly IntentGrade[] = ['H', 'A', 'B', 'C'];
export const GRADE_HORIZON_DAYS: Readonly<Record<IntentGrade, number>> = { H: 7, A: 15, B: 30, C: 90 };
/** Chinese meaning shown beside the letter. */
export { GRADE_MEANINGS };
/** The 购车周期 tag each grade states. */
export const GRADE_HORIZON_TAG: Readonly<Record<IntentGrade, string>> = {
  H: 'intent-horizon-d7',
  A: 'intent-horizon-d15',
  B: 'intent-horizon-d30',
  C: 'intent-horizon-m3',
};

/** Stored on the customer; `CustomerDoc.grade` holds `effectiveGrade` for sorting and filters. */
export type { GradeState };

/** The stored grade state; a bare `grade` (data from before `gradeInfo`) counts as the consultant's. */
export function gradeStateOf(c: { grade?: IntentGrade; updatedAt: number; gradeInfo?: GradeState }): GradeState {
  return c.gradeInfo ?? (c.grade ? { consultant: { grade: c.grade, setAt: c.updatedAt, by: 'import' } } : {});
}

export function isGrade(v: unknown): v is IntentGrade {
  return typeof v === 'string' && (GRADES as readonly string[]).includes(v);
}

/** The consultant grades the customer (or clears the grade with `null`). */
export function setConsultantGrade(s: GradeState, grade: IntentGrade | null, by: string, now: number): GradeState {
  const next: GradeState = { ...s };
  if (grade === null) delete next.consultant;
  else next.consultant = { grade, setAt: now, by };
  return next;
}

/** The score's suggestion (undefined when the score is below grade C). Unchanged input is returned as is. */
export function setSuggestedGrade(s: GradeState, grade: IntentGrade | undefined, score: number, now: number): GradeState {
  if (grade === s.suggested?.grade && score === s.suggested?.score) return s;
  const next: GradeState = { ...s };
  if (grade === undefined) delete next.suggested;
  else next.suggested = { grade, at: now, score };
  return next;
}

export function effectiveGrade(s: GradeState): IntentGrade | undefined {
  return s.consultant?.grade ?? s.suggested?.grade;
}

export interface GradeView {
  grade?: IntentGrade;
  source?: 'consultant' | 'score';
  /** e.g. H级（7天内购车）. */
  label: string;
  consultant?: GradeState['consultant'] & {
    /** When the consultant's expected purchase window ends. */
    dueAt: number;
    /** The window passed without a purchase: worth grading again. */
    overdue: boolean;
  };
  suggested?: GradeState['suggested'];
  /** The score suggests a different grade than the consultant gave. */
  disagree: boolean;
}

export function gradeLabel(grade: IntentGrade | undefined): string {
  return grade ? `${GRADE_LABELS[grade]}（${GRADE_MEANINGS[grade]}）` : UNGRADED_LABEL;
}

export function gradeView(s: GradeState, now: number): GradeView {
  const grade = effectiveGrade(s);
  const view: GradeView = { label: gradeLabel(grade), disagree: !!s.consultant && !!s.suggested && s.consultant.grade !== s.suggested.grade };
  if (grade) {
    view.grade = grade;
    view.source = s.consultant ? 'consultant' : 'score';
  }
  if (s.consultant) {
    const dueAt = s.consultant.setAt + GRADE_HORIZON_DAYS[s.consultant.grade] * DAY;
    view.consultant = { ...s.consultant, dueAt, overdue: now > dueAt };
  }
  if (s.suggested) view.suggested = s.suggested;
  return view;
}

/**
 * The order a consultant works leads in: grade first (H, A, B, C, then ungraded), then
 * score, then the most recent activity. `rankKey` folds grade and score into one number
 * that sorts descending, so lists can page with the keyset cursor (`cursor.ts`) on one
 * indexed field.
 */
import type { IntentGrade } from '../../../types/model';

const GRADE_WEIGHT: Readonly<Record<IntentGrade, number>> = { H: 4, A: 3, B: 2, C: 1 };

/** grade weight * 1000 + score (0-100): H/95 -> 4095, ungraded/80 -> 80. */
export function rankKey(grade: IntentGrade | undefined, score: number | undefined): number {
  const s = Math.max(0, Math.min(100, Math.round(score ?? 0)));
  return (grade ? GRADE_WEIGHT[grade] : 0) * 1000 + s;
}

export interface RankedLead {
  id: string;
  grade?: IntentGrade;
  score?: number;
  lastActivityAt: number;
}

/** Comparator for `Array.prototype.sort`: best lead first, ties by recent activity then id. */
export function compareLeads(a: RankedLead, b: RankedLead): number {
  return rankKey(b.grade, b.score) - rankKey(a.grade, a.score) || b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

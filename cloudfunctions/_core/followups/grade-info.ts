/** The grade as the consultant's screens show it: the effective grade, whose it is, the suggestion. */
import type { GradeInfoView } from '../../../types/api';
import { gradeView, type GradeState } from '../lifecycle/grade';

export function toGradeInfoView(s: GradeState, now: number, staffName: (id: string) => string | undefined): GradeInfoView {
  const v = gradeView(s, now);
  const out: GradeInfoView = { label: v.label };
  if (v.grade) out.grade = v.grade;
  if (v.source) out.source = v.source;
  if (s.suggested) out.suggested = s.suggested.grade;
  if (v.consultant) {
    out.setBy = { name: staffName(v.consultant.by) ?? (v.consultant.by === 'import' ? '历史记录' : '顾问'), at: v.consultant.setAt };
    out.stale = v.consultant.overdue;
  }
  return out;
}

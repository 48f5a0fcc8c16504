/** The grade as the consultant's screens show it: the effective grade, whose it is, the suggestion. */
import type { GradeInfoView } from '../../../types/api';
import type { CustomerDoc } from '../../../types/model';
import { gradeView, type GradeState } from '../lifecycle/grade';

/** The stored grade state; a bare `grade` (data from before `gradeInfo`) counts as the consultant's. */
export function gradeStateOf(c: Pick<CustomerDoc, 'grade' | 'updatedAt'> & { gradeInfo?: GradeState }): GradeState {
  return c.gradeInfo ?? (c.grade ? { consultant: { grade: c.grade, setAt: c.updatedAt, by: 'import' } } : {});
}

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

import { tagById } from '../../catalog/tags';
import { effectiveGrade, GRADE_HORIZON_TAG, gradeLabel, gradeView, isGrade, setConsultantGrade, setSuggestedGrade, type GradeState } from '../grade';

const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const DAY = 86_400_000;

describe('intent grade', () => {
  it('keeps both opinions and prefers the consultant’s', () => {
    let s: GradeState = {};
    s = setSuggestedGrade(s, 'B', 52, NOW);
    expect(gradeView(s, NOW)).toEqual({ grade: 'B', source: 'score', label: 'B级（30天内购车）', suggested: { grade: 'B', at: NOW, score: 52 }, disagree: false });
    s = setConsultantGrade(s, 'H', 'zhangwei', NOW);
    const v = gradeView(s, NOW + DAY);
    expect(v).toMatchObject({ grade: 'H', source: 'consultant', label: 'H级（7天内购车）', disagree: true });
    expect(v.consultant).toEqual({ grade: 'H', setAt: NOW, by: 'zhangwei', dueAt: NOW + 7 * DAY, overdue: false });
    expect(v.suggested?.grade).toBe('B');
  });

  it('flags a consultant grade whose window has passed, but keeps it', () => {
    const s = setConsultantGrade({}, 'A', 'zhangwei', NOW);
    expect(gradeView(s, NOW + 15 * DAY).consultant?.overdue).toBe(false);
    const late = gradeView(s, NOW + 16 * DAY);
    expect(late.grade).toBe('A');
    expect(late.consultant?.overdue).toBe(true);
  });

  it('clearing the consultant grade falls back to the score; no suggestion means 未定级', () => {
    let s = setSuggestedGrade(setConsultantGrade({}, 'C', 'x', NOW), 'A', 70, NOW);
    s = setConsultantGrade(s, null, 'x', NOW);
    expect(effectiveGrade(s)).toBe('A');
    s = setSuggestedGrade(s, undefined, 10, NOW);
    expect(gradeView(s, NOW)).toEqual({ label: '未定级', disagree: false });
    expect(gradeLabel('C')).toBe('C级（3个月内购车）');
  });

  it('returns the same state when the suggestion did not change', () => {
    const s = setSuggestedGrade({}, 'A', 70, NOW);
    expect(setSuggestedGrade(s, 'A', 70, NOW + DAY)).toBe(s);
  });

  it('recognises grades in untrusted input', () => {
    expect(['H', 'A', 'B', 'C'].every(isGrade)).toBe(true);
    expect(isGrade('D')).toBe(false);
    expect(isGrade(undefined)).toBe(false);
  });

  it('maps every grade to a 购车周期 tag', () => {
    for (const id of Object.values(GRADE_HORIZON_TAG)) expect(tagById(id)?.name).toMatch(/购车$/);
  });
});

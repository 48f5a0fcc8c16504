import { ActionSheet } from '@nutui/nutui-react-taro';
import { GRADE_FILTER_OPTIONS, GRADE_LABELS, type GradeInfoView, type IntentGrade } from '@/contract';
import { gradeHint } from '@/lib/labels';
import './profile.scss';

const GRADES = GRADE_FILTER_OPTIONS.flatMap((o) => (o.id === 'none' ? [] : [o.id]));
const CLEAR = 'clear';

interface GradeSheetProps {
  visible: boolean;
  info: GradeInfoView;
  onClose: () => void;
  /** The picked grade, or null for 清除定级. */
  onSet: (grade: IntentGrade | null) => void;
}

/** 设置意向级别: H/A/B/C with their meaning, and 清除定级 for a grade the consultant set. */
export function GradeSheet({ visible, info, onClose, onSet }: GradeSheetProps) {
  const { grade } = info;
  const options = [
    ...GRADES.map((g) => ({ name: GRADE_LABELS[g], description: gradeHint[g], value: g })),
    ...(info.source === 'consultant' ? [{ name: '清除定级', description: '改用评分建议', value: CLEAR, danger: true }] : []),
  ];
  return (
    <ActionSheet
      className='sk-grade-sheet'
      visible={visible}
      title='设置意向级别'
      description={grade ? `当前：${info.label}` : '按预计购车时间定级'}
      options={options}
      cancelText='取消'
      onCancel={onClose}
      onSelect={(item) => onSet(item.value === CLEAR ? null : (item.value as IntentGrade))}
    />
  );
}

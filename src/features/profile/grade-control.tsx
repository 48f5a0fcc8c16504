import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { GRADE_LABELS, UNGRADED_LABEL, type GradeInfoView, type IntentGrade } from '@/contract';
import { gradeTone } from '@/lib/labels';
import '@/styles/tones.scss';
import { GradeSheet } from './grade-sheet-lazy';
import './profile.scss';

interface GradeControlProps {
  info: GradeInfoView;
  /** Only the consultant who works the customer grades them. */
  editable: boolean;
  /** Why the last change was refused, in Chinese. */
  error?: string;
  onSet: (grade: IntentGrade | null) => void;
}

/** The intent grade badge; tapping it offers H/A/B/C with their meaning, or 清除. */
export function GradeControl({ info, editable, error, onSet }: GradeControlProps) {
  const [open, setOpen] = useState(false);
  const { grade } = info;
  const tone = grade ? gradeTone[grade] : 'gray';
  const solid = grade === 'H';
  return (
    <View className='sk-grade'>
      <View
        className={`sk-grade__badge sk-tone${solid ? '-solid' : ''}--${tone}${editable ? ' sk-grade__badge--editable' : ''}`}
        onClick={editable ? () => setOpen(true) : undefined}
      >
        <Text className='sk-grade__letter'>{grade ? GRADE_LABELS[grade] : UNGRADED_LABEL}</Text>
        {editable ? <Text className='sk-grade__caret'>▾</Text> : null}
      </View>
      {grade && info.source === 'score' ? <Text className='sk-grade__note'>评分建议</Text> : null}
      {info.stale ? <Text className='sk-grade__note sk-grade__note--stale'>已过期，请复核</Text> : null}
      {info.source === 'consultant' && info.suggested && info.suggested !== grade ? (
        <Text className='sk-grade__note'>{`评分建议 ${info.suggested}级`}</Text>
      ) : null}
      {error ? <Text className='sk-grade__error'>{`定级未保存：${error}`}</Text> : null}
      {editable ? (
        <GradeSheet
          visible={open}
          info={info}
          onClose={() => setOpen(false)}
          onSet={(next) => {
            setOpen(false);
            onSet(next);
          }}
        />
      ) : null}
    </View>
  );
}

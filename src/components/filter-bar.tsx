import { View, Text } from '@tarojs/components';
import { GRADE_FILTER_OPTIONS, type GradeFilter } from '@/contract';
import { SearchBox } from './search-box';
import './filter-bar.scss';

/** The grade chips in their compact form: the letter alone, the ungraded choice in words. */
const GRADES: readonly { id: GradeFilter; label: string }[] = GRADE_FILTER_OPTIONS.map((o) => ({ id: o.id, label: o.id === 'none' ? o.label : o.id }));

interface FilterBarProps {
  /** What is typed in the search box (the caller debounces it). */
  text: string;
  onText: (text: string) => void;
  grades: GradeFilter[];
  onToggleGrade: (grade: GradeFilter) => void;
  /** How many of the sheet's filters are set (shown on the 筛选 button). */
  sheetCount: number;
  onOpenSheet: () => void;
  /** The filters in force, in words, e.g. 潜客 · 星途揽月; empty when none. */
  summary: string;
  onClearAll: () => void;
}

/** Search, grade chips and the 筛选 button above a leads list. */
export function FilterBar(props: FilterBarProps) {
  const { text, grades, sheetCount, summary } = props;
  return (
    <View className='sk-filters'>
      <SearchBox text={text} onText={props.onText} placeholder='搜索姓名或手机尾号' />
      <View className='sk-filters__row'>
        {GRADES.map((g) => (
          <Text
            key={g.id}
            className={`sk-filters__chip sk-filters__chip--${g.id}${grades.includes(g.id) ? ' sk-filters__chip--on' : ''}`}
            onClick={() => props.onToggleGrade(g.id)}
          >
            {g.label}
          </Text>
        ))}
        <Text className={`sk-filters__more${sheetCount ? ' sk-filters__more--on' : ''}`} onClick={props.onOpenSheet}>
          {sheetCount ? `筛选·${sheetCount}` : '筛选'}
        </Text>
      </View>
      {summary ? (
        <View className='sk-filters__active'>
          <Text className='sk-filters__summary'>{`已筛选：${summary}`}</Text>
          <Text className='sk-filters__clear' onClick={props.onClearAll}>
            清除全部
          </Text>
        </View>
      ) : null}
    </View>
  );
}

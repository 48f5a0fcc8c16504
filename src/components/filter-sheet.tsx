import { View, Text, ScrollView } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import type { FilterOption, LeadFilterOptions, LifecycleStage } from '@/contract';
import { stageLabel } from '@/lib/labels';
import { ActionButton } from './action-button';
import { ErrorState, LoadingState } from './state-view';
import './filter-sheet.scss';

export interface SheetFilters {
  stages: LifecycleStage[];
  tagId?: string;
  modelId?: string;
  channel?: string;
}

interface FilterSheetProps {
  visible: boolean;
  value: SheetFilters;
  options?: LeadFilterOptions;
  status: 'idle' | 'loading' | 'ready' | 'error';
  errorMessage?: string;
  onRetry: () => void;
  /** Each tap applies at once; the list behind reloads. */
  onChange: (patch: Partial<SheetFilters>) => void;
  onClear: () => void;
  onClose: () => void;
}

const STAGES: LifecycleStage[] = ['lead', 'prospect', 'owner'];

function Chip({ label, count, on, onTap }: { label: string; count?: number; on: boolean; onTap: () => void }) {
  return (
    <View className={`sk-sheet-chip${on ? ' sk-sheet-chip--on' : ''}`} onClick={onTap}>
      <Text className='sk-sheet-chip__label'>{label}</Text>
      {count !== undefined ? <Text className='sk-sheet-chip__count'>{String(count)}</Text> : null}
    </View>
  );
}

/** One option at a time: tapping the chosen one again unsets it. */
function SingleChoice({ title, options, value, onPick }: { title: string; options: FilterOption[]; value?: string; onPick: (id?: string) => void }) {
  if (options.length === 0) return null;
  return (
    <View className='sk-sheet__group'>
      <Text className='sk-sheet__title'>{title}</Text>
      <View className='sk-sheet__chips'>
        {options.map((o) => (
          <Chip key={o.id} label={o.name} count={o.count} on={value === o.id} onTap={() => onPick(value === o.id ? undefined : o.id)} />
        ))}
      </View>
    </View>
  );
}

/** The 筛选 sheet: stage, vehicle model, source channel and tag, with how many leads have each. */
export function FilterSheet(props: FilterSheetProps) {
  const { value, options } = props;
  const toggleStage = (s: LifecycleStage) =>
    props.onChange({ stages: value.stages.includes(s) ? value.stages.filter((x) => x !== s) : [...value.stages, s] });
  return (
    <Popup className='sk-sheet' visible={props.visible} position='bottom' round closeable title='筛选线索' onClose={props.onClose}>
      <ScrollView scrollY className='sk-sheet__body'>
        <View className='sk-sheet__group'>
          <Text className='sk-sheet__title'>客户阶段</Text>
          <View className='sk-sheet__chips'>
            {STAGES.map((s) => (
              <Chip key={s} label={stageLabel[s]} on={value.stages.includes(s)} onTap={() => toggleStage(s)} />
            ))}
          </View>
        </View>
        {props.status === 'error' ? (
          <ErrorState title='筛选项加载失败' message={props.errorMessage ?? '请稍后再试'} onRetry={props.onRetry} />
        ) : !options ? (
          <LoadingState rows={1} label='正在加载筛选项…' />
        ) : (
          <View>
            <SingleChoice title='意向车型' options={options.models} value={value.modelId} onPick={(modelId) => props.onChange({ modelId })} />
            <SingleChoice title='来源渠道' options={options.channels} value={value.channel} onPick={(channel) => props.onChange({ channel })} />
            <SingleChoice title='客户标签' options={options.tags} value={value.tagId} onPick={(tagId) => props.onChange({ tagId })} />
          </View>
        )}
      </ScrollView>
      <View className='sk-sheet__foot'>
        <View className='sk-sheet__btn'>
          <ActionButton kind='secondary' block onTap={props.onClear}>
            清除筛选
          </ActionButton>
        </View>
        <View className='sk-sheet__btn'>
          <ActionButton block onTap={props.onClose}>
            查看结果
          </ActionButton>
        </View>
      </View>
    </Popup>
  );
}

import { View, Text, Textarea } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { showToast } from '@/platform/feedback';
import { useScheduleStore, type ScheduleKind } from '@/stores/schedule-store';
import './send.scss';

const SLOTS = [
  { label: '今天下午', slot: { days: 0, hour: 15 } },
  { label: '明天上午', slot: { days: 1, hour: 10 } },
  { label: '明天下午', slot: { days: 1, hour: 15 } },
  { label: '后天上午', slot: { days: 2, hour: 10 } },
  { label: '一周后', slot: { days: 7, hour: 10 } },
];
const KINDS: { kind: ScheduleKind; label: string }[] = [
  { kind: 'follow_up', label: '回访' },
  { kind: 'test_drive', label: '预约试驾' },
  { kind: 'store_visit', label: '预约到店' },
];

/** 下次跟进: what to do and when to be reminded, with an optional note. */
export function ScheduleSheet({ visible }: { visible: boolean }) {
  const { kind, slot, note, saving, error } = useScheduleStore(useShallow((s) => ({ kind: s.kind, slot: s.slot, note: s.note, saving: s.saving, error: s.error })));
  const { close, set, save } = useScheduleStore.getState();
  const onSave = async () => {
    const text = await save(Date.now());
    if (text) showToast(text.length > 7 ? '已设置提醒' : text);
  };
  return (
    <Popup className='sk-sched' visible={visible} position='bottom' round closeable title='下次跟进' onClose={close}>
      <View className='sk-sched__body'>
        <Text className='sk-sched__label'>做什么</Text>
        <View className='sk-sched__chips'>
          {KINDS.map((k) => (
            <View key={k.kind} className={`sk-sched__chip${k.kind === kind ? ' sk-sched__chip--on' : ''}`} onClick={() => set({ kind: k.kind })}>
              {k.label}
            </View>
          ))}
        </View>
        <Text className='sk-sched__label'>什么时候提醒</Text>
        <View className='sk-sched__chips'>
          {SLOTS.map((s) => (
            <View key={s.label} className={`sk-sched__chip${s.slot.days === slot.days && s.slot.hour === slot.hour ? ' sk-sched__chip--on' : ''}`} onClick={() => set({ slot: s.slot })}>
              {s.label}
            </View>
          ))}
        </View>
        <Text className='sk-sched__label'>备注（选填）</Text>
        <Textarea className='sk-sched__note' value={note} maxlength={200} placeholder='如：确认周六到店试驾' onInput={(e) => set({ note: e.detail.value })} />
        {error ? <Text className='sk-sched__error'>{error}</Text> : null}
        <View className='sk-sched__actions'>
          <ActionButton block disabled={saving} onTap={() => void onSave()}>
            {saving ? '正在保存…' : '保存'}
          </ActionButton>
        </View>
      </View>
    </Popup>
  );
}

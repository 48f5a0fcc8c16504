import { useEffect } from 'react';
import { View, Text, Textarea } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { useShallow } from 'zustand/react/shallow';
import { ActionButton } from '@/components/action-button';
import { formatRelative } from '@/lib/time';
import { SEND_CHANNEL_LABELS } from '@/contract';
import { copyText, dialPhone } from '@/platform/contact';
import { showToast } from '@/platform/feedback';
import { useChatStore } from '@/stores/chat-store';
import { useProfileStore } from '@/stores/profile-store';
import { useSessionStore } from '@/stores/session-store';
import { useScheduleStore, type ScheduleKind } from '@/stores/schedule-store';
import { useSendStore } from '@/stores/send-store';
import { MaterialPicker } from './material-picker';
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

function ScheduleSheet() {
  const { visible, kind, slot, note, saving, error } = useScheduleStore(useShallow((s) => ({ visible: s.visible, kind: s.kind, slot: s.slot, note: s.note, saving: s.saving, error: s.error })));
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


function SendsSection({ customerId }: { customerId: string }) {
  const history = useSendStore((s) => s.history);
  useEffect(() => {
    void useSendStore.getState().loadHistory(customerId);
  }, [customerId]);
  if (history.customerId !== customerId || !history.items.length) return null;
  const now = Date.now();
  return (
    <View className='sk-card sk-section sk-sends'>
      <View className='sk-section__head'>
        <Text className='sk-section__title'>发送记录</Text>
      </View>
      {history.items.slice(0, 5).map((s) => (
        <View key={s.id} className='sk-sends__item'>
          <Text className='sk-sends__title'>{s.materialTitle}</Text>
          <Text className='sk-sends__meta'>
            {[formatRelative(s.at, now), SEND_CHANNEL_LABELS[s.channel], s.consultantName, s.opens ? `已打开${s.opens}次` : '未打开', s.registeredAt ? '已报名' : ''].filter(Boolean).join(' · ')}
          </Text>
        </View>
      ))}
    </View>
  );
}

/**
 * The profile's contact bar: 拨打电话 and 复制号码 for the consultant who owns the customer (only
 * they get the full number), 下次跟进, and 发送 (a material, an invitation or a 话术: into the chat
 * in the WeCom sidebar, copied with the customer's own link elsewhere).
 */
export function ContactActions({ customerId, taskId }: { customerId: string; taskId?: string }) {
  const profile = useProfileStore((s) => (s.profile?.id === customerId || s.customerId === customerId ? s.profile : undefined));
  const meId = useSessionStore((s) => (s.me?.role === 'consultant' ? s.me.id : undefined));
  const inChat = useChatStore((s) => s.inChat && (s.chatCustomerId === customerId || s.pickedCustomerId === customerId));
  const result = useSendStore((s) => s.result);
  useEffect(() => {
    if (result?.ok) showToast(result.text.startsWith('已发送') ? '已发送' : '已复制');
  }, [result]);
  if (!profile) return null;
  const owns = meId !== undefined && profile.owner?.id === meId;
  if (!owns) return <SendsSection customerId={profile.id} />;
  const phone = profile.phone;
  const buttons = [
    ...(phone
      ? [
          { glyph: '☎', label: '拨打电话', onTap: () => void dialPhone(phone).catch(() => undefined) },
          { glyph: '⇪', label: '复制号码', onTap: () => void copyText(phone).then((ok) => ok && showToast('已复制')) },
        ]
      : []),
    { glyph: '◷', label: '下次跟进', onTap: () => useScheduleStore.getState().open(profile.id) },
    { glyph: '➤', label: '发送', onTap: () => useSendStore.getState().open({ customerId: profile.id, inChat, ...(taskId ? { taskId } : {}) }) },
  ];
  return (
    <>
      <View className='sk-contact'>
        {buttons.map((b) => (
          <View key={b.label} className='sk-contact__btn' hoverClass='sk-contact__btn--pressed' onClick={b.onTap}>
            <Text className='sk-contact__glyph'>{b.glyph}</Text>
            <Text className='sk-contact__label'>{b.label}</Text>
          </View>
        ))}
      </View>
      {result?.ok ? <Text className='sk-muted sk-contact__result'>{result.text}</Text> : null}
      <SendsSection customerId={profile.id} />
      <ScheduleSheet />
      <MaterialPicker />
    </>
  );
}

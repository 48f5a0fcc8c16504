import { useEffect, useRef } from 'react';
import { View, Text } from '@tarojs/components';
import { formatRelative } from '@/lib/time';
import { SEND_CHANNEL_LABELS } from '@/contract';
import { copyText, dialPhone } from '@/platform/contact';
import { showToast } from '@/platform/feedback';
import { useChatStore } from '@/stores/chat-store';
import { useProfileStore } from '@/stores/profile-store';
import { useSessionStore } from '@/stores/session-store';
import { useScheduleStore } from '@/stores/schedule-store';
import { useSendStore } from '@/stores/send-store';
import { MaterialPicker, ScheduleSheet } from './sheets-lazy';
import './send.scss';


function SendsSection({ customerId }: { customerId: string }) {
  const history = useSendStore((s) => s.history);
  // 发送记录 sits below the first screen: asked for once the timeline's first page has settled,
  // so it does not hold up the profile's own calls.
  const firstScreenSettled = useProfileStore((s) => s.timeline.status === 'ready' || s.timeline.status === 'error');
  const asked = useRef<string>();
  useEffect(() => {
    if (!firstScreenSettled || asked.current === customerId) return;
    asked.current = customerId;
    void useSendStore.getState().loadHistory(customerId);
  }, [customerId, firstScreenSettled]);
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
  const picking = useSendStore((s) => s.visible);
  const scheduling = useScheduleStore((s) => s.visible);
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
      <ScheduleSheet visible={scheduling} />
      <MaterialPicker visible={picking} />
    </>
  );
}

import { View, Text } from '@tarojs/components';
import { Popup } from '@nutui/nutui-react-taro';
import { useShallow } from 'zustand/react/shallow';
import type { MaterialView } from '@/contract';
import { ErrorState, LoadingState } from '@/components/state-view';
import { formatTimeRange } from '@/lib/time';
import { PICKER_TABS, useSendStore } from '@/stores/send-store';
import './send.scss';

function MaterialRow({ m, busy, inChat, onSend }: { m: MaterialView; busy: boolean; inChat: boolean; onSend: () => void }) {
  const a = m.activity;
  return (
    <View className='sk-mat' data-material={m.id}>
      <View className='sk-mat__main'>
        <Text className='sk-mat__title'>{m.title}</Text>
        {a ? <Text className='sk-mat__meta'>{`${formatTimeRange(a.startAt, a.endAt)} · 余${Math.max(0, a.capacity - a.registered)}个名额`}</Text> : null}
        <Text className='sk-mat__summary'>{m.kind === 'script' ? (m.body ?? m.summary) : m.summary}</Text>
        {a?.perks.length ? <Text className='sk-mat__perk'>{`礼遇：${a.perks[0]}`}</Text> : null}
      </View>
      <View className={`sk-mat__send${busy ? ' sk-mat__send--busy' : ''}`} hoverClass='sk-mat__send--pressed' onClick={() => !busy && onSend()}>
        {busy ? '发送中' : inChat ? '发送' : '复制'}
      </View>
    </View>
  );
}

/** 发送: kind tabs and the library; one tap on a material sends it (into the chat, or copied with the customer's link). */
export function MaterialPicker({ visible }: { visible: boolean }) {
  const { tab, materials, status, error, sending, result, inChat } = useSendStore(
    useShallow((s) => ({ tab: s.tab, materials: s.materials, status: s.materialsStatus, error: s.materialsError, sending: s.sending, result: s.result, inChat: s.target?.inChat ?? false })),
  );
  const { close, setTab, loadMaterials, send } = useSendStore.getState();
  const kinds = PICKER_TABS.find((t) => t.tab === tab)!.kinds;
  const shown = materials.filter((m) => kinds.includes(m.kind));
  return (
    <Popup className='sk-picker' visible={visible} position='bottom' round closeable title={inChat ? '发送到当前聊天' : '发送给客户'} onClose={close}>
      <View className='sk-picker__body'>
        <View className='sk-picker__tabs'>
          {PICKER_TABS.map((t) => (
            <View key={t.tab} className={`sk-picker__tab${t.tab === tab ? ' sk-picker__tab--on' : ''}`} onClick={() => setTab(t.tab)}>
              {t.label}
            </View>
          ))}
        </View>
        {!inChat ? <Text className='sk-picker__hint'>不在企业微信聊天中：点“复制”会复制内容和客户专属链接，并记录这次发送</Text> : null}
        {result && !result.ok ? <Text className='sk-picker__refused'>{result.text}</Text> : null}
        {status === 'error' ? <ErrorState title='素材加载失败' message={error ?? '请稍后重试'} onRetry={() => void loadMaterials()} /> : null}
        {status === 'loading' || status === 'idle' ? <LoadingState rows={2} label='正在加载素材…' /> : null}
        {status === 'ready' && !shown.length ? <Text className='sk-picker__empty'>这一类还没有素材，请联系店长添加</Text> : null}
        {status === 'ready'
          ? shown.map((m) => <MaterialRow key={m.id} m={m} busy={sending === m.id} inChat={inChat} onSend={() => void send(m)} />)
          : null}
      </View>
    </Popup>
  );
}

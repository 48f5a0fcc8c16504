import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { ActionButton } from '@/components/action-button';
import { roleLabel } from '@/lib/labels';
import { restartAt, routes } from '@/platform/navigation';
import { useSessionStore } from '@/stores/session-store';
import './me-panel.scss';

const leave = () => {
  useSessionStore.getState().signOut();
  // In the demo the next person picks an identity; elsewhere the gate signs in again.
  restartAt(SIDEKICK_DEMO ? routes.signIn : routes.leads);
};

/**
 * 退出所有设备, for a lost or handed-over phone: every session of this person ends on the server
 * (WeCom sidebar, mini-program, other browsers), then this one here.
 */
function SignOutEverywhere({ onClose }: { onClose: () => void }) {
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const confirm = async () => {
    setState({ busy: true });
    const error = await useSessionStore.getState().signOutEverywhere();
    if (error) setState({ busy: false, error: error.userMessage });
    else leave();
  };
  return (
    <View className='sk-dialog' onClick={state.busy ? undefined : onClose}>
      <View className='sk-dialog__box' role='dialog' aria-label='退出所有设备' onClick={(e) => e.stopPropagation()}>
        <Text className='sk-dialog__title'>在所有设备上退出？</Text>
        <Text className='sk-dialog__text'>手机丢失或换人使用时用它：你在企业微信侧边栏、小程序和其他浏览器上的登录会立即失效，之后需要重新登录。</Text>
        {state.error ? <Text className='sk-dialog__error'>{state.error}</Text> : null}
        <View className='sk-dialog__actions'>
          <ActionButton kind='plain' disabled={state.busy} onTap={onClose}>
            取消
          </ActionButton>
          <ActionButton kind='danger' disabled={state.busy} onTap={() => void confirm()}>
            {state.busy ? '正在退出…' : '全部退出'}
          </ActionButton>
        </View>
      </View>
    </View>
  );
}

/** Who is signed in, and the way out: here, or on every device. */
export function MePanel() {
  const me = useSessionStore((s) => s.me);
  const [asking, setAsking] = useState(false);
  if (!me) return null;

  return (
    <View className='sk-me'>
      <View className='sk-me__card'>
        <View className='sk-me__avatar'>{me.name.slice(0, 1)}</View>
        <View className='sk-me__who'>
          <Text className='sk-me__name'>{me.name}</Text>
          <Text className='sk-me__role'>{roleLabel[me.role]}</Text>
        </View>
      </View>
      <View className='sk-me__rows'>
        <View className='sk-me__row'>
          <Text className='sk-me__label'>所属门店</Text>
          <Text className='sk-me__value'>{me.storeName ?? '未关联门店'}</Text>
        </View>
        <View className='sk-me__row'>
          <Text className='sk-me__label'>身份</Text>
          <Text className='sk-me__value'>{roleLabel[me.role]}</Text>
        </View>
      </View>
      {me.role === 'manager' ? (
        <View className='sk-me__action'>
          <ActionButton kind='secondary' block onTap={() => restartAt(routes.managerHome)}>
            进入门店概览
          </ActionButton>
        </View>
      ) : null}
      <View className='sk-me__action'>
        <ActionButton kind='plain' block onTap={leave}>
          退出登录
        </ActionButton>
      </View>
      <View className='sk-me__action sk-me__action--near'>
        <ActionButton kind='plain' block onTap={() => setAsking(true)}>
          退出所有设备
        </ActionButton>
      </View>
      {asking ? <SignOutEverywhere onClose={() => setAsking(false)} /> : null}
    </View>
  );
}

import { View, Text } from '@tarojs/components';
import { ActionButton } from '@/components/action-button';
import { roleLabel } from '@/lib/labels';
import { restartAt, routes } from '@/platform/navigation';
import { useSessionStore } from '@/stores/session-store';
import './me-panel.scss';

/** Who is signed in, and the way out. */
export function MePanel() {
  const me = useSessionStore((s) => s.me);
  if (!me) return null;

  const signOut = () => {
    useSessionStore.getState().signOut();
    // In the demo the next person picks an identity; elsewhere the gate signs in again.
    restartAt(SIDEKICK_DEMO ? routes.signIn : routes.leads);
  };

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
        <ActionButton kind='plain' block onTap={signOut}>
          退出登录
        </ActionButton>
      </View>
    </View>
  );
}

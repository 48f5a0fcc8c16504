import { useEffect } from 'react';
import { View, Text } from '@tarojs/components';
import type { DemoPerson } from '@/contract';
import { Badge } from '@/components/badge';
import { EmptyState, ErrorState, LoadingState } from '@/components/state-view';
import type { Tone } from '@/lib/labels';
import { useDemoPeopleStore } from '@/stores/demo-people-store';
import { hasSession, useSessionStore } from '@/stores/session-store';
import { enterAs } from './enter-as';
import '@/styles/tones.scss';
import './demo-sign-in.scss';

const roleTone: Record<DemoPerson['role'], Tone> = { consultant: 'blue', manager: 'purple', customer: 'green' };

/** Local demo only: pick who you are. */
export function DemoSignIn() {
  const { stores, status, error, load } = useDemoPeopleStore();
  const signingIn = useSessionStore((s) => s.signingIn);
  const signInError = useSessionStore((s) => s.error);

  useEffect(() => {
    // Someone signed in who comes back here (the back button, an old tab) goes on to their own page.
    const s = useSessionStore.getState();
    if (s.me && hasSession(s, Date.now())) {
      void enterAs(s.me);
      return;
    }
    void load();
  }, [load]);

  const signIn = async (person: DemoPerson) => {
    if (signingIn) return;
    const me = await useSessionStore.getState().signInAsDemoPerson(person.id);
    if (me) await enterAs(me);
  };

  return (
    <View className='sk-signin'>
      <View className='sk-signin__intro'>
        <Text className='sk-signin__title'>选择演示身份</Text>
        <Text className='sk-signin__note'>此页面只在本地演示环境中出现；正式环境通过企业微信或微信身份自动登录。</Text>
      </View>
      {signInError && !signingIn ? <Text className='sk-signin__error'>{`登录失败：${signInError.userMessage}`}</Text> : null}
      {signingIn ? <Text className='sk-signin__busy'>正在登录…</Text> : null}
      {status === 'error' && error ? (
        <ErrorState message={error.userMessage} onRetry={() => void load()} />
      ) : status !== 'ready' ? (
        <LoadingState rows={2} />
      ) : stores.length === 0 ? (
        <EmptyState title='还没有演示数据' description='请先运行 npm start 生成演示门店' />
      ) : (
        stores.map((store) => (
          <View key={store.id} className='sk-signin__store'>
            <Text className='sk-signin__store-name'>{store.name}</Text>
            {store.people.map((person) => (
              <View
                key={person.id}
                className='sk-signin__person'
                hoverClass='sk-signin__person--pressed'
                onClick={() => void signIn(person)}
              >
                <View className={`sk-signin__avatar sk-tone-solid--${roleTone[person.role]}`}>{person.name.slice(0, 1)}</View>
                <Text className='sk-signin__name'>{person.name}</Text>
                <Badge tone={roleTone[person.role]}>{person.title}</Badge>
              </View>
            ))}
          </View>
        ))
      )}
    </View>
  );
}

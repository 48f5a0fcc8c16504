import { View } from '@tarojs/components';
import { EmptyState } from '@/components/state-view';
import { restartAt } from '@/platform/navigation';
import { hasSession, useSessionStore } from '@/stores/session-store';
import { enterAs, homeOf } from './enter-as';

/** An address the app does not have (an old link, a typo): say so and offer the way home. */
export function NotFound() {
  const goHome = () => {
    const s = useSessionStore.getState();
    if (s.me && hasSession(s, Date.now())) void enterAs(s.me);
    else restartAt(homeOf(undefined));
  };
  return (
    <View className='sk-not-found'>
      <EmptyState title='页面不存在' description='这个链接可能已失效，或页面已经下线。' actionText='回到首页' onAction={goHome} />
    </View>
  );
}

import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { TitleBar } from '@/components/title-bar';
import type { Role } from '@/contract';
import { drawsOwnTitleBar } from '@/platform/chrome';
import { goBack } from '@/platform/navigation';
import { useSessionStore } from '@/stores/session-store';
import { homeOf } from './enter-as';
import { SessionGate } from './session-gate';

interface PageFrameProps {
  /** The page's title, as in its page config (the browser tab and the title bar show it). */
  title: string;
  /** A page one is taken to (a profile, a manager's tool) has a way back; a starting page has none. */
  back?: boolean;
  /** Who the page is for (everyone signed in when omitted). */
  roles?: readonly Role[];
  children: ReactNode;
}

/** The title bar a browser does not draw: the page's title and the way back (home when opened directly). */
function SessionTitleBar({ title }: { title: string }) {
  const role = useSessionStore((s) => s.me?.role);
  return <TitleBar title={title} onBack={() => goBack(homeOf(role))} />;
}

/** A signed-in page: its title bar (browser only) above what the session gate lets through. */
export function PageFrame({ title, back = false, roles, children }: PageFrameProps) {
  return (
    <View className='sk-frame'>
      {back && drawsOwnTitleBar ? <SessionTitleBar title={title} /> : null}
      <SessionGate roles={roles}>{children}</SessionGate>
    </View>
  );
}

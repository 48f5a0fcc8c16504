import { useEffect, useState, type ReactNode } from 'react';
import type { Role } from '@/contract';
import { ErrorState, LoadingState } from '@/components/state-view';
import { hasSession, useSessionStore } from '@/stores/session-store';
import { beginSignIn } from './begin-sign-in';
import { enterAs } from './enter-as';

interface SessionGateProps {
  children: ReactNode;
  /** Who the page is for; anyone else is taken to where their own role starts. */
  roles?: readonly Role[];
}

/** Renders `children` only for a signed-in person the page is for; otherwise signs them in first. */
export function SessionGate({ children, roles }: SessionGateProps) {
  const signedIn = useSessionStore((s) => hasSession(s, Date.now()));
  const me = useSessionStore((s) => s.me);
  const signingIn = useSessionStore((s) => s.signingIn);
  const error = useSessionStore((s) => s.error);
  const [problem, setProblem] = useState<string>();
  const misplaced = signedIn && me !== undefined && roles !== undefined && !roles.includes(me.role);

  useEffect(() => {
    if (!signedIn && !signingIn && !error) setProblem(beginSignIn());
  }, [signedIn]); // a new attempt only when the session itself changes, not on every error

  useEffect(() => {
    // A customer who lands on the consultants' leads (a bookmark, the tab bar) goes to their invitation.
    if (misplaced && me) void enterAs(me);
  }, [misplaced, me]);

  if (misplaced) return <LoadingState rows={2} label='正在打开你的页面…' />;
  if (signedIn) return <>{children}</>;
  if (problem) return <ErrorState title='无法登录' message={problem} />;
  if (error && !signingIn) {
    // A refusal (not a member of the corp, no Sidekick account) gives the same answer on retry.
    if (error.code === 'FORBIDDEN') return <ErrorState title='无法使用销售助手' message={error.userMessage} />;
    return <ErrorState title='登录失败' message={error.userMessage} onRetry={() => setProblem(beginSignIn())} />;
  }
  return <LoadingState rows={2} label='正在登录…' />;
}

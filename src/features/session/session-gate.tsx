import { useEffect, useState, type ReactNode } from 'react';
import { ErrorState, LoadingState } from '@/components/state-view';
import { hasSession, useSessionStore } from '@/stores/session-store';
import { beginSignIn } from './begin-sign-in';

/** Renders `children` only for a signed-in person; otherwise signs them in first. */
export function SessionGate({ children }: { children: ReactNode }) {
  const signedIn = useSessionStore((s) => hasSession(s, Date.now()));
  const signingIn = useSessionStore((s) => s.signingIn);
  const error = useSessionStore((s) => s.error);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!signedIn && !signingIn && !error) setProblem(beginSignIn());
  }, [signedIn]); // a new attempt only when the session itself changes, not on every error

  if (signedIn) return <>{children}</>;
  if (problem) return <ErrorState title='无法登录' message={problem} />;
  if (error && !signingIn) {
    // A refusal (not a member of the corp, no Sidekick account) gives the same answer on retry.
    if (error.code === 'FORBIDDEN') return <ErrorState title='无法使用销售助手' message={error.userMessage} />;
    return <ErrorState title='登录失败' message={error.userMessage} onRetry={() => setProblem(beginSignIn())} />;
  }
  return <LoadingState rows={2} label='正在登录…' />;
}

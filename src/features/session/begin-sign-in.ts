import { restartAt, routes } from '@/platform/navigation';
import { canUseWecomOAuth, redirectToOAuth, takeOAuthCode } from '@/platform/wecom';
import { useSessionStore } from '@/stores/session-store';

/**
 * Starts the sign-in that fits this build and platform. Returns a Chinese message when sign-in
 * cannot even start (a build without WeCom settings).
 * - local demo: the demo sign-in page;
 * - H5 sidebar: WeCom OAuth (exchange the `code` WeCom sent back, or go and get one);
 * - mini-program: the platform vouches for the caller's openid, the server says who that is.
 */
export function beginSignIn(): string | undefined {
  if (SIDEKICK_DEMO) {
    restartAt(routes.signIn);
    return undefined;
  }
  if (canUseWecomOAuth) {
    const code = takeOAuthCode();
    if (code) {
      void useSessionStore.getState().signInWithWecomCode(code);
      return undefined;
    }
    if (!WECOM_CORP_ID) return '此版本没有配置企业微信应用，无法登录，请联系管理员';
    redirectToOAuth(WECOM_CORP_ID, WECOM_AGENT_ID);
    return undefined;
  }
  void useSessionStore.getState().signInWithPlatform();
  return undefined;
}

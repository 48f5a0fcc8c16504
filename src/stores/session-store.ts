import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Me, SessionGrant } from '@/contract';
import { callCloud, onUnauthenticated, setTokenSource } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { localStore } from '@/platform/storage';
import { registerReset, resetAllStores } from './registry';

interface SessionData {
  token?: string;
  /** Epoch ms after which the token is no longer accepted. */
  expiresAt?: number;
  me?: Me;
}

interface SessionState extends SessionData {
  signingIn: boolean;
  error?: CloudError;
  /** Local demo: sign in as one of the demo people. */
  signInAsDemoPerson(personId: string): Promise<Me | undefined>;
  /** H5 sidebar: exchange the WeCom OAuth code for a session. */
  signInWithWecomCode(code: string): Promise<Me | undefined>;
  /** Mini-program: the platform vouches for the caller, the server says who that is. */
  signInWithPlatform(): Promise<Me | undefined>;
  signOut(): void;
  /** Ends every session of the signed-in person on the server (this one too); the error if it could not. */
  signOutEverywhere(): Promise<CloudError | undefined>;
}

const signedOut: SessionData = { token: undefined, expiresAt: undefined, me: undefined };

export const useSessionStore = create<SessionState>()(
  persist(
    (set) => {
      const run = async (work: () => Promise<SessionData & { me: Me }>): Promise<Me | undefined> => {
        set({ signingIn: true, error: undefined });
        try {
          const session = await work();
          set({ ...signedOut, ...session, signingIn: false });
          return session.me;
        } catch (e) {
          set({ ...signedOut, signingIn: false, error: toCloudError(e) });
          return undefined;
        }
      };
      const fromGrant = (grant: SessionGrant) => ({ token: grant.token, expiresAt: grant.expiresAt, me: grant.me });
      return {
        ...signedOut,
        signingIn: false,
        signInAsDemoPerson: (personId) => run(async () => fromGrant(await callCloud('auth', 'demoSignIn', { personId }))),
        signInWithWecomCode: (code) => run(async () => fromGrant(await callCloud('auth', 'wecomSignIn', { code }))),
        signInWithPlatform: () => run(async () => ({ me: await callCloud('auth', 'me', {}) })),
        signOut: () => resetAllStores(),
        signOutEverywhere: async () => {
          try {
            await callCloud('auth', 'signOutEverywhere', {});
            return undefined;
          } catch (e) {
            return toCloudError(e);
          }
        },
      };
    },
    {
      name: 'sidekick-session',
      storage: createJSONStorage(() => localStore),
      partialize: ({ token, expiresAt, me }): SessionData => ({ token, expiresAt, me }),
    },
  ),
);

registerReset(() => useSessionStore.setState({ ...signedOut, signingIn: false, error: undefined }));

/** Signed in, and the token (if any) has not expired at `now`. */
export const hasSession = (s: SessionData, now: number): boolean =>
  s.me !== undefined && (s.expiresAt === undefined || s.expiresAt > now);

setTokenSource(() => useSessionStore.getState().token);
// Expired or revoked: forget the person; the session gate on screen takes it from there.
onUnauthenticated(() => useSessionStore.getState().signOut());

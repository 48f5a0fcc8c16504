/**
 * auth: who am I, WeCom sign-in for the sidebar, JS-SDK signatures, signing out everywhere, and
 * (on the emulator only) the demo sign-in that lists the demo dealership's people. Sign-in
 * attempts are rate-limited per client IP and per known caller before any work (or WeCom call).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { JsapiConfig } from '../../types/api';
import { action, defineFunction, type ActionContext } from '../_lib/entry';
import { ApiError, forbidden, notFound, refused } from '../_lib/errors';
import { staffRepo } from '../_lib/repo/staff';
import { accessToken, agentTicket, jsapiTicket, visitorFromCode, wecomSettings } from '../_lib/wecom';
import { enforceRateLimits, RATE_RULES, rateRule, sweepRateLimits, type Bucket } from '../_lib/rate-limit';
import { signUrl } from '../_core/wecom-signature';
import * as demoModule from './demo-sign-in';
import { customerMe, staffGrant, staffMe } from './grants';

/**
 * The demo sign-in, on the local emulator only. The deploy build defines SIDEKICK_DEMO_LOGIN as
 * "off": this folds to `undefined`, nothing references the demo module, and esbuild drops it.
 */
function demo(): typeof demoModule {
  const enabled = process.env.SIDEKICK_DEMO_LOGIN === '1' ? demoModule : undefined;
  if (!enabled) throw new ApiError('NOT_AVAILABLE', 'the demo sign-in exists only on the local emulator');
  return enabled;
}

/** The sign-in buckets of this request: its IP (shared by unknown IPs) and, when known, the caller. */
function signInBuckets({ caller, request }: ActionContext): Bucket[] {
  const buckets: Bucket[] = [{ rule: rateRule(RATE_RULES.signInPerIp), key: `ip:${request.ip ?? 'unknown'}` }];
  const who =
    caller.role === 'customer' ? `customer:${caller.customerId}` : caller.role === 'anonymous' ? (caller.openid ? `openid:${caller.openid}` : undefined) : `staff:${caller.staffId}`;
  if (who) buckets.push({ rule: rateRule(RATE_RULES.signInPerCaller), key: who });
  return buckets;
}

const codeKey = (code: string) => `code:${createHash('sha256').update(code).digest('hex')}`;

export const main = defineFunction(
  'auth',
  {
    me: action(['consultant', 'manager', 'customer'], async (_p, { caller }) => {
      if (caller.role === 'customer') {
        const me = await customerMe(caller.customerId);
        if (!me) throw new ApiError('UNAUTHENTICATED', 'the account behind this session no longer exists');
        return me;
      }
      const s = await staffRepo.get(caller.staffId);
      if (!s) throw new ApiError('UNAUTHENTICATED', 'the account behind this session no longer exists');
      return staffMe(s);
    }),

    demoPeople: action(['anonymous', 'consultant', 'manager', 'customer'], async () => demo().demoPeople()),

    demoSignIn: action(['anonymous', 'consultant', 'manager', 'customer'], async ({ personId }, ctx) => {
      const signIn = demo();
      await enforceRateLimits(signInBuckets(ctx), ctx.now, 'sign-in');
      return signIn.demoSignIn(personId, ctx.now);
    }),

    wecomSignIn: action(['anonymous', 'consultant', 'manager', 'customer'], async ({ code }, ctx) => {
      const settings = wecomSettings();
      // Counted before WeCom sees the code: a guess that is refused costs no WeCom call.
      await enforceRateLimits([...signInBuckets(ctx), { rule: rateRule(RATE_RULES.oauthPerCode), key: codeKey(code) }], ctx.now, 'sign-in');
      const visitor = await visitorFromCode(settings, code, ctx.now);
      // A customer or anyone else outside the corp can open the page too; the sidebar is for staff.
      if (visitor.kind === 'outsider') throw refused('NOT_CORP_MEMBER', 'WeCom says whoever opened the page is not a member of the corp');
      const staff = await staffRepo.byWecomUserId(visitor.userId);
      if (!staff?.active) throw refused('NOT_STAFF', `WeCom member ${visitor.userId} is not a Sidekick consultant or manager`);
      return staffGrant(staff, ctx.now);
    }),

    jsapiConfig: action(['consultant', 'manager'], async ({ url }, { now }): Promise<JsapiConfig> => {
      const settings = wecomSettings();
      await accessToken(settings, now); // warm the token once so the two ticket calls share it
      const [ticket, agent] = await Promise.all([jsapiTicket(settings, now), agentTicket(settings, now)]);
      const timestamp = Math.floor(now / 1000);
      const nonce = randomBytes(8).toString('hex');
      return {
        corpId: settings.corpId,
        agentId: settings.agentId,
        config: signUrl(ticket, url, nonce, timestamp),
        agentConfig: signUrl(agent, url, nonce, timestamp),
      };
    }),

    signOutEverywhere: action(['consultant', 'manager'], async ({ staffId }, { caller }) => {
      const target = staffId ?? caller.staffId;
      if (target !== caller.staffId) {
        if (caller.role !== 'manager') throw forbidden('a consultant may sign out only their own sessions');
        const s = await staffRepo.get(target);
        // Staff of other stores are reported as missing, as everywhere else.
        if (!s || s.storeId !== caller.storeId) throw notFound(`staffId: staff ${target}`);
      }
      await staffRepo.revokeSessions(target);
      return { staffId: target };
    }),
  },
  { timers: { 'sweep-rate-limits': (now) => sweepRateLimits(now) } },
);

/**
 * Sign-in rate limits, counted in the database: per client IP (the cloud's defaults here), per
 * known caller and per WeCom OAuth code. Over a limit: HTTP 429, RATE_LIMITED with
 * retryAfterSeconds and Retry-After, and the code never reaches WeCom.
 */
import type { ApiReply, SessionGrant } from '../../types/api';
import type { RateLimitDoc, StaffDoc } from '../../types/model';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let zhangwei: StaffDoc;

beforeAll(async () => {
  stack = await startTestStack({
    customers: 100,
    // '' = the function's own default (10 per IP a minute); the others small enough to reach.
    env: { SIDEKICK_RATE_SIGNIN_PER_IP: '', SIDEKICK_RATE_SIGNIN_PER_CALLER: '2/60', SIDEKICK_RATE_OAUTH_PER_CODE: '' },
  });
  zhangwei = (stack.emulator.db.find('staff', { _id: 'zhangwei' }, { limit: 1 }) as StaffDoc[])[0];
  stack.clock.freeze();
});
afterAll(() => stack.destroy());
// Each test starts in fresh windows of every rule.
beforeEach(() => stack.clock.advance(3600_000));

async function wecomSignIn(code: string): Promise<{ status: number; retryAfter: string | null; reply: ApiReply<SessionGrant> }> {
  const res = await fetch(`${stack.url}/fn/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'wecomSignIn', params: { code } }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), reply: (await res.json()) as ApiReply<SessionGrant> };
}

test('OAuth: the 11th attempt from one IP in a minute is 429 and never reaches WeCom; the next window lets it through', async () => {
  for (let i = 0; i < 10; i++) expect((await wecomSignIn(`guess-${i}`)).status).toBe(401);
  const calls = stack.wecom.calls.getuserinfo;
  const code = stack.wecom.issueCode(zhangwei.wecomUserId);
  const limited = await wecomSignIn(code);
  expect(limited.status).toBe(429);
  expect(limited.reply).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/too many sign-in attempts/), retryAfterSeconds: expect.any(Number) } });
  const wait = (limited.reply as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds;
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
  expect(limited.retryAfter).toBe(String(wait));
  expect(stack.wecom.calls.getuserinfo).toBe(calls);

  stack.clock.advance(wait * 1000);
  const later = await wecomSignIn(code);
  expect(later.status).toBe(200);
  expect(later.reply).toMatchObject({ ok: true, data: { me: { id: 'zhangwei' } } });
});

test('OAuth: one code is tried at most 3 times in 5 minutes', async () => {
  for (let i = 0; i < 3; i++) expect((await wecomSignIn('same-guess')).status).toBe(401);
  const calls = stack.wecom.calls.getuserinfo;
  expect((await wecomSignIn('same-guess')).status).toBe(429);
  expect(stack.wecom.calls.getuserinfo).toBe(calls);
  expect((await wecomSignIn('another-guess')).status).toBe(401);
});

test('the demo sign-in is limited per IP too', async () => {
  const signIn = () => stack.http('auth', { action: 'demoSignIn', params: { personId: 'lina' } });
  for (let i = 0; i < 10; i++) expect((await signIn()).status).toBe(200);
  expect((await signIn()).reply).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
});

test('per caller: a mini-program user is limited whatever IP they come from; other IPs and callers are not', async () => {
  const asUser = (OPENID: string | undefined, CLIENTIP: string, code: string) =>
    stack.emulator.invoke('auth', { action: 'wecomSignIn', params: { code } }, { ...(OPENID ? { OPENID } : {}), CLIENTIP });
  expect(await asUser('o-roaming', '203.0.113.1', 'g1')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  expect(await asUser('o-roaming', '203.0.113.2', 'g2')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  const calls = stack.wecom.calls.getuserinfo;
  expect(await asUser('o-roaming', '203.0.113.3', 'g3')).toEqual({
    ok: false,
    error: { code: 'RATE_LIMITED', message: expect.any(String), retryAfterSeconds: expect.any(Number) },
  });
  expect(stack.wecom.calls.getuserinfo).toBe(calls);
  expect(await asUser('o-other', '203.0.113.3', 'g4')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  // Anonymous callers from different IPs have separate budgets.
  for (let i = 0; i < 10; i++) await asUser(undefined, '198.51.100.7', `h${i}`);
  expect(await asUser(undefined, '198.51.100.7', 'h10')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  expect(await asUser(undefined, '198.51.100.8', 'h11')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
});

test('counters hold no raw IP or code, and the hourly sweep removes closed windows', async () => {
  await wecomSignIn('some-code');
  const docs = stack.emulator.db.find('rateLimits', {}, { limit: 10000 }) as RateLimitDoc[];
  expect(docs.length).toBeGreaterThan(0);
  expect(JSON.stringify(docs)).not.toMatch(/127\.0\.0\.1|some-code|o-roaming/);
  stack.clock.advance(3600_000);
  const swept = (await stack.emulator.fireTimer('auth', 'sweep-rate-limits')) as { removed: number };
  expect(swept.removed).toBe(docs.length);
  expect(stack.emulator.db.count('rateLimits')).toBe(0);
  // A client cannot run the sweep.
  expect(await stack.emulator.invoke('auth', { Type: 'Timer', TriggerName: 'sweep-rate-limits' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

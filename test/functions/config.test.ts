/**
 * Configuration is checked when a function starts cold: a missing or short session secret, or
 * a malformed limit or origin list, answers every call with CONFIG naming the variable (HTTP
 * 500), not INTERNAL, and says so once in the function's log. Each case runs its own copy of
 * the bundles, so each function really loads (cold-starts) under that configuration.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/local-stack';
import { cachedLocalFunctions } from '../../scripts/build-functions';
import { startTestStack, type TestStack } from '../support/stack';

let consoleError: jest.SpyInstance;
beforeEach(() => {
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => consoleError.mockRestore());

async function coldStack(env: Record<string, string | undefined>) {
  // Inside the project, so the copies' require('wx-server-sdk') resolves from its node_modules.
  const functionsDir = mkdtempSync(join(ROOT, '.cache', 'config-functions-'));
  let stack: TestStack;
  try {
    cpSync(await cachedLocalFunctions(), functionsDir, { recursive: true });
    stack = await startTestStack({ customers: 30, functionsDir, env });
  } catch (err) {
    rmSync(functionsDir, { recursive: true, force: true });
    throw err;
  }
  return {
    stack,
    async destroy() {
      await stack.destroy();
      rmSync(functionsDir, { recursive: true, force: true });
    },
  };
}

const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
  ['a missing session secret', { SIDEKICK_SESSION_SECRET: undefined }, /SIDEKICK_SESSION_SECRET is not set.*32\+ characters/],
  ['a 16-character session secret', { SIDEKICK_SESSION_SECRET: 'x'.repeat(16) }, /SIDEKICK_SESSION_SECRET is too short \(16 characters\)/],
  ['a malformed rate limit', { SIDEKICK_RATE_SIGNIN_PER_IP: 'lots' }, /SIDEKICK_RATE_SIGNIN_PER_IP: expected <max attempts>\/<window seconds>/],
  ['an allowed origin with a path', { SIDEKICK_ALLOWED_ORIGINS: 'https://sidebar.example.com/app' }, /SIDEKICK_ALLOWED_ORIGINS: "https:\/\/sidebar\.example\.com\/app" is not an origin/],
];

test.each(cases)('%s fails every call with CONFIG naming the variable', async (_what, env, message) => {
  const cold = await coldStack(env);
  try {
    const { stack } = cold;
    const http = await stack.http('auth', { action: 'demoPeople' });
    expect(http.status).toBe(500);
    expect(http.reply).toEqual({ ok: false, error: { code: 'CONFIG', message: expect.stringMatching(message) } });
    // Every function, every caller: over HTTP signed in or not, and from the mini-program.
    expect((await stack.http('leads', { action: 'list', params: {} })).reply).toMatchObject({ ok: false, error: { code: 'CONFIG' } });
    expect(await stack.emulator.invoke('auth', { action: 'me' }, { OPENID: 'o-anyone' })).toMatchObject({ ok: false, error: { code: 'CONFIG' } });
    // Said once per function at its cold start, naming the variable.
    const logged = consoleError.mock.calls.map((c) => String(c[0])).filter((line) => line.startsWith('[auth] configuration error'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(message);
  } finally {
    await cold.destroy();
  }
});

test('a 32-character secret and well-formed settings are accepted', async () => {
  const cold = await coldStack({
    SIDEKICK_SESSION_SECRET: 'k'.repeat(32),
    SIDEKICK_RATE_SIGNIN_PER_IP: '20/60',
    SIDEKICK_ALLOWED_ORIGINS: 'https://sidebar.example.com, http://127.0.0.1:10086',
  });
  try {
    const token = await cold.stack.signIn('zhangwei');
    expect((await cold.stack.http('auth', { action: 'me' }, token)).status).toBe(200);
    expect(consoleError.mock.calls.filter((c) => String(c[0]).includes('configuration error'))).toEqual([]);
  } finally {
    await cold.destroy();
  }
});

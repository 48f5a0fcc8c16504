/**
 * Session tokens through the real gateway: strict parsing (nothing appended, nothing extra, exact
 * claim types, the function's clock for expiry), a strict Authorization header, and signing a
 * staff member out everywhere (per-staff session version).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Me, SessionGrant, SignedOutEverywhere } from '../../types/api';
import type { StaffDoc } from '../../types/model';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let secret: string;

beforeAll(async () => {
  stack = await startTestStack({ customers: 200 });
  secret = readFileSync(join(stack.dataDir, 'session-secret'), 'utf8').trim();
  stack.clock.freeze();
});
afterAll(() => stack.destroy());

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
/** A token signed with the stack's real secret, so only the parser stands between it and a session. */
const forge = (claims: unknown, payload = b64(JSON.stringify(claims))) => `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
const me = (token: string) => stack.http<Me>('auth', { action: 'me' }, token);
const raw = (headers: Record<string, string>) =>
  fetch(`${stack.url}/fn/auth`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ action: 'demoPeople' }) });
const staff = (id: string) => (stack.emulator.db.find('staff', { _id: id }, { limit: 1 }) as StaffDoc[])[0];

describe('strict token parsing', () => {
  it('accepts the token as issued, and nothing else made from it', async () => {
    const token = await stack.signIn('zhangwei');
    expect(ok(await me(token)).id).toBe('zhangwei');
    const [payload, mac] = token.split('.');
    // base64url's last character carries spare bits: another letter that decodes to the same bytes.
    const sibling = (part: string) => part.slice(0, -1) + String.fromCharCode(part.charCodeAt(part.length - 1) ^ 1);
    const variants = [
      `${token}.junk`,
      `${token}.`,
      `${token}junk`,
      `${token}=`,
      `${payload}.${mac}.${mac}`,
      `.${token}`,
      `${payload}`,
      `${payload}==.${mac}`,
      `${payload}.${sibling(mac)}`,
      `${sibling(payload)}.${mac}`,
      `${payload}.${mac.slice(0, -1)}`,
    ];
    for (const t of variants) {
      const r = await me(t);
      expect([t, r.status, r.reply]).toEqual([t, 401, expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    }
  });

  it('refuses validly signed claims of the wrong shape', async () => {
    const exp = stack.clock.now() + 3600_000;
    const good = { sub: 'zhangwei', role: 'consultant', storeId: 'store-sh-pudong', exp, ver: 0 };
    expect(ok(await me(forge(good))).id).toBe('zhangwei');
    const bad: unknown[] = [
      { ...good, admin: true },
      { ...good, exp: String(exp) },
      { ...good, exp: exp + 0.5 },
      { ...good, ver: '0' },
      { sub: good.sub, role: good.role, storeId: good.storeId, exp },
      { ...good, role: 'admin' },
      { ...good, sub: 42 },
      { ...good, sub: '' },
      [good],
      'zhangwei',
      null,
    ];
    for (const claims of bad) {
      const r = await me(forge(claims));
      expect([claims, r.status]).toEqual([claims, 401]);
    }
    // Not JSON at all, though signed.
    expect((await me(forge(undefined, b64('{"sub":')))).status).toBe(401);
  });

  it('expires by the function\'s clock', async () => {
    const token = forge({ sub: 'zhangwei', role: 'consultant', storeId: 'store-sh-pudong', exp: stack.clock.now() + 60_000, ver: 0 });
    expect((await me(token)).status).toBe(200);
    stack.clock.advance(60_000);
    expect((await me(token)).reply).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'session expired' } });
  });

  it('an Authorization header that is not exactly "Bearer <token>" is refused, not ignored', async () => {
    const token = await stack.signIn('zhangwei');
    expect((await raw({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await raw({})).status).toBe(200);
    for (const authorization of [`Basic ${token}`, 'Bearer', `bearer ${token}`, `Bearer  ${token}`, `Bearer ${token} extra`, `Token ${token}`]) {
      const res = await raw({ authorization });
      expect([authorization, res.status]).toEqual([authorization, 401]);
    }
  });
});

describe('sign out everywhere', () => {
  const signOut = (token: string, staffId?: string) =>
    stack.http<SignedOutEverywhere>('auth', { action: 'signOutEverywhere', params: staffId ? { staffId } : {} }, token);

  it('a manager signs a consultant of the store out of every device; a new sign-in works', async () => {
    const phone = await stack.signIn('lina');
    stack.clock.advance(1000);
    const laptop = await stack.signIn('lina');
    const manager = await stack.signIn('wangjianguo');
    const versionBefore = staff('lina').sessionVersion ?? 0;

    expect(ok(await signOut(manager, 'lina'))).toEqual({ staffId: 'lina' });
    expect(staff('lina').sessionVersion).toBe(versionBefore + 1);
    for (const t of [phone, laptop]) {
      expect((await me(t)).reply).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/signed out/) } });
      expect((await stack.http('leads', { action: 'list', params: {} }, t)).status).toBe(401);
    }
    expect(ok(await me(manager)).id).toBe('wangjianguo');
    const again = await stack.signIn('lina');
    expect(ok(await me(again)).id).toBe('lina');

    // WeCom sign-in issues tokens under the new version too.
    const grant = ok(await stack.http<SessionGrant>('auth', { action: 'wecomSignIn', params: { code: stack.wecom.issueCode(staff('lina').wecomUserId) } }));
    expect(ok(await me(grant.token)).id).toBe('lina');
  });

  it('only for staff of the manager\'s own store; a consultant only for themselves', async () => {
    const otherManager = await stack.signIn('xuhaiyan');
    expect((await signOut(otherManager, 'zhoulei')).reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const consultant = await stack.signIn('liuting');
    expect((await signOut(consultant, 'zhoulei')).status).toBe(403);
    expect(staff('zhoulei').sessionVersion ?? 0).toBe(0);

    expect(ok(await signOut(consultant))).toEqual({ staffId: 'liuting' });
    expect((await me(consultant)).status).toBe(401);
    expect((await signOut(await stack.signIn('zhoulei'), 'nobody')).status).toBe(403);
    expect((await stack.http('auth', { action: 'signOutEverywhere', params: {} })).status).toBe(401);
  });
});

/** auth through the real SDK: demo sign-in (emulator only), WeCom OAuth, JS-SDK signatures. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoStore, JsapiConfig, Me, SessionGrant } from '../../types/api';
import type { CustomerDoc, StaffDoc, WecomTokenDoc } from '../../types/model';
import { buildFunctions } from '../../scripts/build-functions';
import { ROOT } from '../../scripts/local-stack';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: StaffDoc;
const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 1000 }))) as T[];

beforeAll(async () => {
  stack = await startTestStack({ customers: 300 });
  consultant = (await find<StaffDoc>('staff', { role: 'consultant' }))[0];
});
afterAll(() => stack.destroy());

describe('demo sign-in (local emulator only)', () => {
  it('lists the demo dealership: three stores, each a manager and five consultants, plus demo customers', async () => {
    const stores = ok(await stack.http<DemoStore[]>('auth', { action: 'demoPeople' }));
    expect(stores).toHaveLength(3);
    for (const s of stores) {
      expect(s.people.filter((p) => p.role === 'manager')).toHaveLength(1);
      expect(s.people.filter((p) => p.role === 'consultant')).toHaveLength(5);
      expect(s.people.every((p) => /[\u4e00-\u9fa5]/.test(p.name) && /[\u4e00-\u9fa5]/.test(p.title))).toBe(true);
    }
    expect(stores.flatMap((s) => s.people).some((p) => p.role === 'customer')).toBe(true);
    // The lively part first: the demo customers' store, led by the consultant who owns them.
    expect(stores[0].name).toBe('上海浦东店');
    expect(stores[0].people[0]).toMatchObject({ name: '张伟', role: 'consultant' });
  });

  it('signs in a consultant whose session then says who they are', async () => {
    const grant = ok(await stack.http<SessionGrant>('auth', { action: 'demoSignIn', params: { personId: consultant._id } }));
    expect(grant.me).toMatchObject({ id: consultant._id, role: 'consultant', storeId: consultant.storeId });
    const me = ok(await stack.http<Me>('auth', { action: 'me' }, grant.token));
    expect(me.name).toBe(consultant.name);
    expect(me.storeName).toMatch(/店/);
  });

  it('does not exist in the deploy build: its code is compiled out, the actions answer NOT_AVAILABLE', async () => {
    const deployDir = mkdtempSync(join(ROOT, '.cache', 'deploy-functions-'));
    let other: TestStack | undefined;
    try {
      await buildFunctions({ outDir: deployDir, local: false });
      // The local bundle has the demo sign-in; the deploy bundle has none of its code.
      const demoCode = ['SIDEKICK_DEMO_OPENIDS', 'demoCustomers', 'no demo person', 'SIDEKICK_DEMO_LOGIN'];
      const local = readFileSync(join(stack.functionsDir, 'auth', 'index.js'), 'utf8');
      const deploy = readFileSync(join(deployDir, 'auth', 'index.js'), 'utf8');
      for (const marker of demoCode) {
        expect([marker, local.includes(marker)]).toEqual([marker, true]);
        expect([marker, deploy.includes(marker)]).toEqual([marker, false]);
      }
      other = await startTestStack({ functionsDir: deployDir, customers: 50 });
      const r = await other.http('auth', { action: 'demoSignIn', params: { personId: consultant._id } });
      expect(r.status).toBe(404);
      expect(r.reply).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
      expect((await other.http('auth', { action: 'demoPeople' })).reply).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    } finally {
      await other?.destroy();
      rmSync(deployDir, { recursive: true, force: true });
    }
  });
});

describe('WeCom sign-in and JS-SDK signatures', () => {
  it('turns an OAuth code into a consultant session, once', async () => {
    const code = stack.wecom.issueCode(consultant.wecomUserId);
    const grant = ok(await stack.http<SessionGrant>('auth', { action: 'wecomSignIn', params: { code } }));
    expect(grant.me.id).toBe(consultant._id);
    const again = await stack.http('auth', { action: 'wecomSignIn', params: { code } });
    expect(again.status).toBe(401);
  });

  it('refuses a WeCom member who is not a consultant or manager', async () => {
    const r = await stack.http('auth', { action: 'wecomSignIn', params: { code: stack.wecom.issueCode('someone.else') } });
    expect(r.status).toBe(403);
    expect(r.reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'NOT_STAFF' } });
  });

  it('refuses someone outside the corp, even a customer of it, with a reason the app can explain', async () => {
    const customer = (await find<CustomerDoc>('customers', { 'identities.externalUserId': { $exists: true } }))[0];
    for (const code of [stack.wecom.issueOutsiderCode({ externalUserId: customer.identities.externalUserId }), stack.wecom.issueOutsiderCode()]) {
      const before = stack.wecom.calls.getuserinfo;
      const r = await stack.http('auth', { action: 'wecomSignIn', params: { code } });
      expect(stack.wecom.calls.getuserinfo).toBe(before + 1);
      expect(r.status).toBe(403);
      expect(r.reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'NOT_CORP_MEMBER' } });
      expect(JSON.stringify(r.reply)).not.toMatch(/token|openid/i);
    }
  });

  it('signs the page URL without its fragment and caches tickets for their lifetime', async () => {
    const token = await stack.signIn(consultant._id);
    const before = { ...stack.wecom.calls };
    const url = 'https://sidebar.example.com/index.html?from=toolbar#/pages/sidebar/index';
    const configs: JsapiConfig[] = [];
    for (let i = 0; i < 5; i++) configs.push(ok(await stack.http<JsapiConfig>('auth', { action: 'jsapiConfig', params: { url } }, token)));
    expect(stack.wecom.calls.jsapiTicket - before.jsapiTicket).toBeLessThanOrEqual(1);
    expect(stack.wecom.calls.agentTicket - before.agentTicket).toBeLessThanOrEqual(1);
    expect(stack.wecom.calls.gettoken - before.gettoken).toBeLessThanOrEqual(1);

    const tickets = await find<WecomTokenDoc>('wecomTokens', {});
    const ticket = tickets.find((t) => t._id === 'jsapi_ticket')!.value;
    const agent = tickets.find((t) => t._id === 'agent_ticket')!.value;
    const c = configs[0];
    const bare = url.split('#')[0];
    const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
    expect(c.config.signature).toBe(sha1(`jsapi_ticket=${ticket}&noncestr=${c.config.nonceStr}&timestamp=${c.config.timestamp}&url=${bare}`));
    expect(c.agentConfig.signature).toBe(sha1(`jsapi_ticket=${agent}&noncestr=${c.agentConfig.nonceStr}&timestamp=${c.agentConfig.timestamp}&url=${bare}`));
    expect(c.corpId).toBeTruthy();
    expect(c.agentId).toBeTruthy();
  });

  it('recovers when WeCom invalidates the cached access token', async () => {
    const before = stack.wecom.calls.gettoken;
    stack.wecom.revokeTokens();
    const code = stack.wecom.issueCode(consultant.wecomUserId);
    const grant = ok(await stack.http<SessionGrant>('auth', { action: 'wecomSignIn', params: { code } }));
    expect(grant.me.id).toBe(consultant._id);
    expect(stack.wecom.calls.gettoken).toBe(before + 1);
  });

  it('requires a signed-in staff member for signatures', async () => {
    const r = await stack.http('auth', { action: 'jsapiConfig', params: { url: 'https://x.example.com/' } });
    expect(r.status).toBe(401);
    const bad = await stack.http('auth', { action: 'jsapiConfig', params: { url: 'not a url' } }, await stack.signIn(consultant._id));
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'url' }] } });
  });
});

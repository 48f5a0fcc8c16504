/**
 * The functions over HTTP access, as the H5 app reaches them: POST only (405 with Allow), small
 * bodies (413), CORS from the allowlist with the functions' own Origin check behind it, and no
 * SDK wire endpoint on the public port.
 */
import type { ApiReply } from '../../types/api';
import type { StaffDoc } from '../../types/model';
import { startTestStack, type TestStack } from '../support/stack';

const SIDEBAR = 'https://sidebar.example.com';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ customers: 50, allowedOrigins: [SIDEBAR] });
});
afterAll(() => stack.destroy());

const post = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}, fn = 'auth') =>
  fetch(`${stack.url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const demoPeople = JSON.stringify({ action: 'demoPeople' });

test('any method but POST is 405 with Allow: POST', async () => {
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    const res = await fetch(`${stack.url}/fn/leads`, { method, ...(method === 'GET' ? {} : { body: '{}' }) });
    expect([method, res.status, res.headers.get('allow')]).toEqual([method, 405, 'POST']);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'METHOD_NOT_ALLOWED' } });
  }
});

test('a body over 1 MB is 413 from the function; 65 MB is 413 from the gateway, not a reset', async () => {
  const big = JSON.stringify({ action: 'demoPeople', params: {}, padding: 'x'.repeat(1024 * 1024) });
  const res = await post(big);
  expect(res.status).toBe(413);
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });

  const huge = await post(new Uint8Array(65 * 1024 * 1024).fill(0x20));
  expect(huge.status).toBe(413);
  expect(await huge.json()).toMatchObject({ code: 'EXCEED_MAX_PAYLOAD_SIZE' });
});

describe('origins', () => {
  it('same-origin pages (the app the stack serves) work and get no CORS headers', async () => {
    const res = await post(demoPeople, { origin: stack.url });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('an allowed origin works and may read the reply', async () => {
    const pre = await fetch(`${stack.url}/fn/auth`, { method: 'OPTIONS', headers: { origin: SIDEBAR, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(SIDEBAR);
    const res = await post(demoPeople, { origin: SIDEBAR });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SIDEBAR);
  });

  it('null and other origins get no allow header, and the function refuses them before any work', async () => {
    const zhangwei = (stack.emulator.db.find('staff', { _id: 'zhangwei' }, { limit: 1 }) as StaffDoc[])[0];
    for (const origin of ['null', 'https://evil.example.com', `${SIDEBAR}:8443`]) {
      const pre = await fetch(`${stack.url}/fn/auth`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      // A "simple" request (text/plain) skips the preflight: the function itself refuses it.
      const calls = stack.wecom.calls.getuserinfo;
      const code = stack.wecom.issueCode(zhangwei.wecomUserId);
      const res = await post(JSON.stringify({ action: 'wecomSignIn', params: { code } }), { origin, 'content-type': 'text/plain' });
      expect([origin, res.status]).toEqual([origin, 403]);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await res.json()) as ApiReply<unknown>)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/SIDEKICK_ALLOWED_ORIGINS/) } });
      expect(stack.wecom.calls.getuserinfo).toBe(calls);
    }
  });
});

test('the public port does not speak the SDK wire protocol; the functions still reach the database', async () => {
  const wire = await fetch(`${stack.url}/admin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'database.getDocument', collectionName: 'staff', queryType: 'WHERE', query: '{}', limit: 1000 }),
  });
  expect(wire.status).toBe(404);
  expect(await wire.text()).not.toContain('wangjianguo');
  expect((await post(demoPeople)).status).toBe(200);
});

/**
 * index.html asks for a customer's first screen before the app has loaded (config/early-calls.ts);
 * the app then uses those replies instead of asking again, and only when they are exactly its
 * own calls, for the same signed-in person.
 */
import { APP_FIRST_SCREEN, earlyCallsScript } from '../../config/early-calls';
import { callCloud } from '@/services/call-cloud';
import { useProfileStore } from '@/stores/profile-store';
import { resetAllStores } from '@/stores/registry';
import { useSessionStore } from '@/stores/session-store';
import { startApiServer, type ApiServer } from '@/test-setup/api-server';

const now = Date.now();
const ME = { id: 'zhangwei', name: '张伟', role: 'consultant' as const, storeId: 's1', storeName: '杭州西湖店' };
const profile = { id: 'c_1', name: '李明' };

let server: ApiServer;

beforeEach(async () => {
  server = await startApiServer((call) => {
    const ok = (data: unknown): [number, unknown] => [200, { ok: true, data }];
    if (call.action === 'firstScreen') return ok({ customerId: 'c_1', profile, timeline: { items: [] }, followUps: { items: [] } });
    if (call.action === 'jsapiConfig') return ok({ corpId: 'ww1', agentId: '1000002', config: {}, agentConfig: {} });
    return ok({ items: [] });
  });
  resetAllStores();
  window.localStorage.clear();
  delete (window as { __skEarlyCalls?: unknown }).__skEarlyCalls;
});
afterEach(() => server.close());

/** What index.html runs first thing, at this address, with what the device has stored. */
function runIndexScript(hash: string): void {
  window.location.hash = hash;
  new Function(earlyCallsScript({ apiBase: server.url, ...APP_FIRST_SCREEN }))();
}

async function settled(): Promise<void> {
  // The early replies are real HTTP round trips to the test server.
  for (let i = 0; i < 50 && server.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
}

test('a link to a customer is asked for once: the profile store takes the replies index.html asked for', async () => {
  useSessionStore.setState({ me: ME, token: 't1', expiresAt: now + 3600_000 });
  runIndexScript('#/pages/sidebar/index?customerId=c_1');
  await settled();
  expect(server.calls.map((c) => c.action)).toEqual(['firstScreen']);
  expect(server.calls.every((c) => c.authorization === 'Bearer t1')).toBe(true);

  await useProfileStore.getState().open('c_1');
  expect(useProfileStore.getState().profile?.name).toBe('李明');
  expect(useProfileStore.getState().timeline.status).toBe('ready');
  expect(useProfileStore.getState().followUps.status).toBe('ready');
  expect(server.calls).toHaveLength(1);

  // Used once: a later visit to the same customer asks the server again.
  useProfileStore.setState({ customerId: undefined, status: 'idle' });
  await useProfileStore.getState().open('c_1');
  expect(server.calls).toHaveLength(2);
});

test('the customer page\'s ?id= is asked for early as well', async () => {
  useSessionStore.setState({ me: ME, token: 't1', expiresAt: now + 3600_000 });
  runIndexScript('#/pages/customer/index?id=c_1');
  await settled();
  await useProfileStore.getState().open('c_1');
  expect(server.calls).toHaveLength(1);
});

test('a reply asked for with another person\'s token is not used', async () => {
  useSessionStore.setState({ me: ME, token: 't1', expiresAt: now + 3600_000 });
  runIndexScript('#/pages/sidebar/index?customerId=c_1');
  await settled();
  useSessionStore.setState({ token: 't2' });
  await useProfileStore.getState().open('c_1');
  expect(server.calls).toHaveLength(2);
  expect(server.calls[1].authorization).toBe('Bearer t2');
});

test('nothing is asked for without a live consultant or manager session, or on other pages', async () => {
  runIndexScript('#/pages/sidebar/index?customerId=c_1');
  useSessionStore.setState({ me: ME, token: 't1', expiresAt: now - 1000 });
  runIndexScript('#/pages/sidebar/index?customerId=c_1');
  useSessionStore.setState({ me: { ...ME, role: 'customer' as never }, token: 't1', expiresAt: now + 3600_000 });
  runIndexScript('#/pages/sidebar/index?customerId=c_1');
  useSessionStore.setState({ me: ME, token: 't1', expiresAt: now + 3600_000 });
  runIndexScript('#/pages/leads/index');
  runIndexScript('#/pages/sidebar/index');
  await new Promise((r) => setTimeout(r, 100));
  expect(server.calls).toHaveLength(0);
});

test('inside WeCom, the bare sidebar gets the JS-SDK signatures of its address early', async () => {
  const agent = jest.spyOn(window.navigator, 'userAgent', 'get').mockReturnValue('Mozilla/5.0 wxwork/4.1.30 MicroMessenger/7.0.1');
  try {
    useSessionStore.setState({ me: ME, token: 't1', expiresAt: now + 3600_000 });
    runIndexScript('#/pages/sidebar/index');
    await settled();
    expect(server.calls.map((c) => [c.name, c.action])).toEqual([['auth', 'jsapiConfig']]);
    // The call the WeCom detection makes (src/platform/wecom.h5.ts) for this address.
    const signed = await callCloud('auth', 'jsapiConfig', { url: window.location.href.split('#')[0] });
    expect(signed.corpId).toBe('ww1');
    expect(server.calls).toHaveLength(1);
  } finally {
    agent.mockRestore();
  }
});

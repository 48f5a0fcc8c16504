import { Text } from '@tarojs/components';
import { startApiServer, type ApiServer } from '@/test-setup/api-server';
import { render } from '@/test-setup/render';
import { SessionGate } from './session-gate';

const globals = globalThis as unknown as { SIDEKICK_DEMO: boolean };
let server: ApiServer;

beforeEach(async () => {
  // A cloud build opened by WeCom: OAuth sends the person back with ?code=...
  globals.SIDEKICK_DEMO = false;
  window.history.replaceState(null, '', '/?code=oauth-code-1&state=sidekick#/pages/sidebar/index');
  server = await startApiServer(() => [500, { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }]);
});
afterEach(async () => {
  globals.SIDEKICK_DEMO = true;
  window.history.replaceState(null, '', '/');
  await server.close();
});

test('someone outside the corp is told so in Chinese, with nothing to retry', async () => {
  server.reply(() => [403, { ok: false, error: { code: 'FORBIDDEN', message: 'not a member of the corp', reason: 'NOT_CORP_MEMBER' } }]);
  const screen = await render(
    <SessionGate>
      <Text>侧边栏内容</Text>
    </SessionGate>,
  );
  await screen.findByText('你不是本企业成员，无法使用销售助手');
  expect(screen.text()).toContain('无法使用销售助手');
  expect(screen.text()).not.toContain('重试');
  expect(screen.text()).not.toContain('侧边栏内容');
  expect(server.calls.map((c) => [c.action, c.params])).toEqual([['wecomSignIn', { code: 'oauth-code-1' }]]);
  expect(window.location.href).not.toContain('code=');
});

test('a member without a Sidekick account is told whom to ask', async () => {
  server.reply(() => [403, { ok: false, error: { code: 'FORBIDDEN', message: 'no account', reason: 'NOT_STAFF' } }]);
  const screen = await render(
    <SessionGate>
      <Text>侧边栏内容</Text>
    </SessionGate>,
  );
  await screen.findByText('你还没有开通销售助手，请联系店长开通后再试');
});

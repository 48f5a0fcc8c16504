import type { LeadSummary } from '@/contract';
import { startApiServer, type ApiServer } from '@/test-setup/api-server';
import { render } from '@/test-setup/render';
import { MyLeads } from './my-leads';

const lead = (i: number): LeadSummary => ({
  id: `c_${i}`,
  name: `客户${i}`,
  stage: 'lead',
  phoneMasked: `139****000${i}`,
  lastActivityAt: Date.now() - i * 60_000,
});

let server: ApiServer;
afterEach(() => server.close());

test('a failed load shows the reason and 重试 loads the leads', async () => {
  server = await startApiServer(() => [500, { ok: false, error: { code: 'INTERNAL', message: 'db down' } }]);
  const screen = await render(<MyLeads />);
  await screen.findByText('服务器开了个小差，请稍后再试');
  expect(screen.text()).not.toContain('db down');

  server.reply(() => [200, { ok: true, data: { items: [lead(1), lead(2)] } }]);
  await screen.tap(screen.getByText('重试'));
  await screen.findByText('客户2');
  expect(screen.text()).toContain('客户1');
  expect(screen.text()).toContain('没有更多线索了');
  expect(screen.text()).not.toContain('服务器开了个小差');
});

test('加载更多 asks for the next page with the cursor and appends it', async () => {
  server = await startApiServer((call) => {
    const { cursor } = call.params as { cursor?: string };
    return cursor === 'p2'
      ? [200, { ok: true, data: { items: [lead(3)] } }]
      : [200, { ok: true, data: { items: [lead(1), lead(2)], nextCursor: 'p2' } }];
  });
  const screen = await render(<MyLeads />);
  await screen.tap(await screen.findByText('加载更多'));
  await screen.findByText('客户3');
  expect(screen.text()).toContain('客户1');
  expect(server.calls.map((c) => (c.params as { cursor?: string }).cursor)).toEqual([undefined, 'p2']);
});

test('no leads at all reads as an empty list, not an error', async () => {
  server = await startApiServer(() => [200, { ok: true, data: { items: [] } }]);
  const screen = await render(<MyLeads />);
  await screen.findByText('暂无线索');
  expect(screen.text()).not.toContain('加载失败');
});

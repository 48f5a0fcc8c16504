import type { DeadLetterView, OemSyncStatus } from '@/contract';
import { startApiServer, type ApiServer, type ReceivedCall } from '@/test-setup/api-server';
import { render } from '@/test-setup/render';
import { SyncView } from './sync-view';

const now = Date.now();
let server: ApiServer;
let status: OemSyncStatus;
let dead: DeadLetterView[];

function serve(call: ReceivedCall): [number, unknown] {
  const ok = (data: unknown): [number, unknown] => [200, { ok: true, data }];
  switch (`${call.name}.${call.action}`) {
    case 'oemSync.status':
      return ok(status);
    case 'oemSync.deadLetters':
      return ok({ items: dead });
    case 'oemSync.replay': {
      const queued = (call.params as { ids?: string[] }).ids?.length ?? dead.length;
      dead = [];
      status = { ...status, dead: 0, queued: status.queued + queued };
      return ok({ queued });
    }
    default:
      return [404, { ok: false, error: { code: 'UNKNOWN_ACTION', message: call.action } }];
  }
}

beforeEach(async () => {
  status = { configured: true, lastPulledAt: now - 120_000, queued: 3, retrying: 1, dead: 2, withheld: 1, sentToday: 57, lastUploadAt: now - 60_000, uploadError: '主机厂服务异常' };
  dead = [
    { id: 'evt:f1', customerId: 'c1', customerName: '李明', what: '跟进记录：试驾 揽岳', attempts: 8, error: '主机厂无响应', at: now - 3600_000 },
    { id: 'evt:f2', customerId: 'c2', customerName: '陈静', what: '跟进记录：报价 青澜EV', attempts: 1, error: '主机厂拒收该记录', at: now - 7200_000 },
  ];
  server = await startApiServer(serve);
});
afterEach(() => server.close());

test('shows queue depth, failures and the last exchange each way, in words', async () => {
  const screen = await render(<SyncView />);
  await screen.findByText('跟进记录：试驾 揽岳');
  const text = screen.text();
  for (const t of ['待上传', '失败重试中', '需重新发送', '今日已上传', '57', '上次失败：主机厂服务异常，将自动重试', '1 条记录因客户撤回共享授权未上传', '李明', '主机厂拒收该记录', '已尝试 8 次']) expect(text).toContain(t);
});

test('全部重新发送 queues the dead letters again and says so', async () => {
  const screen = await render(<SyncView />);
  await screen.tap(await screen.findByText('全部重新发送'));
  await screen.findByText('已重新排队 2 条记录，将在下一次同步时发送');
  expect(server.calls.find((c) => c.action === 'replay')?.params).toEqual({ all: true });
  await screen.findByText('没有需要重新发送的记录');
});

test('an environment without the OEM link says so', async () => {
  status = { ...status, configured: false };
  dead = [];
  const screen = await render(<SyncView />);
  await screen.findByText('本环境尚未连接主机厂平台，请联系管理员配置');
});

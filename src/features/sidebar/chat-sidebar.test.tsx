import { Text } from '@tarojs/components';
import type { GroupChatCustomers, LeadSummary } from '@/contract';
import { detectWecomContext, WecomFailure, type WecomContext } from '@/platform/wecom';
import { useProfileStore } from '@/stores/profile-store';
import { useSessionStore } from '@/stores/session-store';
import { startApiServer, type ApiServer, type ReceivedCall } from '@/test-setup/api-server';
import { render } from '@/test-setup/render';
import { ChatSidebar } from './chat-sidebar';

jest.mock('@/platform/wecom', () => ({
  ...jest.requireActual<object>('@/platform/wecom'),
  detectWecomContext: jest.fn(),
}));
const detect = detectWecomContext as jest.MockedFunction<typeof detectWecomContext>;

const now = Date.now();
const lead = (id: string, name: string): LeadSummary => ({ id, name, stage: 'prospect', grade: 'A', gradeSource: 'score', score: 70, phoneMasked: '139****0001', lastActivityAt: now - 3600_000 });

let server: ApiServer;
let world: { group: GroupChatCustomers; groupReply?: [number, unknown] };

function serve(call: ReceivedCall): [number, unknown] {
  const ok = (data: unknown): [number, unknown] => [200, { ok: true, data }];
  switch (`${call.name}.${call.action}`) {
    case 'customers.byExternalChat':
      return world.groupReply ?? ok(world.group);
    case 'customers.firstScreen':
      return ok({ customerId: 'c_contact', profile: { id: 'c_contact', name: '王芳' }, timeline: { items: [] }, followUps: { items: [] } });
    case 'leads.list':
      return ok({ items: [lead('c_9', '赵敏')] });
    default:
      return [404, { ok: false, error: { code: 'UNKNOWN_ACTION', message: call.action } }];
  }
}

const inGroup: WecomContext = { inWecom: true, entry: 'group_chat_tools', kind: 'group', chatId: 'wrChat1' };
const sidebar = () => render(<ChatSidebar renderProfile={(id) => <Text>{`客户档案 ${id}`}</Text>} />);

beforeEach(async () => {
  world = { group: { name: '揽月车主群', customers: [lead('c_1', '李明'), lead('c_2', '陈静')], othersCount: 3 } };
  server = await startApiServer(serve);
  useSessionStore.setState({ me: { id: 'zhangwei', name: '张伟', role: 'consultant', storeId: 's1' }, token: 't', expiresAt: now + 3600_000 });
  detect.mockReset();
});
afterEach(() => server.close());

test("in a customer group it lists the consultant's customers there; a tap opens one and the way back is one tap", async () => {
  detect.mockResolvedValue(inGroup);
  const screen = await sidebar();
  await screen.findByText('揽月车主群');
  expect(screen.text()).toContain('群里有 2 位你的客户，另有 3 位群成员不在你的线索中');
  expect(screen.text()).toContain('李明');
  expect(screen.text()).toContain('陈静');
  expect(server.calls.filter((c) => c.action === 'byExternalChat').map((c) => c.params)).toEqual([{ chatId: 'wrChat1' }]);
  expect(server.calls.some((c) => c.action === 'firstScreen')).toBe(false);

  await screen.tap(screen.getByText('陈静'));
  await screen.findByText('客户档案 c_2');
  expect(screen.text()).toContain('客户群 · 揽月车主群');
  await screen.tap(screen.getByText('群里的客户（2）'));
  await screen.findByText('李明');
  expect(screen.queryByText('客户档案 c_2')).toBeNull();
});

test('a group with exactly one of their customers opens that customer at once', async () => {
  world.group = { name: '', customers: [lead('c_1', '李明')], othersCount: 0 };
  detect.mockResolvedValue(inGroup);
  const screen = await sidebar();
  await screen.findByText('客户档案 c_1');
  expect(screen.text()).toContain('客户群 · 未命名的客户群');
  expect(screen.queryByText(/群里的客户（/)).toBeNull();
});

test('a group without any of their customers says so and offers the picker', async () => {
  world.group = { name: '周末试驾群', customers: [], othersCount: 4 };
  detect.mockResolvedValue(inGroup);
  const screen = await sidebar();
  await screen.findByText('这个群里还没有你的客户');
  expect(screen.text()).toContain('群里的 4 位客户都不在你的线索中');
  await screen.tap(await screen.findByText('赵敏'));
  await screen.findByText('客户档案 c_9');
  expect(screen.text()).toContain('手动选择的客户');
});

test("from a customer's detail page it opens that customer", async () => {
  detect.mockResolvedValue({ inWecom: true, entry: 'contact_profile', kind: 'contact', externalUserId: 'wmContact1' });
  const screen = await sidebar();
  await screen.findByText('客户档案 c_contact');
  // Whom the chat is with and their first screen, in one call; the profile has it at once.
  expect(server.calls.filter((c) => c.action === 'firstScreen').map((c) => c.params)).toEqual([{ externalUserId: 'wmContact1', timelineLimit: 20, followUpsLimit: 10 }]);
  expect(useProfileStore.getState()).toMatchObject({ customerId: 'c_contact', status: 'ready', profile: { name: '王芳' } });
});

test('a group WeCom does not know, or a refused bridge, is explained in Chinese with a retry', async () => {
  world.groupReply = [404, { ok: false, error: { code: 'NOT_FOUND', message: 'chatId: unknown', reason: 'CHAT_NOT_FOUND' } }];
  detect.mockResolvedValue(inGroup);
  const screen = await sidebar();
  await screen.findByText('没有找到这个客户群，它可能已解散或不是客户群');
  expect(screen.text()).toContain('重新识别');

  detect.mockRejectedValue(new WecomFailure('getCurExternalChat failed: getCurExternalChat:fail no permission', 'permission'));
  await screen.tap(screen.getByText('重新识别'));
  await screen.findByText('企业微信没有授权销售助手读取当前聊天，请联系管理员开通客户联系权限');
});

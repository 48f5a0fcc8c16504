import type { LeadSummary, ReassignResult, TeamMember } from '@/contract';
import { startApiServer, type ApiServer, type ReceivedCall } from '@/test-setup/api-server';
import { render, type Rendered } from '@/test-setup/render';
import { AssignView } from './assign-view';

const now = Date.now();

const member = (id: string, name: string, over: Partial<TeamMember> = {}): TeamMember => ({
  id,
  name,
  modelLines: ['SUV'],
  capacity: 100,
  activeLeads: 40,
  receivedToday: 2,
  overdue: 0,
  ...over,
});

const lead = (i: number, owner?: { id: string; name: string }, over: Partial<LeadSummary> = {}): LeadSummary => ({
  id: `c_${i}`,
  name: `客户${i}`,
  stage: 'lead',
  grade: 'A',
  score: 80 - i,
  reason: `近30天浏览SUV内容${i}次`,
  phoneMasked: `139****000${i}`,
  lastActivityAt: now - i * 60_000,
  ...(owner ? { owner } : {}),
  ...over,
});

const ZW = { id: 'zhangwei', name: '张伟' };
const LN = { id: 'lina', name: '李娜' };

interface World {
  team: TeamMember[];
  leads: LeadSummary[];
  pool: LeadSummary[];
  reassign?: (params: { customerIds: string[]; to: string }) => ReassignResult;
  listFails?: boolean;
}

let server: ApiServer;
let world: World;

function serve(call: ReceivedCall): [number, unknown] {
  const ok = (data: unknown): [number, unknown] => [200, { ok: true, data }];
  switch (`${call.name}.${call.action}`) {
    case 'leads.team':
      return ok(world.team);
    case 'leads.list': {
      if (world.listFails) return [500, { ok: false, error: { code: 'INTERNAL', message: 'db down' } }];
      const { ownerId, q } = call.params as { ownerId?: string; q?: string };
      return ok({ items: world.leads.filter((l) => (!ownerId || l.owner?.id === ownerId) && (!q || l.name.includes(q))) });
    }
    case 'leads.pool':
      return ok({ items: world.pool });
    case 'leads.reassign':
      return ok(world.reassign!(call.params as { customerIds: string[]; to: string }));
    default:
      return [404, { ok: false, error: { code: 'UNKNOWN_ACTION', message: call.action } }];
  }
}

const el = (screen: Rendered, selector: string): HTMLElement => {
  const found = screen.container.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
};
const chip = (screen: Rendered, text: string): HTMLElement => {
  const found = Array.from(screen.container.querySelectorAll<HTMLElement>('.sk-chip')).find((c) => c.textContent === text);
  if (!found) throw new Error(`no chip ${text}`);
  return found;
};
const rowOf = (screen: Rendered, id: string) => el(screen, `[data-id="${id}"]`);
const calls = (action: string) => server.calls.filter((c) => c.action === action);

beforeEach(async () => {
  world = {
    team: [member('zhangwei', '张伟', { activeLeads: 99, overdue: 3 }), member('lina', '李娜', { activeLeads: 10 })],
    leads: [lead(1, ZW), lead(2, ZW), lead(3, LN, { sla: { state: 'overdue', label: '首次联系已超时2小时' } })],
    pool: [lead(7, undefined, { name: '公海客户' })],
  };
  server = await startApiServer(serve);
});
afterEach(() => server.close());

test('the team strip shows each consultant’s load, today’s leads and overdue count; the table shows owners', async () => {
  const screen = await render(<AssignView />);
  await screen.findByText('客户3');
  const zw = el(screen, '[data-member="zhangwei"]');
  expect(zw.textContent).toContain('在跟 99 / 上限 100');
  expect(zw.textContent).toContain('今日新增 2');
  expect(zw.querySelector('.sk-team__overdue--bad')?.textContent).toBe('超时 3');
  expect(el(screen, '[data-member="lina"]').querySelector('.sk-team__overdue--bad')).toBeNull();
  expect(rowOf(screen, 'c_3').textContent).toContain('李娜');
  expect(rowOf(screen, 'c_3').textContent).toContain('首次联系已超时2小时');
  expect(rowOf(screen, 'c_1').textContent).toContain('近30天浏览SUV内容1次');
});

test('bulk 分配给… moves the selected leads, says what the server said, marks refused rows and updates the counts', async () => {
  world.reassign = ({ customerIds, to }) => {
    expect(to).toBe('lina');
    world.team = [member('zhangwei', '张伟', { activeLeads: 97, overdue: 3 }), member('lina', '李娜', { activeLeads: 11, receivedToday: 3 })];
    return {
      moved: [customerIds[0]],
      refused: [{ customerId: customerIds[1], message: '客户已下订，不能改派' }],
      message: '已分配 1 条给 李娜，1 条未分配',
    };
  };
  const screen = await render(<AssignView />);
  await screen.findByText('客户2');
  await screen.tap(rowOf(screen, 'c_1'));
  await screen.tap(rowOf(screen, 'c_2'));
  await screen.findByText('已选 2 条');

  await screen.tap(screen.getByText('分配给…'));
  const picker = el(screen, '[data-member="lina"].sk-picker__member');
  expect(picker.textContent).toContain('剩余容量 90');
  expect(el(screen, '[data-member="zhangwei"].sk-picker__member').textContent).toContain('剩余容量 1，不够 2 条');
  await screen.tap(picker);

  await screen.findByText('已分配 1 条给 李娜，1 条未分配');
  expect(calls('reassign')[0].params).toEqual({ customerIds: ['c_1', 'c_2'], to: 'lina' });
  expect(rowOf(screen, 'c_1').className).toContain('sk-asg__row--moved');
  expect(rowOf(screen, 'c_1').querySelector('.sk-asg__owner')?.textContent).toBe('李娜');
  expect(rowOf(screen, 'c_2').className).toContain('sk-asg__row--refused');
  expect(rowOf(screen, 'c_2').textContent).toContain('客户已下订，不能改派');
  await screen.findByText('在跟 11 / 上限 100');
  expect(el(screen, '[data-member="lina"]').textContent).toContain('今日新增 3');
  // The refused lead stays selected so it can be given to someone else.
  expect(screen.text()).toContain('已选 1 条');
  // No full reload: the list was read once.
  expect(calls('list')).toHaveLength(1);
});

test('退回公海 from one row’s 改派 returns it to the pool', async () => {
  world.reassign = ({ customerIds }) => ({ moved: customerIds, refused: [], message: '已退回公海 1 条' });
  const screen = await render(<AssignView />);
  await screen.findByText('客户1');
  await screen.tap(rowOf(screen, 'c_1').querySelector<HTMLElement>('.sk-asg__link')!);
  expect(el(screen, '[data-member="zhangwei"].sk-picker__member').textContent).toContain('当前归属');
  await screen.tap(el(screen, '.sk-picker__pool'));
  await screen.findByText('已退回公海 1 条');
  expect(calls('reassign')[0].params).toEqual({ customerIds: ['c_1'], to: 'pool' });
  expect(rowOf(screen, 'c_1').querySelector('.sk-asg__owner')?.textContent).toBe('公海');
});

test('select-all-on-page selects every row; filters ask the server for the pool, a consultant or a name', async () => {
  const screen = await render(<AssignView />);
  await screen.findByText('客户3');
  await screen.tap(el(screen, '[aria-label="本页全选"]'));
  expect(screen.text()).toContain('已选 3 条');

  await screen.tap(chip(screen, '公海'));
  await screen.findByText('公海客户');
  expect(rowOf(screen, 'c_7').querySelector('.sk-asg__owner')?.textContent).toBe('公海');

  await screen.tap(el(screen, '[data-member="lina"]'));
  await screen.findByText('客户3');
  expect(screen.queryByText('客户1')).toBeNull();
  expect(calls('list').at(-1)?.params).toMatchObject({ ownerId: 'lina' });

  await screen.tap(screen.getByText('只看超时'));
  await screen.findByText('客户3');
  // The server does the SLA filtering (one exact query, not a client-side scan).
  expect(calls('list').at(-1)?.params).toMatchObject({ overdue: true });
  await screen.tap(el(screen, '[data-member="lina"]'));
  await screen.findByText('客户3');
  expect(screen.queryByText('客户1')).toBeNull();
});

test('a failed load says why and 重试 shows the leads; no match reads as an empty result', async () => {
  world.listFails = true;
  const screen = await render(<AssignView />);
  await screen.findByText('服务器开了个小差，请稍后再试');
  world.listFails = false;
  await screen.tap(screen.getByText('重试'));
  await screen.findByText('客户1');

  world.leads = [];
  await screen.tap(screen.getByText('只看超时'));
  await screen.findByText('没有首次联系超时的线索');
});

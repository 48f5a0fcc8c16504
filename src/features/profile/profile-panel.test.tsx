import type { CustomerProfile, FollowUpView, GradeInfoView, TimelineItem } from '@/contract';
import { useProfileStore } from '@/stores/profile-store';
import { useSessionStore } from '@/stores/session-store';
import { startApiServer, type ApiServer, type ReceivedCall } from '@/test-setup/api-server';
import { act } from 'react';
import { render } from '@/test-setup/render';
import { ProfilePanel } from './profile-panel';

const now = Date.now();
const ME = { id: 'zhangwei', name: '张伟', role: 'consultant' as const, storeId: 's1', storeName: '杭州西湖店' };

const profile = (over: Partial<CustomerProfile> = {}): CustomerProfile => ({
  id: 'c_1',
  name: '李明',
  gender: 'male',
  city: '杭州',
  phoneMasked: '139****1234',
  phone: '13900001234',
  stage: 'lead',
  sourceChannel: 'autohome',
  sourceChannelName: '汽车之家',
  owner: { id: ME.id, name: ME.name },
  storeId: 's1',
  storeName: '杭州西湖店',
  tags: [],
  vehiclesOfInterest: [{ modelId: 'lanyue', name: '揽岳', line: 'SUV' }],
  vehiclesOwned: [],
  storesVisited: [],
  createdAt: now - 86400_000,
  lastActivityAt: now - 3600_000,
  hasWecom: true,
  score: {
    total: 78,
    fit: 30,
    engagement: 48,
    reasons: ['近30天浏览SUV内容5次，累计停留6分钟', '近7天观看直播2场'],
    penalties: ['退订了活动通知'],
    at: now,
    modelVersion: 1,
  },
  gradeInfo: { grade: 'A', source: 'score', label: 'A级（15天内购车）', suggested: 'A' },
  sla: { state: 'due_soon', label: '首次联系剩2小时' },
  mergedCount: 2,
  sync: { shared: true, lastSyncedAt: now - 180_000, pendingUpstream: 0, failedUpstream: 0, retrying: false },
  otherStores: [],
  updatedAt: 1000,
  ...over,
});

const event = (id: string, title: string, at = now - 60_000): TimelineItem => ({ id, type: 'content_view', at, title, sourceName: '小程序' });

interface World {
  profile: CustomerProfile;
  timeline: TimelineItem[];
  followUps: FollowUpView[];
  pulse: number;
  grade?: (params: { grade: 'H' | 'A' | 'B' | 'C' | null }) => [number, unknown];
}

let server: ApiServer;
let world: World;

function serve(call: ReceivedCall): [number, unknown] {
  const ok = (data: unknown): [number, unknown] => [200, { ok: true, data }];
  switch (`${call.name}.${call.action}`) {
    case 'customers.profile':
      return ok(world.profile);
    case 'customers.timeline': {
      const { types } = call.params as { types?: string[] };
      return ok({ items: world.timeline.filter((i) => !types || types.includes(i.type)) });
    }
    case 'customers.followUps':
      return ok({ items: world.followUps });
    // The first screen: the profile and both lists in one call.
    case 'customers.firstScreen':
      return ok({ customerId: world.profile.id, profile: world.profile, timeline: { items: world.timeline }, followUps: { items: world.followUps } });
    case 'customers.pulse':
      return ok({ updatedAt: world.pulse, lastActivityAt: now });
    case 'customers.setGrade':
      return world.grade ? world.grade(call.params as { grade: null }) : [500, { ok: false, error: { code: 'INTERNAL', message: 'x' } }];
    default:
      return [404, { ok: false, error: { code: 'UNKNOWN_ACTION', message: call.action } }];
  }
}

beforeEach(async () => {
  world = { profile: profile(), timeline: [event('e1', '浏览《揽岳 七座空间实测》')], followUps: [], pulse: 1000 };
  server = await startApiServer(serve);
  useSessionStore.setState({ me: ME, token: 't', expiresAt: now + 3600_000 });
});
afterEach(() => server.close());

test('the first screen says why to work the customer now: score split, reasons, penalties, SLA, merged history', async () => {
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.findByText('李明');
  const text = screen.text();
  expect(text).toContain('78');
  expect(text).toContain('匹配度');
  expect(text).toContain('活跃度');
  expect(text).toContain('近30天浏览SUV内容5次，累计停留6分钟');
  expect(text).toContain('退订了活动通知');
  expect(text).toContain('首次联系剩2小时');
  expect(text).toContain('合并了2位客户的记录');
  expect(text).toContain('A级');
  expect(text).toContain('评分建议');
  await screen.findByText('浏览《揽岳 七座空间实测》');
  await screen.findByText('还没有跟进记录');
});

test('a consultant grade past its horizon asks for a review; a customer without score says so', async () => {
  world.profile = profile({
    score: undefined,
    mergedCount: 0,
    gradeInfo: { grade: 'H', source: 'consultant', label: 'H级（7天内购车）', suggested: 'B', stale: true },
  });
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.findByText('已过期，请复核');
  expect(screen.text()).toContain('评分建议 B级');
  expect(screen.text()).toContain('还没有评分');
  expect(screen.text()).not.toContain('合并了');
});

test('tapping the grade offers H/A/B/C with their meaning; choosing H saves it and the badge shows H at once', async () => {
  world.grade = ({ grade }) => {
    const info: GradeInfoView = { grade: grade ?? undefined, source: 'consultant', label: 'H级（7天内购车）', suggested: 'A', setBy: { name: '张伟', at: now } };
    return [200, { ok: true, data: info }];
  };
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.tap(await screen.findByText('A级'));
  expect(screen.text()).toContain('7天内购车');
  expect(screen.text()).toContain('3个月内购车');
  await screen.tap(screen.getByText('H级'));
  await screen.findByText('评分建议 A级');
  expect(server.calls.filter((c) => c.action === 'setGrade').map((c) => c.params)).toEqual([{ customerId: 'c_1', grade: 'H' }]);
  expect(useProfileStore.getState().profile?.gradeInfo.grade).toBe('H');
  expect(screen.container.querySelector('.sk-grade__letter')?.textContent).toBe('H级');
});

test('a refused grade goes back to what it was', async () => {
  world.grade = () => [403, { ok: false, error: { code: 'FORBIDDEN', message: 'not owner' } }];
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.tap(await screen.findByText('A级'));
  await screen.tap(screen.getByText('H级'));
  await screen.findByText('你没有权限查看这些内容');
  expect(screen.container.querySelector('.sk-grade__letter')?.textContent).toBe('A级');
});

test('someone else\'s customer shows the grade but does not offer to change it', async () => {
  world.profile = profile({ owner: { id: 'other', name: '李娜' }, phone: undefined });
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.tap(await screen.findByText('A级'));
  expect(screen.text()).not.toContain('3个月内购车');
});

test('when the pulse says the customer changed, the profile and the newest events are read again', async () => {
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.findByText('浏览《揽岳 七座空间实测》');

  const profileReads = () => server.calls.filter((c) => c.action === 'profile' || c.action === 'firstScreen').length;
  await act(() => useProfileStore.getState().checkPulse());
  expect(profileReads()).toBe(1);

  world.pulse = 2000;
  world.profile = profile({ updatedAt: 2000, stage: 'prospect' });
  world.timeline = [{ ...event('e2', '试驾揽岳 2.0T 四驱旗舰版', now), type: 'test_drive' }, ...world.timeline];
  await act(() => useProfileStore.getState().checkPulse());
  await screen.findByText('试驾揽岳 2.0T 四驱旗舰版');
  expect(screen.text()).toContain('潜客');
  expect(screen.text()).toContain('浏览《揽岳 七座空间实测》');
  expect(profileReads()).toBe(2);
});

test('a filter chip asks for its touchpoint types only', async () => {
  world.timeline = [event('e1', '浏览《揽岳 七座空间实测》'), { ...event('e2', '到店看车', now - 1000), type: 'store_visit' }];
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.findByText('到店看车');
  await screen.tap(screen.getByText('到店试驾'));
  await screen.findByText('到店看车');
  expect(screen.queryByText('浏览《揽岳 七座空间实测》')).toBeNull();
  const last = server.calls.filter((c) => c.action === 'timeline').at(-1);
  expect((last?.params as { types?: string[] }).types).toEqual(['store_visit', 'test_drive', 'service_visit']);
  await screen.tap(screen.getByText('沟通'));
  await screen.findByText('没有“沟通”类的记录');
});

test('follow-ups show newest first as the server orders them, with who and what', async () => {
  world.followUps = [
    { id: 'f2', kind: 'test_drive', title: '试驾 揽岳', note: '很满意', at: now - 60_000, staffName: '张伟' },
    { id: 'f1', kind: 'call', title: '电话已接通', note: '', at: now - 86400_000, staffName: '张伟' },
  ];
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.findByText('试驾 揽岳');
  const titles = Array.from(screen.container.querySelectorAll('.sk-fu__title')).map((el) => el.textContent);
  expect(titles).toEqual(['试驾 揽岳', '电话已接通']);
  expect(screen.text()).toContain('很满意');
});

test('the OEM sync line says when the customer last synced, what waits to go up and a failure being retried; the owner can record a withdrawal', async () => {
  world.profile = profile({
    campaign: '春季SUV试驾季',
    sync: { shared: true, lastSyncedAt: now - 3 * 60_000, pendingUpstream: 2, failedUpstream: 0, lastError: '主机厂无响应', retrying: true },
    otherStores: [{ storeId: 's2', storeName: '上海嘉定店', count: 2, lastAt: now - 86400_000 }],
  });
  const screen = await render(<ProfilePanel customerId='c_1' />);
  await screen.findByText('已与主机厂同步 · 3分钟前');
  const text = screen.text();
  expect(text).toContain('2条记录待上传');
  expect(text).toContain('上次同步失败：主机厂无响应，将自动重试');
  expect(text).toContain('春季SUV试驾季');
  expect(text).toContain('上海嘉定店');
  expect(text).toContain('主机厂提供，客户已同意共享');

  let withdrawn = false;
  server.reply((call) => {
    if (call.action === 'withdrawConsent') {
      withdrawn = true;
      world.profile = profile({ sync: { shared: false, pendingUpstream: 0, failedUpstream: 0, retrying: false } });
      return [200, { ok: true, data: { purpose: 'oem_sharing', granted: false, at: now, changed: true } }];
    }
    return serve(call);
  });
  await screen.tap(screen.getByText('客户要求撤回共享授权'));
  await screen.tap(await screen.findByText('确定撤回'));
  await screen.findByText('客户未同意与主机厂共享信息，记录只留在本店');
  expect(withdrawn).toBe(true);
  expect(server.calls.find((c) => c.action === 'withdrawConsent')?.params).toEqual({ customerId: 'c_1', purpose: 'oem_sharing' });
});

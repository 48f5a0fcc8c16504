import type { CustomerProfile, FollowUpView } from '@/contract';
import { act } from 'react';
import { buildFollowUp, OFFLINE_SAVED, useFollowUpSheetStore } from '@/stores/profile-follow-up-store';
import { useProfileStore } from '@/stores/profile-store';
import { resetAllStores } from '@/stores/registry';
import { useSessionStore } from '@/stores/session-store';
import { startApiServer, type ApiServer, type ReceivedCall } from '@/test-setup/api-server';
import { cleanup, render, type Rendered } from '@/test-setup/render';
import { FollowUpSheet } from './follow-up-sheet';

const now = Date.now();
const ME = { id: 'zhangwei', name: '张伟', role: 'consultant' as const, storeId: 's1', storeName: '杭州西湖店' };

const profile = {
  id: 'c_1',
  name: '李明',
  owner: { id: 'zhangwei', name: '张伟' },
  vehiclesOfInterest: [{ modelId: 'lanyue', name: '揽岳', line: 'SUV' }],
} as unknown as CustomerProfile;

let server: ApiServer;
let followUpReply: (call: ReceivedCall) => [number, unknown];
const recorded: FollowUpView = { id: 'f1', kind: 'test_drive', title: '试驾 揽岳', note: '', at: now, staffName: '张伟' };

beforeEach(async () => {
  followUpReply = () => [200, { ok: true, data: { followUp: recorded, created: true } }];
  server = await startApiServer((call) => {
    const ok = (data: unknown): [number, unknown] => [200, { ok: true, data }];
    if (call.action === 'filters') return ok({ tags: [], channels: [], models: [{ id: 'lanyue', name: '揽岳', count: 9 }, { id: 'tuyao', name: '途遥', count: 4 }] });
    if (call.action === 'followUp') return followUpReply(call);
    if (call.action === 'profile') return ok(profile);
    if (call.action === 'firstScreen') return ok({ customerId: profile.id, profile, timeline: { items: [] }, followUps: { items: [] } });
    return ok({ items: [] });
  });
  signedInOnProfile();
});

function signedInOnProfile(): void {
  useSessionStore.setState({ me: ME, token: 't', expiresAt: now + 3600_000 });
  useProfileStore.setState({ customerId: 'c_1', profile, status: 'ready' });
}
afterEach(() => server.close());

/** Waits (inside act) until `done` holds, e.g. until the server's reply has been handled. */
async function until(done: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await act(() => new Promise((r) => setTimeout(r, 20)));
  }
}

const followUpCalls = () => server.calls.filter((c) => c.action === 'followUp').map((c) => c.params as Record<string, unknown>);

async function openSheet(): Promise<Rendered> {
  const screen = await render(<FollowUpSheet customerId='c_1' />);
  await screen.tap(screen.getByText('记录跟进'));
  return screen;
}

test('a test drive takes two taps and a save; the model list puts the customer\'s own models first', async () => {
  const screen = await openSheet();
  await screen.tap(screen.getByText('试驾'));
  await screen.findByText('途遥');
  const models = Array.from(screen.container.querySelectorAll('.sk-fs__field--modelId .sk-fs__chip')).map((el) => el.textContent);
  expect(models).toEqual(['揽岳（意向）', '途遥']);
  expect(screen.text()).not.toContain('报价（万元）');
  await screen.tap(screen.getByText('揽岳（意向）'));
  await screen.tap(screen.getByText('保存'));
  await until(() => !useFollowUpSheetStore.getState().visible);
  expect(followUpCalls()).toEqual([{ customerId: 'c_1', kind: 'test_drive', modelId: 'lanyue', note: '', messageId: expect.stringMatching(/^[A-Za-z0-9_.:-]{8,100}$/) }]);
  await until(() => server.calls.some((c) => c.action === 'followUps'));
  expect(server.calls.some((c) => c.action === 'profile')).toBe(true);
  expect(server.calls.some((c) => c.action === 'timeline')).toBe(true);
  expect(server.calls.some((c) => c.action === 'followUps')).toBe(true);
});

test('a double tap on 保存 records once', async () => {
  const screen = await openSheet();
  await screen.tap(screen.getByText('电话'));
  await screen.tap(screen.getByText('已接通'));
  const save = screen.getByText('保存');
  await screen.tap(save);
  await screen.tap(save);
  await until(() => !useFollowUpSheetStore.getState().visible);
  await act(() => new Promise((r) => setTimeout(r, 100)));
  expect(followUpCalls()).toHaveLength(1);
  expect(followUpCalls()[0]).toMatchObject({ kind: 'call', outcome: 'connected' });
});

test('a retry after a failed reply sends the same messageId; a new opening gets a new one', async () => {
  followUpReply = () => [500, { ok: false, error: { code: 'INTERNAL', message: 'timeout' } }];
  const screen = await openSheet();
  await screen.tap(screen.getByText('到店'));
  await screen.tap(screen.getByText('保存'));
  await screen.findByText('服务器开了个小差，请稍后再试');
  followUpReply = () => [200, { ok: true, data: { followUp: recorded, created: false } }];
  await screen.tap(screen.getByText('保存'));
  await until(() => !useFollowUpSheetStore.getState().visible);
  const [a, b] = followUpCalls();
  expect(a.messageId).toBe(b.messageId);

  await screen.tap(screen.container.querySelector<HTMLElement>('.sk-fs-bar .sk-action')!);
  await screen.tap(screen.getByText('到店'));
  await screen.tap(screen.getByText('保存'));
  await until(() => followUpCalls().length === 3);
  expect(followUpCalls()[2].messageId).not.toBe(a.messageId);
});

test('missing fields are named in Chinese next to the field and nothing is sent', async () => {
  const screen = await openSheet();
  await screen.tap(screen.getByText('报价'));
  await screen.tap(screen.getByText('保存'));
  expect(screen.container.querySelector('.sk-fs__field--modelId .sk-fs__error')?.textContent).toBe('请选择车型');
  expect(screen.container.querySelector('.sk-fs__field--price .sk-fs__error')?.textContent).toBe('请填写价格');
  expect(followUpCalls()).toHaveLength(0);
  await screen.tap(screen.getByText('战败'));
  await screen.tap(screen.getByText('保存'));
  expect(screen.container.querySelector('.sk-fs__field--reason .sk-fs__error')?.textContent).toBe('请选择战败原因');
  await screen.tap(screen.getByText('已购竞品'));
  expect(screen.text()).toContain('购买的品牌或门店');
  expect(screen.container.querySelector('.sk-fs__field--reason .sk-fs__error')).toBeNull();
});

test('a field the server refuses is shown in Chinese next to that field', async () => {
  followUpReply = () => [400, { ok: false, error: { code: 'INVALID_INPUT', message: 'price', issues: [{ field: 'price', message: 'must be at most 10,000,000 yuan' }] } }];
  const screen = await openSheet();
  await screen.tap(screen.getByText('下订'));
  await screen.tap(await screen.findByText('揽岳（意向）'));
  act(() => useFollowUpSheetStore.getState().setField('price', '18.58'));
  await screen.tap(screen.getByText('保存'));
  await screen.findByText('价格不正确，请检查');
  expect(screen.container.querySelector('.sk-fs__field--price .sk-fs__error')?.textContent).toBe('价格不正确，请检查');
  expect(followUpCalls()[0]).toMatchObject({ kind: 'order', price: 185_800, deposit: 0 });
});

test('a follow-up typed offline stays on the device after the page is left, and is sent once when the network is back', async () => {
  const globals = globalThis as unknown as { SIDEKICK_API_BASE: string };
  const api = globals.SIDEKICK_API_BASE;
  const screen = await openSheet();
  await screen.tap(screen.getByText('备注'));
  act(() => useFollowUpSheetStore.getState().setField('note', '客户周六带家人到店'));
  // The network goes: nothing answers.
  globals.SIDEKICK_API_BASE = 'http://127.0.0.1:9';
  await screen.tap(screen.getByText('保存'));
  await screen.findByText(OFFLINE_SAVED);
  const kept = JSON.parse(window.localStorage.getItem('sidekick-follow-up-draft:zhangwei:c_1') ?? '{}') as { data?: string };
  const { messageId } = JSON.parse(kept.data ?? '{}') as { messageId?: string };
  expect(messageId).toMatch(/^fu-/);

  // The consultant leaves the page: everything in memory is gone, the device still has the draft.
  act(() => {
    cleanup();
    resetAllStores();
  });
  signedInOnProfile();
  const again = await render(<FollowUpSheet customerId='c_1' />);
  act(() => void window.dispatchEvent(new Event('offline')));
  await again.findByText('网络不可用，有一条跟进保存在本机');
  expect(again.queryByText(/^发送$/)).toBeNull();

  globals.SIDEKICK_API_BASE = api;
  act(() => void window.dispatchEvent(new Event('online')));
  await again.findByText('网络已恢复，有一条跟进还没发送');
  await again.tap(again.getByText(/^发送$/));
  await until(() => followUpCalls().length === 1 && !useFollowUpSheetStore.getState().unsent);
  expect(followUpCalls()[0]).toMatchObject({ kind: 'note', note: '客户周六带家人到店', messageId });
  expect(window.localStorage.getItem('sidekick-follow-up-draft:zhangwei:c_1')).toBeNull();
  expect(again.queryByText('网络已恢复，有一条跟进还没发送')).toBeNull();
});

test('a draft left in the sheet comes back when it opens again, and 清空 starts afresh', async () => {
  const screen = await openSheet();
  await screen.tap(screen.getByText('电话'));
  act(() => useFollowUpSheetStore.getState().setField('note', '约了周末'));
  act(() => {
    cleanup();
    resetAllStores();
  });
  signedInOnProfile();
  const again = await openSheet();
  await again.findByText('已恢复上次没保存的内容');
  expect(useFollowUpSheetStore.getState()).toMatchObject({ kind: 'call', draft: { note: '约了周末' } });
  await again.tap(again.getByText('清空'));
  expect(useFollowUpSheetStore.getState().kind).toBeUndefined();
  expect(window.localStorage.getItem('sidekick-follow-up-draft:zhangwei:c_1')).toBeNull();
});

test('a manager sees no 记录跟进 button', async () => {
  useSessionStore.setState({ me: { ...ME, role: 'manager' } });
  const screen = await render(<FollowUpSheet customerId='c_1' />);
  expect(screen.queryByText('记录跟进')).toBeNull();
});

describe('buildFollowUp', () => {
  const draft = { price: '', priceCut: '', deposit: '', competitor: '', note: '' };
  test('amounts typed in 万元 become yuan; 定金 stays in yuan', () => {
    expect(buildFollowUp('c', 'm-12345678', 'quote', { ...draft, modelId: 'x', price: '18.58', priceCut: '1.2' })).toEqual({
      params: { customerId: 'c', messageId: 'm-12345678', note: '', kind: 'quote', modelId: 'x', price: 185_800, priceCut: 12_000 },
    });
    expect(buildFollowUp('c', 'm-12345678', 'order', { ...draft, modelId: 'x', price: '20', deposit: '5000' })).toMatchObject({
      params: { price: 200_000, deposit: 5000 },
    });
  });
  test.each([
    [{ price: 'abc' }, 'price', '请填写正确的价格，单位万元，如 18.58'],
    [{ price: '2000' }, 'price', '价格不能超过1000万元'],
    [{ price: '18', priceCut: '20' }, 'priceCut', '优惠金额不能超过价格'],
  ])('%j is refused at %s', (over, field, message) => {
    const built = buildFollowUp('c', 'm-12345678', 'quote', { ...draft, modelId: 'x', ...over });
    expect(built).toEqual({ errors: { [field]: message } });
  });
  test('a note needs text only when it is the whole follow-up', () => {
    expect(buildFollowUp('c', 'm-12345678', 'note', draft)).toEqual({ errors: { note: '请填写备注内容' } });
    expect(buildFollowUp('c', 'm-12345678', 'visit', draft)).toEqual({ params: { customerId: 'c', messageId: 'm-12345678', note: '', kind: 'visit' } });
  });
});

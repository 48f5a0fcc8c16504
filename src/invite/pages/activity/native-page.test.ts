/**
 * The weapp invitation page (index.ts, a native page) run against a minimal stand-in for the
 * mini-program: `Page` registers the options, `wx.cloud` answers from a script. Everything under
 * that boundary (reply unwrapping, formatting, states) is the real code. WXML binds to
 * `data.state`, so what the customer sees is read from there.
 */
import type { ActivityView } from '@/contract';
import type { InvitationState } from '@/features/invite/invitation-view';

type Reply = { result?: unknown } | Error;
interface Call {
  name: string;
  data: { action: string; params: unknown };
}
interface PageOptions {
  data: { state: InvitationState };
  onLoad(query: Record<string, string | undefined>): void;
  retry(): void;
  [key: string]: unknown;
}
interface Mounted {
  state: () => InvitationState;
  retry: () => void;
  page: PageOptions & { data: Record<string, unknown> };
}

// Local wall-clock times, so the expectations hold in any time zone.
const at = (d: number, h: number, m = 0) => new Date(2026, 10, d, h, m).getTime();

const activity: ActivityView = {
  id: 'act_1',
  title: '揽月 七座家庭试驾日',
  description: '一家人一起来试驾七座新车',
  storeName: '星河汽车 城东店',
  address: '杭州市上城区钱江路 88 号',
  startAt: at(29, 9, 30),
  endAt: at(29, 17, 0),
  perks: ['到店礼：车载香氛一份', '试驾即送保养券'],
  capacity: 40,
  registered: 32,
  storePhone: '0571-88886666',
};

let calls: Call[];
let inits: unknown[];
let replies: Array<(call: Call) => Promise<Reply>>;

/** Loads index.ts afresh (as a new mini-program would) and opens the page with `query`. */
function open(query: Record<string, string | undefined>): Mounted {
  let options: PageOptions | undefined;
  const g = globalThis as Record<string, unknown>;
  g.Page = (o: PageOptions) => (options = o);
  g.wx = {
    cloud: {
      init: (o: unknown) => inits.push(o),
      callFunction: async (call: Call) => {
        calls.push(call);
        const next = replies.shift();
        if (!next) throw new Error(`unexpected call ${call.data.action}`);
        const reply = await next(call);
        if (reply instanceof Error) throw reply;
        return reply;
      },
    },
  };
  jest.isolateModules(() => {
    require('./index.ts');
  });
  if (!options) throw new Error('index.ts did not register a Page');
  // As the platform does: the instance gets the options' fields and a setData that merges.
  const page = { ...options, data: { ...options.data } } as PageOptions & { setData(d: Partial<PageOptions['data']>): void };
  page.setData = (d) => Object.assign(page.data, d);
  page.onLoad.call(page, query);
  return { state: () => page.data.state, retry: () => page.retry.call(page), page: page as Mounted['page'] };
}

const ok = (data: unknown): Reply => ({ result: { ok: true, data } });
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  calls = [];
  inits = [];
  replies = [];
});

afterAll(() => {
  const g = globalThis as Record<string, unknown>;
  delete g.Page;
  delete g.wx;
});

test('shows the invitation asked for, in the words of the H5 page', async () => {
  replies.push(async () => ok(activity));
  const page = open({ id: 'act_1' });
  expect(page.state()).toEqual({ status: 'loading', label: '正在打开邀请函…' });
  await settle();

  expect(calls).toEqual([{ name: 'activities', data: { action: 'get', params: { activityId: 'act_1' } } }]);
  // Opened from a shared card, the package sets up the cloud itself (app.js has not run).
  expect(inits).toHaveLength(1);
  expect(page.state()).toEqual({
    status: 'ready',
    invitation: {
      kicker: '星河汽车 城东店 诚邀您参加',
      title: '揽月 七座家庭试驾日',
      time: '2026年11月29日 周日 09:30 – 17:00',
      storeName: '星河汽车 城东店',
      address: '杭州市上城区钱江路 88 号',
      capacity: '共 40 个名额',
      placesLeft: '剩余 8 个名额',
      full: false,
      phone: '0571-88886666',
      description: '一家人一起来试驾七座新车',
      perks: ['到店礼：车载香氛一份', '试驾即送保养券'],
    },
  });
});

test('without an id it shows the next upcoming activity, across days when it spans them', async () => {
  const twoDays = { ...activity, startAt: at(29, 9, 30), endAt: at(30, 17, 0), perks: [], description: '' };
  replies.push(async () => ok([twoDays, { ...activity, id: 'act_2', title: '后面的活动' }]));
  const page = open({});
  await settle();

  expect(calls.map((c) => c.data)).toEqual([{ action: 'upcoming', params: {} }]);
  const state = page.state();
  expect(state.status === 'ready' && state.invitation).toMatchObject({
    title: '揽月 七座家庭试驾日',
    time: '2026年11月29日 周日 09:30 – 11月30日 周一 17:00',
    description: '',
    perks: [],
  });
});

test('says so when no activity is coming up', async () => {
  replies.push(async () => ok([]));
  const page = open({});
  await settle();
  expect(page.state()).toEqual({ status: 'empty', title: '近期没有活动', description: '门店发布新活动后，你会在这里看到邀请' });
});

test('tells the customer when the invitation no longer exists', async () => {
  replies.push(async () => ({ result: { ok: false, error: { code: 'NOT_FOUND', message: 'activityId: no activity act_9' } } }));
  const page = open({ id: 'act_9' });
  await settle();
  expect(page.state()).toEqual({ status: 'error', title: '邀请函打开失败', message: '没有找到相关内容，可能已被删除' });
});

test('a failed call offers a retry that loads the invitation again', async () => {
  replies.push(async () => new Error('cloud.callFunction:fail Error: timeout'));
  const page = open({ id: 'act_1' });
  await settle();
  expect(page.state()).toEqual({ status: 'error', title: '邀请函打开失败', message: '网络连接失败，请检查网络后再试' });

  replies.push(async () => ok(activity));
  page.retry();
  expect(page.state().status).toBe('loading');
  await settle();
  expect(page.state().status).toBe('ready');
  expect(calls.map((c) => c.data)).toEqual([
    { action: 'get', params: { activityId: 'act_1' } },
    { action: 'get', params: { activityId: 'act_1' } },
  ]);
  expect(inits).toHaveLength(1);
});

test('a reply that is not an ApiReply is shown as a server problem, not as an empty page', async () => {
  replies.push(async () => ({ result: undefined }));
  const page = open({ id: 'act_1' });
  await settle();
  expect(page.state()).toEqual({ status: 'error', title: '邀请函打开失败', message: '服务器开了个小差，请稍后再试' });
});

test('a slow first try cannot overwrite the answer of a retry', async () => {
  let releaseFirst: (r: Reply) => void = () => undefined;
  replies.push(() => new Promise<Reply>((r) => (releaseFirst = r)));
  const page = open({ id: 'act_1' });
  replies.push(async () => ok(activity));
  page.retry();
  await settle();
  expect(page.state().status).toBe('ready');

  releaseFirst(new Error('late failure'));
  await settle();
  expect(page.state().status).toBe('ready');
});

describe('a tracked link', () => {
  // The page decides "ended" by the phone's clock: an event three days ahead of it.
  const soon = { startAt: Date.now() + 3 * 86_400_000, endAt: Date.now() + 3.3 * 86_400_000 };
  const opened = (o: Record<string, unknown> = {}) => ({ activity: { ...activity, ...soon, registered: 39 }, consultantName: '张伟', viewer: 'recipient', tracking: 'unasked', canConsent: true, tracked: false, known: { name: '李明', phoneMasked: '138****0001' }, ...o });

  test('asks for consent first; the privacy button records it and a tracked visit starts', async () => {
    replies.push(async () => ok(opened()));
    const { page, state } = open({ t: 'sendid.mac' });
    await settle();
    expect(calls[0].data).toMatchObject({ action: 'open', params: { link: 'sendid.mac' } });
    expect(page.data).toMatchObject({ asking: true, tracked: { consent: 'ask', from: '顾问 张伟 邀请您', registration: { kind: 'open' } } });
    expect(state()).toMatchObject({ status: 'ready', invitation: { placesLeft: '剩余 1 个名额' } });

    replies.push(async () => ok({ purpose: 'tracking', granted: true, at: 1, changed: true }));
    replies.push(async () => ok(opened({ tracking: 'granted', tracked: true })));
    await (page.agree as () => Promise<void>).call(page);
    await settle();
    expect(calls.slice(1).map((c) => c.data)).toEqual([
      { action: 'consent', params: { link: 'sendid.mac', granted: true, noticeVersion: 'invite-2025-03' } },
      { action: 'open', params: { link: 'sendid.mac', visitId: expect.any(String) } },
    ]);
    expect(page.data).toMatchObject({ asking: false, tracked: { consent: 'granted' } });
    (page.onUnload as () => void).call(page);
    expect(calls.at(-1)?.data).toMatchObject({ action: 'beat', params: { final: true } });
  });

  test('registers with the phone button: the code goes to the server, the page says 已报名', async () => {
    replies.push(async () => ok(opened({ tracking: 'granted' })));
    const { page } = open({ t: 'sendid.mac', id: 'act_1' });
    await settle();
    (page.onHide as () => void).call(page);
    replies.push(async () => ok({ registered: true, registration: { activityId: 'act_1', title: 'x', storeName: '', address: '', startAt: 0, endAt: 0, status: 'registered', at: 1, phoneMasked: '138****0001' }, placesLeft: 0 }));
    await (page.phone as (e: unknown) => Promise<void>).call(page, { detail: { code: 'phone-code-1' } });
    expect(calls.find((c) => c.data.action === 'register')?.data).toEqual({ action: 'register', params: { activityId: 'act_1', link: 'sendid.mac', phoneCode: 'phone-code-1' } });
    expect(page.data).toMatchObject({ tracked: { registration: { kind: 'registered', label: '已报名', phoneMasked: '138****0001' }, invitation: { placesLeft: '名额已满' } } });
  });
});

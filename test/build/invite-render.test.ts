/**
 * @jest-environment jsdom
 *
 * The built invitation page (dist/weapp/invite/pages/activity: WXML, WXSS, JS, JSON as WeChat
 * receives them) rendered by miniprogram-simulate with WeChat's own WXML compiler (the `wcc` of
 * miniprogram-compiler) on j-component, the mini-program component engine. The page's JS runs as
 * built, with only its package's files: what the customer would see is read from the rendered DOM.
 *
 * miniprogram-simulate registers components only; a page is a component whose lifecycle methods
 * sit beside its handlers (as WeChat builds pages with `Component`), so `Page` below does exactly
 * that: data stays data, every function becomes a method, other fields are deep-copied onto the
 * instance, and `onLoad` runs with the page's query when it attaches.
 */
import { resolve } from 'node:path';

/** The part of miniprogram-simulate used here. Its own typings declare the mini-program's globals
 * (`require`, `wx`, `Page`) for every file of the compilation, so they are not imported. */
interface Rendered {
  dom?: HTMLElement;
  querySelector(selector: string): Rendered | undefined;
  querySelectorAll(selector: string): Rendered[];
  dispatchEvent(event: string): void;
  attach(parent: Element): void;
}
interface Simulate {
  load(path: string, tagName: string, options: { compiler: 'official' | 'simulate'; rootPath: string }): string;
  render(id: string): Rendered;
  sleep(ms: number): Promise<void>;
}
const simulate = jest.requireActual<Simulate>('miniprogram-simulate');

const dist = resolve(__dirname, '../..', process.env.SIDEKICK_OUT_DIR || 'dist', 'weapp');
const pagePath = resolve(dist, 'invite/pages/activity/index');

interface Call {
  name: string;
  data: { action: string; params: unknown };
}
type Reply = { result?: unknown } | Error;
type PageOptions = { data: Record<string, unknown> } & Record<string, unknown>;
type Instance = Record<string, unknown> & { onLoad?: (query: Record<string, string>) => void };

// Local wall-clock times, so the expectations hold in any time zone.
const at = (d: number, h: number, m = 0) => new Date(2026, 10, d, h, m).getTime();
const activity = {
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

let query: Record<string, string> = {};
const calls: Call[] = [];
const inits: unknown[] = [];
let replies: Array<() => Promise<Reply>> = [];
let pageId = '';

// One `wx` for the whole file: the package's webpack runtime keeps its chunk list on it.
(globalThis as Record<string, unknown>).wx = {
  cloud: {
    init: (options: unknown) => inits.push(options),
    callFunction: async (call: Call) => {
      calls.push(call);
      const next = replies.shift();
      if (!next) throw new Error(`unexpected call ${call.data.action}`);
      const reply = await next();
      if (reply instanceof Error) throw reply;
      return reply;
    },
  },
};

(globalThis as Record<string, unknown>).Page = (options: PageOptions) => {
  const { data, ...rest } = options;
  const methods: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) (typeof value === 'function' ? methods : fields)[key] = value;
  const register = (globalThis as unknown as { Component: (definition: object) => void }).Component;
  register({
    data,
    methods,
    lifetimes: {
      created(this: Instance) {
        Object.assign(this, JSON.parse(JSON.stringify(fields)) as Record<string, unknown>);
      },
      attached(this: Instance) {
        this.onLoad?.(query);
      },
    },
  });
};

beforeAll(() => {
  // Loads the page's JSON, WXSS and WXML (compiled by wcc) and runs its JS, which calls Page.
  pageId = simulate.load(pagePath, 'invite-activity', { compiler: 'official', rootPath: dist });
});

beforeEach(() => {
  calls.length = 0;
  replies = [];
  query = {};
});

function open(q: Record<string, string>) {
  query = q;
  const page = simulate.render(pageId);
  page.attach(document.createElement('parent-wrapper'));
  return page;
}

const settle = () => simulate.sleep(0);
const texts = (page: Rendered, selector: string) => page.querySelectorAll(selector).map((c) => c.dom?.textContent?.trim());
const ok = (data: unknown): Reply => ({ result: { ok: true, data } });

test('renders the loading skeleton, then the invitation the customer was sent', async () => {
  let release: (r: Reply) => void = () => undefined;
  replies.push(() => new Promise<Reply>((r) => (release = r)));
  const page = open({ id: 'act_1' });

  expect(page.querySelectorAll('.sk-skeleton')).toHaveLength(2);
  expect(page.querySelector('.sk-state__caption')?.dom?.textContent).toBe('正在打开邀请函…');
  expect(page.querySelector('.sk-invite')).toBeUndefined();

  release(ok(activity));
  await settle();
  expect(calls).toEqual([{ name: 'activities', data: { action: 'get', params: { activityId: 'act_1' } } }]);
  // Opened from a shared card the package sets up the cloud itself, naming the build's environment.
  expect(inits).toEqual([{ env: expect.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]*$/), traceUser: true }]);

  expect(page.querySelector('.sk-skeleton')).toBeUndefined();
  expect(page.querySelector('.sk-invite__kicker')?.dom?.textContent).toBe('星河汽车 城东店 诚邀您参加');
  expect(page.querySelector('.sk-invite__title')?.dom?.textContent).toBe('揽月 七座家庭试驾日');
  expect(texts(page, '.sk-invite__key')).toEqual(['时间', '地点', '名额']);
  expect(texts(page, '.sk-invite__row .sk-invite__value')[0]).toBe('2026年11月29日 周日 09:30 – 17:00');
  expect(page.querySelector('.sk-invite__address')?.dom?.textContent).toBe('杭州市上城区钱江路 88 号');
  expect(texts(page, '.sk-invite__heading')).toEqual(['活动介绍', '到店礼遇']);
  expect(texts(page, '.sk-invite__perk .sk-invite__text')).toEqual(['到店礼：车载香氛一份', '试驾即送保养券']);
});

test('leaves out the description and perks cards when the activity has none', async () => {
  replies.push(async () => ok([{ ...activity, description: '', perks: [] }]));
  const page = open({});
  await settle();
  expect(calls.map((c) => c.data)).toEqual([{ action: 'upcoming', params: {} }]);
  expect(page.querySelector('.sk-invite__title')?.dom?.textContent).toBe('揽月 七座家庭试驾日');
  expect(page.querySelectorAll('.sk-invite__heading')).toHaveLength(0);
  expect(page.querySelectorAll('.sk-invite__perk')).toHaveLength(0);
});

test('says so when no activity is coming up', async () => {
  replies.push(async () => ok([]));
  const page = open({});
  await settle();
  expect(page.querySelector('.sk-state__title')?.dom?.textContent).toBe('近期没有活动');
  expect(page.querySelector('.sk-state__retry')).toBeUndefined();
});

test('a failed call shows the error with 重试, and tapping it loads the invitation', async () => {
  replies.push(async () => new Error('cloud.callFunction:fail Error: timeout'));
  const page = open({ id: 'act_1' });
  await settle();
  expect(page.querySelector('.sk-state__title')?.dom?.textContent).toBe('邀请函打开失败');
  expect(page.querySelector('.sk-state__text')?.dom?.textContent).toBe('网络连接失败，请检查网络后再试');
  const retry = page.querySelector('.sk-state__retry');
  expect(retry?.dom?.textContent).toBe('重试');

  replies.push(async () => ok(activity));
  retry?.dispatchEvent('tap');
  await settle();
  expect(calls.map((c) => c.data.action)).toEqual(['get', 'get']);
  expect(page.querySelector('.sk-invite__title')?.dom?.textContent).toBe('揽月 七座家庭试驾日');
});

test('applies the page stylesheet to the rendered classes', () => {
  // The WXSS reaches the document scoped by the tag name, so the styles are the page's own.
  const css = Array.from(document.querySelectorAll('style'), (s) => s.textContent ?? '').join('\n');
  expect(css).toMatch(/invite-activity--sk-invite__hero\s*\{[^}]*linear-gradient/);
});

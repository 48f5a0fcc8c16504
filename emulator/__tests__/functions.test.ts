/** Cloud functions in the emulator: per-call identity, calls between functions, failures. */
import { CloudFunctionError } from '../index';
import { loadSdk, sdkDb, startTestEmulator } from './helpers';

type Emu = Awaited<ReturnType<typeof startTestEmulator>>;
let emu: Emu;
let stderr: jest.SpyInstance;

beforeAll(async () => {
  emu = await startTestEmulator({ envId: 'sidekick-test' });
});
afterAll(() => emu.close());
beforeEach(() => {
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());

interface WhoAmI {
  before?: string;
  after?: string;
  appId?: string;
  env?: string;
  source?: string;
  userInfo?: { appId?: string; openId?: string };
  tag?: number;
}

test('60 concurrent calls each see their own caller across database round trips', async () => {
  const openids = Array.from({ length: 60 }, (_, i) => `o-user-${i}`);
  const replies = (await Promise.all(openids.map((OPENID, i) => emu.invoke('whoami', { tag: i }, { OPENID, APPID: 'wx-app' })))) as WhoAmI[];
  replies.forEach((reply, i) => {
    expect(reply).toEqual({
      before: openids[i],
      after: openids[i],
      appId: 'wx-app',
      env: 'sidekick-test',
      source: 'wx_client',
      userInfo: { appId: 'wx-app', openId: openids[i] },
      tag: i,
    });
  });
  expect(process.env.WX_OPENID).toBeUndefined();
});

test('cloud.callFunction runs the callee over the wire; the callee sees the call chain, not the user', async () => {
  const reply = (await emu.invoke('caller', { tag: 7 }, { OPENID: 'o-caller' })) as { callee: WhoAmI; mine: string };
  expect(reply.mine).toBe('o-caller');
  expect(reply.callee).toEqual({ env: 'sidekick-test', source: 'wx_client,scf', tag: 7 });
});

test('a function call over the wire always ends its chain in scf, whatever source the caller claims', async () => {
  const invokeAs = async (source: string) => {
    const res = await fetch(`${emu.adminUrl}/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tcb-source': source },
      body: JSON.stringify({ action: 'functions.invokeFunction', function_name: 'whoami', request_data: JSON.stringify({ tag: 1 }) }),
    });
    const reply = (await res.json()) as { data: { response_data: string } };
    return (JSON.parse(reply.data.response_data) as WhoAmI).source;
  };
  expect(await invokeAs('wx_trigger')).toBe('wx_trigger,scf');
  expect(await invokeAs('wx_trigger,tencentcloud')).toBe('wx_trigger,scf');
  expect(await invokeAs('')).toBe('scf');
});

test('a function that throws fails its caller the way the SDK reports a cloud failure', async () => {
  const reply = (await emu.invoke('caller', { call: 'boom' })) as { failed: boolean; errCode: number; errMsg: string };
  expect(reply).toEqual({ failed: true, errCode: -1, errMsg: 'callFunction:fail Error: kaboom' });
  const missing = (await emu.invoke('caller', { call: 'missing' })) as { failed: boolean; errMsg: string };
  expect(missing.failed).toBe(true);
  expect(missing.errMsg).toContain('no-such-function not found');
  expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('at exports.main');
});

test('invoke rejects like wx.cloud.callFunction when the function throws or does not exist', async () => {
  const err = await emu.invoke('boom', {}).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CloudFunctionError);
  expect(err).toMatchObject({ errCode: -504002 });
  expect((err as Error).message).toBe('cloud.callFunction:fail Error: errCode: -504002 functions execute fail | errMsg: Error: kaboom');
  await expect(emu.invoke('nope', {})).rejects.toMatchObject({ errCode: -504001 });
});

test('a function that outlives its config.json timeout fails', async () => {
  await expect(emu.invoke('slow', {})).rejects.toThrow('Invoking task timed out after 1 seconds');
});

test('outside any invocation the SDK still talks to the emulator, with no caller identity', async () => {
  const cloud = loadSdk();
  emu.db.insertOne('counters', { _id: 'outside', n: 1 });
  const { data } = await sdkDb(cloud).collection('counters').doc('outside').get();
  expect(data).toEqual({ _id: 'outside', n: 1 });
  expect(cloud.getWXContext()).toEqual({ ENV: 'sidekick-test', SOURCE: 'wx_client' });
  const inside = await emu.withContext(async () => cloud.getWXContext(), { OPENID: 'o-ctx' });
  expect(inside).toMatchObject({ OPENID: 'o-ctx', ENV: 'sidekick-test' });
});

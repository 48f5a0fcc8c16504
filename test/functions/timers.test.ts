/**
 * Timer jobs run only when the platform's timer trigger fired them (TCB_SOURCE `wx_trigger`),
 * never because an event looks like a timer: not for a mini-program call, with or without an
 * OPENID, not over HTTP access, and not through a function-to-function call. Through the real
 * SDK on the emulator.
 */
import type { DerivedCustomer } from '../../cloudfunctions/_core/scoring/ingest';
import { DAY } from '../../cloudfunctions/_core/events/day-buckets';
import { settledJob } from '../support/jobs';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let neglected: DerivedCustomer;
let tampered: DerivedCustomer;

const one = (id: string) => (stack.emulator.db.find('customers', { _id: id }, { limit: 1 }) as DerivedCustomer[])[0];
const timerEvent = (TriggerName: string) => ({ Type: 'Timer', TriggerName, Time: new Date(stack.clock.now()).toISOString(), Message: '' });
const refused = { ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/timer/) } };

beforeAll(async () => {
  stack = await startTestStack({ customers: 300 });
  const now = stack.clock.now();
  // A lead the hourly recycle would return to the pool the moment it runs.
  neglected = (stack.emulator.db.find('customers', { ownerId: 'zhangwei', stage: { $ne: 'owner' } }, { limit: 1 }) as DerivedCustomer[])[0];
  stack.patchCustomer(neglected._id, { grade: 'B', assignedAt: now - 8 * DAY }, ['lastFollowUpAt']);
  // A score the nightly rescore would rewrite.
  tampered = (stack.emulator.db.find('customers', { ownerId: 'lina', 'score.total': { $gt: 0, $lt: 90 } }, { limit: 1 }) as DerivedCustomer[])[0];
  stack.patchCustomer(tampered._id, { 'score.total': 99, rankKey: 99 });
});
afterAll(() => stack.destroy());

const untouched = () => {
  expect(one(neglected._id).ownerId).toBe('zhangwei');
  expect(one(tampered._id).rankKey).toBe(99);
};

test('a mini-program call shaped like a timer event is refused, whoever calls, and runs no job', async () => {
  const staffOpenid = (stack.emulator.db.find('staff', { _id: 'wangjianguo' }, { limit: 1 }) as { openid: string }[])[0].openid;
  for (const wx of [undefined, { OPENID: 'o-stranger' }, { OPENID: staffOpenid }]) {
    expect(await stack.emulator.invoke('leads', timerEvent('recycle'), wx)).toEqual(refused);
    expect(await stack.emulator.invoke('scoring', timerEvent('nightly-rescore'), wx)).toEqual(refused);
    expect(await stack.emulator.invoke('track', timerEvent('repair-pending'), wx)).toEqual(refused);
    // The legacy shape without Type, or an action beside it, is no way in either.
    expect(await stack.emulator.invoke('leads', { TriggerName: 'recycle' }, wx)).toEqual(refused);
    expect(await stack.emulator.invoke('leads', { ...timerEvent('recycle'), action: 'list' }, wx)).toEqual(refused);
  }
  untouched();
});

test('over HTTP access a timer-shaped body is 403, signed in or not', async () => {
  const manager = await stack.signIn('wangjianguo');
  for (const token of [undefined, manager]) {
    const r = await stack.http('leads', timerEvent('recycle'), token);
    expect(r.status).toBe(403);
    expect(r.reply).toEqual(refused);
    expect((await stack.http('scoring', timerEvent('nightly-rescore'), token)).status).toBe(403);
  }
  untouched();
});

test('a function-to-function call cannot smuggle a timer, even claiming a timer as its source', async () => {
  // As a function called by a mini-program would: the callee's SOURCE is wx_client,scf.
  const viaSdk = await stack.emulator.withContext(async () => {
    const cloud = (await import('wx-server-sdk')).default;
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
    // The SDK's typings mix in a callback overload that returns void.
    const res = (await cloud.callFunction({ name: 'leads', data: timerEvent('recycle') })) as { result: unknown };
    return res.result;
  });
  expect(viaSdk).toEqual(refused);

  // As a function started by a timer would (or anyone forging its X-TCB-Source): wx_trigger,scf is not wx_trigger.
  for (const source of ['wx_trigger', 'wx_trigger,tencentcloud']) {
    const res = await fetch(`${stack.emulator.adminUrl}/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tcb-source': source },
      body: JSON.stringify({ action: 'functions.invokeFunction', function_name: 'scoring', request_data: JSON.stringify(timerEvent('nightly-rescore')) }),
    });
    const wire = (await res.json()) as { data: { response_data: string } };
    expect(JSON.parse(wire.data.response_data)).toEqual(refused);
  }
  untouched();
});

test('the platform\'s own trigger still runs the jobs', async () => {
  await stack.emulator.fireTimer('leads', 'recycle');
  // The jobs are resumable: a timer runs the first slice, continuations the rest.
  expect((await settledJob(stack, 'recycle:all')).changed).toBeGreaterThanOrEqual(1);
  expect(one(neglected._id).ownerId).toBeUndefined();
  await stack.emulator.fireTimer('scoring', 'nightly-rescore');
  await settledJob(stack, 'rescore:all');
  expect(one(tampered._id).rankKey).not.toBe(99);
  // Ordinary calls are unaffected.
  expect(ok(await stack.http<{ items: unknown[] }>('leads', { action: 'list', params: { limit: 1 } }, await stack.signIn('lina'))).items).toHaveLength(1);
});

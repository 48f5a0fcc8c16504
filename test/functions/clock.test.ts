/**
 * One clock: the seed, the functions and the timers of a test stack all read the stack's clock,
 * which starts more than a year from the real date, so nothing here passes by the calendar's
 * grace. Moving the clock moves what the functions see; a restarted demo keeps its store
 * events upcoming.
 */
import { rmSync } from 'node:fs';
import type { ActivityView, SessionGrant } from '../../types/api';
import { ok, startTestStack, TEST_NOW, type TestStack } from '../support/stack';

const DAY = 86_400_000;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ customers: 200 });
});
afterAll(() => stack.destroy());

it('runs the suite more than a year away from the real date', () => {
  expect(Math.abs(TEST_NOW - Date.now())).toBeGreaterThan(365 * DAY);
  expect(Math.abs(stack.clock.now() - TEST_NOW)).toBeLessThan(10 * 60_000);
});

it('seeds and answers on the stack clock: the invitations are upcoming relative to it', async () => {
  const upcoming = ok(await stack.http<ActivityView[]>('activities', { action: 'upcoming' }));
  expect(upcoming.length).toBeGreaterThan(0);
  for (const a of upcoming) {
    expect(a.startAt).toBeGreaterThan(stack.clock.now());
    expect(a.startAt - stack.clock.now()).toBeLessThan(14 * DAY);
  }
});

it('issues sessions that expire on the stack clock', async () => {
  const grant = ok(await stack.http<SessionGrant>('auth', { action: 'demoSignIn', params: { personId: 'zhangwei' } }));
  expect(grant.expiresAt - stack.clock.now()).toBeGreaterThan(11 * 3600_000);
  expect(grant.expiresAt - stack.clock.now()).toBeLessThanOrEqual(12 * 3600_000);
  expect(ok(await stack.http('auth', { action: 'me' }, grant.token))).toMatchObject({ id: 'zhangwei' });
  stack.clock.advance(13 * 3600_000);
  const expired = await stack.http('auth', { action: 'me' }, grant.token);
  expect(expired.status).toBe(401);
});

it('keeps the demo events upcoming when a stack restarts on data seeded weeks before its clock', async () => {
  const seeded = ok(await stack.http<ActivityView[]>('activities', { action: 'upcoming' }));
  stack.clock.advance(30 * DAY);
  expect(ok(await stack.http<ActivityView[]>('activities', { action: 'upcoming' }))).toEqual([]);

  const { dataDir } = stack;
  const later = stack.clock.now();
  await stack.close();
  stack = await startTestStack({ dataDir, now: later });
  try {
    const upcoming = ok(await stack.http<ActivityView[]>('activities', { action: 'upcoming' }));
    expect(upcoming.map((a) => a.id).sort()).toEqual(seeded.map((a) => a.id).sort());
    for (const a of upcoming) {
      const before = seeded.find((s) => s.id === a.id)!;
      expect(a.startAt).toBeGreaterThan(stack.clock.now());
      // The store runs it again: same weekday and hour, whole weeks later.
      expect((a.startAt - before.startAt) % (7 * DAY)).toBe(0);
      expect(a.endAt - a.startAt).toBe(before.endAt - before.startAt);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

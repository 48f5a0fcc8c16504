/** Timer triggers: CloudBase 7-field cron in UTC+8, the timer event, and the wall-clock scheduler. */
import { parseCloudCron, StackClock, type TimerEvent } from '../index';
import { startTestEmulator } from './helpers';

const next = (expr: string, from: string) => parseCloudCron(expr).next(new Date(from))?.toISOString();

describe('cron', () => {
  test('times are UTC+8: "0 0 2 1 * * *" is 02:00 Shanghai on the 1st, i.e. 18:00 UTC the day before', () => {
    expect(next('0 0 2 1 * * *', '2025-03-10T00:00:00Z')).toBe('2025-03-31T18:00:00.000Z');
    expect(next('0 0 2 1 * * *', '2025-03-31T18:00:00Z')).toBe('2025-04-30T18:00:00.000Z');
  });

  test('steps, ranges, lists and weekday names', () => {
    expect(next('*/5 * * * * * *', '2025-01-01T00:00:02Z')).toBe('2025-01-01T00:00:05.000Z');
    expect(next('0 1/10 * * * * *', '2025-01-01T00:00:00Z')).toBe('2025-01-01T00:01:00.000Z');
    expect(next('0 0 10,14,16 * * * *', '2025-01-01T03:00:00Z')).toBe('2025-01-01T06:00:00.000Z');
    // 2025-01-04 is a Saturday; 10:15 Shanghai on the next weekday is Monday 02:15 UTC.
    expect(next('0 15 10 * * MON-FRI *', '2025-01-04T00:00:00Z')).toBe('2025-01-06T02:15:00.000Z');
    // 0 is Sunday.
    expect(next('0 0 12 * * 0 *', '2025-01-01T00:00:00Z')).toBe('2025-01-05T04:00:00.000Z');
  });

  test('day and weekday both given: either matches', () => {
    // The 15th, or any Monday: from Thursday 2025-01-09 the next is Monday the 13th.
    expect(next('0 0 8 15 * 1 *', '2025-01-09T00:00:00Z')).toBe('2025-01-13T00:00:00.000Z');
  });

  test('the year field restricts years', () => {
    expect(next('0 0 0 1 1 * 2027', '2025-06-01T00:00:00Z')).toBe('2026-12-31T16:00:00.000Z');
    expect(next('0 0 0 1 1 * 2020-2024', '2025-06-01T00:00:00Z')).toBeUndefined();
  });

  test('anything but 7 valid fields is rejected', () => {
    expect(() => parseCloudCron('0 0 2 1 * *')).toThrow(/7 fields/);
    expect(() => parseCloudCron('0 0 25 * * * *')).toThrow();
    expect(() => parseCloudCron('0 0 2 * * * 1969')).toThrow(/year/);
  });
});

describe('firing', () => {
  test('fireTimer runs the function with the CloudBase timer event', async () => {
    const emu = await startTestEmulator();
    try {
      const before = Date.now();
      const reply = (await emu.fireTimer('ticker', 'monthly')) as { event: TimerEvent; source: string; triggerSrc: string | null };
      expect(reply.event).toEqual({ Type: 'Timer', TriggerName: 'monthly', Time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), Message: '' });
      expect(Date.parse(reply.event.Time)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(reply.source).toBe('wx_trigger');
      // @cloudbase/node-sdk's own marker of a timer run (utils/wxCloudToken.ts).
      expect(reply.triggerSrc).toBe('timer');
      expect(((await emu.fireTimer('ticker')) as { event: TimerEvent }).event.TriggerName).toBe('everySecond');
      await expect(emu.fireTimer('whoami')).rejects.toThrow(/no timer trigger/);
      // A client sending the timer's event is still a client: the platform says so, not the event.
      const forged = (await emu.invoke('ticker', { Type: 'Timer', TriggerName: 'monthly' }, { OPENID: 'o-1' })) as { source: string; triggerSrc: string | null };
      expect(forged).toMatchObject({ source: 'wx_client', triggerSrc: null });
      // timers: false: nothing fired by the clock.
      expect(emu.db.count('ticks')).toBe(3);
    } finally {
      await emu.close();
    }
  });

  test('with timers on, the wall clock fires triggers', async () => {
    const emu = await startTestEmulator({ timers: true });
    try {
      const deadline = Date.now() + 4000;
      while (emu.db.count('ticks', { 'event.TriggerName': 'everySecond' }) < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const ticks = emu.db.find<{ event: TimerEvent }>('ticks', {}, { sort: { 'event.Time': 1 } });
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(Date.parse(ticks[1].event.Time) - Date.parse(ticks[0].event.Time)).toBe(1000);
    } finally {
      await emu.close();
    }
  });
});

describe('the stack clock', () => {
  const YEAR = 365 * 86_400_000;

  test('functions, serverDate and timer events read the pinned clock, and it keeps flowing', async () => {
    const pinned = Date.parse('2031-05-01T08:00:00Z');
    const emu = await startTestEmulator({ clock: new StackClock(pinned) });
    try {
      const seen = (await emu.invoke('clock', {})) as { now: number; serverDate: number };
      expect(seen.now - pinned).toBeGreaterThanOrEqual(0);
      expect(seen.now - pinned).toBeLessThan(5000);
      expect(Math.abs(seen.serverDate - seen.now)).toBeLessThan(5000);
      expect(Math.abs(seen.now - Date.now())).toBeGreaterThan(YEAR);

      emu.clock.advance(48 * 3600_000);
      const later = (await emu.invoke('clock', {})) as { now: number };
      expect(later.now - seen.now).toBeGreaterThanOrEqual(48 * 3600_000);
      expect(later.now - seen.now).toBeLessThan(48 * 3600_000 + 5000);

      const fired = (await emu.fireTimer('ticker', 'monthly')) as { event: TimerEvent };
      expect(Math.abs(Date.parse(fired.event.Time) - emu.clock.now())).toBeLessThan(5000);
    } finally {
      await emu.close();
    }
  });

  test('a frozen clock reads the same instant in every call', async () => {
    const emu = await startTestEmulator({ clock: new StackClock() });
    try {
      emu.clock.freeze(Date.parse('2020-02-02T02:02:02Z'));
      const a = (await emu.invoke('clock', {})) as { now: number };
      await new Promise((r) => setTimeout(r, 20));
      const b = (await emu.invoke('clock', {})) as { now: number };
      expect([a.now, b.now]).toEqual([Date.parse('2020-02-02T02:02:02Z'), Date.parse('2020-02-02T02:02:02Z')]);
    } finally {
      await emu.close();
    }
  });

  test('advancing past the time of a trigger fires it once, at the new time', async () => {
    // Shanghai 01:59:50 on the 1st: "monthly" (02:00 on the 1st) is 10 s away on the stack clock.
    const emu = await startTestEmulator({ timers: true, clock: new StackClock(Date.parse('2031-05-31T17:59:50Z')) });
    try {
      emu.clock.advance(40 * 86_400_000);
      const deadline = Date.now() + 3000;
      while (emu.db.count('ticks', { 'event.TriggerName': 'monthly' }) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const monthly = emu.db.find<{ event: TimerEvent }>('ticks', { 'event.TriggerName': 'monthly' });
      expect(monthly).toHaveLength(1);
      expect(Math.abs(Date.parse(monthly[0].event.Time) - emu.clock.now())).toBeLessThan(5000);
    } finally {
      await emu.close();
    }
  });
});

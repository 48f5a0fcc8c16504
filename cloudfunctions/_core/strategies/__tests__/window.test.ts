import type { SendWindow } from '../../../../types/strategy';
import { inWindow, nextSlot } from '../window';

const at = (s: string) => Date.parse(`${s}+08:00`);
const W: SendWindow = { startAt: at('2025-03-17T00:00:00'), endAt: at('2025-03-19T00:00:00'), fromMinute: 10 * 60, toMinute: 20 * 60, quiet: { fromMinute: 12 * 60, toMinute: 13 * 60 + 30 } };

describe('the send window', () => {
  it('is open within the days and hours, outside quiet hours', () => {
    expect(inWindow(W, at('2025-03-17T10:00:00'))).toBe(true);
    expect(inWindow(W, at('2025-03-17T09:59:59'))).toBe(false);
    expect(inWindow(W, at('2025-03-17T12:30:00'))).toBe(false);
    expect(inWindow(W, at('2025-03-19T19:59:00'))).toBe(true);
    expect(inWindow(W, at('2025-03-20T10:00:00'))).toBe(false);
  });
  it('puts a task at the next moment a send may go out', () => {
    expect(nextSlot(W, at('2025-03-16T22:00:00'))).toBe(at('2025-03-17T10:00:00'));
    expect(nextSlot(W, at('2025-03-17T12:10:00'))).toBe(at('2025-03-17T13:30:00'));
    expect(nextSlot(W, at('2025-03-17T21:00:00'))).toBe(at('2025-03-18T10:00:00'));
    expect(nextSlot(W, at('2025-03-17T15:00:00'))).toBe(at('2025-03-17T15:00:00'));
    expect(nextSlot(W, at('2025-03-19T20:00:00'))).toBeUndefined();
  });
});

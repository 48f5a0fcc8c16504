import { startPolling } from './live-poll';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Lets the promise callbacks queued by a tick run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

test('ticks every interval until stopped, never before the first interval', async () => {
  const tick = jest.fn(() => Promise.resolve());
  const stop = startPolling(tick, 3000);
  await jest.advanceTimersByTimeAsync(2999);
  expect(tick).toHaveBeenCalledTimes(0);
  await jest.advanceTimersByTimeAsync(1);
  expect(tick).toHaveBeenCalledTimes(1);
  await jest.advanceTimersByTimeAsync(6000);
  expect(tick).toHaveBeenCalledTimes(3);
  stop();
  await jest.advanceTimersByTimeAsync(30_000);
  expect(tick).toHaveBeenCalledTimes(3);
});

test('a slow tick is never overlapped: the next wait starts when it settles', async () => {
  let finish: () => void = () => undefined;
  const tick = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
  const stop = startPolling(tick, 3000);
  await jest.advanceTimersByTimeAsync(3000);
  expect(tick).toHaveBeenCalledTimes(1);
  await jest.advanceTimersByTimeAsync(10_000);
  expect(tick).toHaveBeenCalledTimes(1);
  finish();
  await settle();
  await jest.advanceTimersByTimeAsync(3000);
  expect(tick).toHaveBeenCalledTimes(2);
  stop();
});

test('a failed tick does not end the loop', async () => {
  const tick = jest.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(undefined);
  const stop = startPolling(tick, 3000);
  await jest.advanceTimersByTimeAsync(6000);
  expect(tick).toHaveBeenCalledTimes(2);
  stop();
});

test('stopping while a tick is in flight schedules nothing after it', async () => {
  let finish: () => void = () => undefined;
  const tick = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
  const stop = startPolling(tick, 3000);
  await jest.advanceTimersByTimeAsync(3000);
  stop();
  finish();
  await settle();
  await jest.advanceTimersByTimeAsync(30_000);
  expect(tick).toHaveBeenCalledTimes(1);
});

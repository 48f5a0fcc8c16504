/**
 * The live profile's poll loop: run `tick` every `intervalMs`, one at a time (the next wait
 * starts when a tick settles, so a slow network never piles calls up), until stopped. A failed
 * tick is skipped: the next one tries again.
 */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How often the sidebar asks whether the customer changed; a new event shows within ~5 s. */
export const LIVE_INTERVAL_MS = 3000;

export function startPolling(tick: () => Promise<void>, intervalMs: number, timers: Timers = globalTimers): () => void {
  let stopped = false;
  let handle: unknown;
  const schedule = () => {
    handle = timers.setTimeout(() => void run(), intervalMs);
  };
  const run = async () => {
    try {
      await tick();
    } catch {
      // A missed beat is harmless: the next tick checks again.
    }
    if (!stopped) schedule();
  };
  schedule();
  return () => {
    stopped = true;
    timers.clearTimeout(handle);
  };
}

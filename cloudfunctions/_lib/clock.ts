/**
 * The one clock of the functions. In CloudBase it is the wall clock. The local cloud pins or
 * shifts it per stack through the invocation's environment (`LOCAL_CLOUD_CLOCK` =
 * `fixed:<ms>` or `offset:<ms>`, see emulator/clock.ts), so tests pass on any date and the
 * demo's events stay upcoming. The deploy build compiles the override out.
 */
const CLOCK_ENV = 'LOCAL_CLOUD_CLOCK';

export function now(): number {
  // Spelled out, not looked up by a computed name, so the deploy build's `define` can remove it.
  const spec = process.env.LOCAL_CLOUD_CLOCK;
  if (!spec) return Date.now();
  const [kind, value] = spec.split(':');
  const ms = Number(value);
  if (!Number.isFinite(ms)) throw new Error(`${CLOCK_ENV}: expected fixed:<ms> or offset:<ms>, got ${spec}`);
  if (kind === 'fixed') return ms;
  if (kind === 'offset') return Date.now() + ms;
  throw new Error(`${CLOCK_ENV}: expected fixed:<ms> or offset:<ms>, got ${spec}`);
}

/**
 * Real time elapsed since it was started, ms. For budgets against the platform's own limits
 * (a function's timeout, a transaction's 30 s), which run on real time whatever the stack
 * clock says; never for dates.
 */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => performance.now() - started;
}

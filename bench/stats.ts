/** Small measuring helpers shared by the benchmark parts. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const p50 = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds since `start` (from `process.hrtime.bigint()`). */
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** Runs `fn` `n` times one after the other; the duration of each run in ms. */
export async function timeIt(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(msSince(t));
  }
  return out;
}

/** A seeded PRNG: the same draws on every run. */
export { mulberry32 as prng } from '../cloudfunctions/_core/scoring/synthetic';

let gcFn: (() => void) | undefined;
/** Heap in use after a full collection, in MiB (the run is not started with --expose-gc). */
export function heapUsedMb(): number {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

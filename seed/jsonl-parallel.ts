/**
 * Writes the same JSONL files as `generate` + `JsonlSink`, byte for byte, with customers
 * generated and serialized by worker threads. Ranges of customers go to the workers and their
 * bytes are written in range order, so the output does not depend on the number of workers.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Collections } from '../types/model';
import { ownerCursorsBefore } from './customer';
import { referenceDocs, type GenerateSummary } from './generate';
import type { WorkerReply, WorkerSetup, WorkerTask } from './jsonl-worker';

export interface ParallelJsonlOptions {
  seed: number;
  customers: number;
  now: number;
  dir: string;
  workers: number;
  /** Customers per task handed to a worker. */
  chunk?: number;
  /** Sees every byte written, per collection, in file order (e.g. to hash the output). */
  onBytes?: (collection: string, bytes: Uint8Array) => void;
}

/** Workers run TypeScript through tsx's require hook, so this also works outside the tsx CLI. */
function startWorker(setup: WorkerSetup): Worker {
  const req = createRequire(__filename);
  const bootstrap = `require(${JSON.stringify(req.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'jsonl-worker.ts'))});`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

export async function writeJsonlParallel(opts: ParallelJsonlOptions): Promise<GenerateSummary> {
  const chunk = opts.chunk ?? 2000;
  const workerCount = Math.max(1, Math.floor(opts.workers));
  if (!Number.isInteger(opts.customers) || opts.customers < 0) throw new Error(`customers must be a non-negative integer, got ${opts.customers}`);
  mkdirSync(opts.dir, { recursive: true });
  const encoder = new TextEncoder();
  const streams = new Map<string, WriteStream>();

  const write = async (collection: string, bytes: Uint8Array): Promise<void> => {
    if (bytes.length === 0) return;
    let stream = streams.get(collection);
    if (!stream) {
      stream = createWriteStream(join(opts.dir, `${collection}.jsonl`));
      streams.set(collection, stream);
    }
    opts.onBytes?.(collection, bytes);
    if (!stream.write(bytes)) await once(stream, 'drain');
  };

  const ref = referenceDocs(opts.now);
  for (const [collection, docs] of [
    [Collections.stores, ref.stores],
    [Collections.staff, ref.staff],
    [Collections.materials, ref.materials],
    [Collections.activities, ref.activities],
    [Collections.audienceSpecs, ref.audienceSpecs],
  ] as const) {
    await write(collection, encoder.encode(docs.map((d) => `${JSON.stringify(d)}\n`).join('')));
  }
  const summary: GenerateSummary = {
    stores: ref.stores.length,
    staff: ref.staff.length,
    materials: ref.materials.length,
    activities: ref.activities.length,
    customers: 0,
    identities: 0,
    events: 0,
    followUps: 0,
    merges: 0,
    tasks: 0,
  };

  const taskCount = Math.ceil(opts.customers / chunk);
  let cursorAt = 0;
  let cursors = new Map<string, number>();
  const nextTask = (id: number): WorkerTask => {
    const from = id * chunk;
    cursors = ownerCursorsBefore(opts.seed, from, cursorAt, cursors);
    cursorAt = from;
    return { id, from, to: Math.min(opts.customers, from + chunk), cursors: [...cursors] };
  };

  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const done = new Map<number, Extract<WorkerReply, { ok: true }>>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let dispatched = 0;
  let written = 0;
  // Finished but unwritten ranges are held in memory: bound them.
  const maxAhead = workerCount * 3;
  const dispatch = () => {
    while (idle.length && dispatched < taskCount && dispatched - written < maxAhead) {
      (idle.pop() as Worker).postMessage(nextTask(dispatched++));
    }
  };

  try {
    for (let i = 0; i < Math.min(workerCount, taskCount); i++) {
      const w = startWorker({ seed: opts.seed, now: opts.now });
      w.on('message', (reply: WorkerReply) => {
        if (reply.ok) done.set(reply.id, reply);
        else failure = new Error(`worker failed: ${reply.error}`);
        idle.push(w);
        notify();
      });
      w.on('error', (err) => {
        failure = err;
        notify();
      });
      workers.push(w);
      idle.push(w);
    }
    dispatch();
    while (written < taskCount) {
      if (failure) throw failure;
      const reply = done.get(written);
      if (!reply) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      done.delete(written);
      for (const [collection, bytes] of reply.parts) await write(collection, bytes);
      summary.customers += reply.counts.customers;
      summary.identities += reply.counts.identities;
      summary.events += reply.counts.events;
      summary.followUps += reply.counts.followUps;
      summary.merges += reply.counts.merges;
      summary.tasks += reply.counts.tasks;
      written++;
      dispatch();
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await Promise.all(
      [...streams.values()].map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.once('error', reject);
            s.end(() => resolve());
          }),
      ),
    );
  }
  return summary;
}

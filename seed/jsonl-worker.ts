/**
 * Worker of the parallel JSONL writer: generates one range of customers at a time and sends
 * back each collection's JSON lines as bytes (transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateCustomers, type CustomerCounts } from './generate';
import type { SeedSink } from './sinks';

export interface WorkerSetup {
  seed: number;
  now: number;
}

export interface WorkerTask {
  id: number;
  from: number;
  to: number;
  /** Owner round-robin positions at `from`, as [storeId, position] pairs. */
  cursors: [string, number][];
}

export type WorkerReply =
  /** `parts`: JSON lines per collection, in the order they are to be written. */
  | { id: number; ok: true; counts: CustomerCounts; parts: [string, Uint8Array][] }
  | { id: number; ok: false; error: string };

/**
 * Serializes each batch straight to UTF-8 bytes: holding the strings until the range is done
 * would keep them in the V8 heap and make garbage collection the bottleneck.
 */
class BytesSink implements SeedSink {
  readonly parts: [string, Uint8Array][] = [];
  private readonly encoder = new TextEncoder();

  insertMany(collection: string, docs: object[]): void {
    let chunk = '';
    for (const d of docs) chunk += `${JSON.stringify(d)}\n`;
    this.parts.push([collection, this.encoder.encode(chunk)]);
  }
}

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('jsonl-worker must run in a worker thread');

port.on('message', (task: WorkerTask) => {
  const sink = new BytesSink();
  generateCustomers({ seed: setup.seed, now: setup.now, from: task.from, to: task.to, ownerCursors: new Map(task.cursors) }, sink).then(
    (counts) => {
      const reply: WorkerReply = { id: task.id, ok: true, counts, parts: sink.parts };
      port.postMessage(reply, sink.parts.map(([, bytes]) => bytes.buffer as ArrayBuffer));
    },
    (err: unknown) => {
      const reply: WorkerReply = { id: task.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      port.postMessage(reply);
    },
  );
});

/**
 * Where generated documents go. The generator hands over one batch per collection at a time
 * and awaits the sink, so a slow sink slows the generator instead of filling memory.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export interface SeedSink {
  /** A returned promise is awaited before the next batch; any other result is ignored. */
  insertMany(collection: string, docs: object[]): unknown;
}

/** Keeps everything in memory: for tests and small seeds. */
export class MemorySink implements SeedSink {
  readonly collections = new Map<string, object[]>();

  insertMany(collection: string, docs: object[]): void {
    const list = this.collections.get(collection) ?? [];
    for (const d of docs) list.push(d);
    this.collections.set(collection, list);
  }

  get<T>(collection: string): T[] {
    return (this.collections.get(collection) ?? []) as T[];
  }
}

/**
 * SHA-256 of each collection's JSON lines, in the order they arrive, combined into one digest:
 * sha256 over `<collection>:<sha256 of its lines>\n` for the collections in name order. So the
 * digest does not depend on batch sizes, can be recomputed from the JSONL files, and can be
 * taken again as more documents arrive.
 */
export class HashSink implements SeedSink {
  private readonly hashes = new Map<string, Hash>();

  insertMany(collection: string, docs: object[]): void {
    const h = this.hashFor(collection);
    for (const d of docs) h.update(`${JSON.stringify(d)}\n`);
  }

  /** Lines already serialized (one JSON document per line, each ending in a newline). */
  updateRaw(collection: string, jsonl: Uint8Array): void {
    this.hashFor(collection).update(jsonl);
  }

  digest(): string {
    const combined = createHash('sha256');
    for (const name of [...this.hashes.keys()].sort()) combined.update(`${name}:${(this.hashes.get(name) as Hash).copy().digest('hex')}\n`);
    return combined.digest('hex');
  }

  private hashFor(collection: string): Hash {
    let h = this.hashes.get(collection);
    if (!h) {
      h = createHash('sha256');
      this.hashes.set(collection, h);
    }
    return h;
  }
}

/** Sends every batch to several sinks, in order. */
export class TeeSink implements SeedSink {
  constructor(private readonly sinks: readonly SeedSink[]) {}

  async insertMany(collection: string, docs: object[]): Promise<void> {
    for (const s of this.sinks) await s.insertMany(collection, docs);
  }
}

/** One `<collection>.jsonl` file per collection in `dir`, one document per line. */
export class JsonlSink implements SeedSink {
  private readonly streams = new Map<string, WriteStream>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  insertMany(collection: string, docs: object[]): void | Promise<void> {
    if (docs.length === 0) return;
    let stream = this.streams.get(collection);
    if (!stream) {
      stream = createWriteStream(join(this.dir, `${collection}.jsonl`));
      this.streams.set(collection, stream);
    }
    let chunk = '';
    for (const d of docs) chunk += `${JSON.stringify(d)}\n`;
    if (stream.write(chunk)) return;
    const s = stream;
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      s.once('error', onError);
      s.once('drain', () => {
        s.off('error', onError);
        resolve();
      });
    });
  }

  /** Flushes and closes every file. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.streams.values()].map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.once('error', reject);
            s.end(() => resolve());
          }),
      ),
    );
    this.streams.clear();
  }
}

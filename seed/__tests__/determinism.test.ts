import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Collections, type CustomerDoc } from '../../types/model';
import { DEMO_NOW, generate } from '../generate';
import { writeJsonlParallel } from '../jsonl-parallel';
import { HashSink, JsonlSink, MemorySink, TeeSink } from '../sinks';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');

async function digest(seed: number, customers: number, now = DEMO_NOW): Promise<string> {
  const sink = new HashSink();
  await generate({ seed, customers, now }, sink);
  return sink.digest();
}

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('determinism', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'seed-test-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('produces the same documents for the same seed and different ones for another seed', async () => {
    const a = await digest(42, 400);
    expect(await digest(42, 400)).toBe(a);
    expect(await digest(43, 400)).not.toBe(a);
    expect(await digest(42, 400, DEMO_NOW + 86_400_000)).not.toBe(a);
  });

  it('does not depend on the batch size the sink receives', async () => {
    const small = new MemorySink();
    const large = new MemorySink();
    await generate({ seed: 5, customers: 120, now: DEMO_NOW, batchSize: 7 }, small);
    await generate({ seed: 5, customers: 120, now: DEMO_NOW, batchSize: 1000 }, large);
    expect(small.get<CustomerDoc>(Collections.customers)).toEqual(large.get<CustomerDoc>(Collections.customers));
    expect(small.get(Collections.events)).toEqual(large.get(Collections.events));
    expect(small.get(Collections.followUps)).toEqual(large.get(Collections.followUps));
  });

  it('writes byte-identical JSONL files for the same seed', async () => {
    const outputs: Record<string, string>[] = [];
    for (let i = 0; i < 2; i++) {
      const dir = tmp();
      const sink = new JsonlSink(dir);
      await generate({ seed: 9, customers: 150, now: DEMO_NOW }, sink);
      await sink.close();
      outputs.push(readDir(dir));
    }
    expect(Object.keys(outputs[0] ?? {}).sort()).toEqual(
      ['activities', 'audienceSpecs', 'customerStates', 'customers', 'events', 'followUps', 'identities', 'materials', 'merges', 'staff', 'stores', 'tasks'].map((c) => `${c}.jsonl`),
    );
    expect(outputs[1]).toEqual(outputs[0]);
    const customers = (outputs[0]?.['customers.jsonl'] ?? '').trimEnd().split('\n');
    // Each merge brought a second record of one customer.
    const merges = (outputs[0]?.['merges.jsonl'] ?? '').trimEnd().split('\n');
    expect(customers).toHaveLength(150 + merges.length);
    expect((JSON.parse(customers[0] as string) as CustomerDoc)._id).toBe('cus-0000001');
  });

  it('writes the same bytes with worker threads, whatever the number of workers and the range size', async () => {
    const serialDir = tmp();
    const serial = new JsonlSink(serialDir);
    const serialHash = new HashSink();
    await generate({ seed: 11, customers: 230, now: DEMO_NOW }, new TeeSink([serial, serialHash]));
    await serial.close();
    const expected = readDir(serialDir);
    for (const [workers, chunk] of [
      [2, 50],
      [3, 17],
    ] as const) {
      const dir = tmp();
      const hash = new HashSink();
      const summary = await writeJsonlParallel({
        seed: 11,
        customers: 230,
        now: DEMO_NOW,
        dir,
        workers,
        chunk,
        onBytes: (collection, bytes) => hash.updateRaw(collection, bytes),
      });
      expect(readDir(dir)).toEqual(expected);
      expect(hash.digest()).toBe(serialHash.digest());
      expect(summary.customers).toBe(230);
      expect(summary.events).toBe((expected['events.jsonl'] ?? '').trimEnd().split('\n').length);
    }
  }, 60_000);

  it('runs from the command line and prints a one-line JSON summary that matches the files', async () => {
    const dir = tmp();
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const { stdout } = await run(tsx, ['seed/cli.ts', '--seed', '9', '--customers', '150', '--jsonl', dir, '--hash'], { cwd: root });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(summary).toMatchObject({ customers: 150, seed: 9, now: new Date(DEMO_NOW).toISOString() });
    expect(typeof summary.seconds).toBe('number');
    expect(typeof summary.customersPerSecond).toBe('number');
    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    expect(summary.events).toBe(events.length);
    expect(summary.sha256).toBe(await digest(9, 150));
  }, 30_000);

  it('explains its usage when the output is missing or an argument is wrong', async () => {
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    await expect(run(tsx, ['seed/cli.ts', '--seed', '1'], { cwd: root })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') });
    await expect(run(tsx, ['seed/cli.ts', '--now', 'yesterday', '--print-summary'], { cwd: root })).rejects.toMatchObject({ code: 2 });
  }, 30_000);
});

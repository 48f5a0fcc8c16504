/**
 * A local stack in its own process, for tests that kill the cloud mid-work (`kill -9`) and
 * start it again on the same data. Prints one JSON line `{ "url": ... }` when it listens.
 *
 *   tsx test/support/stack-process.ts <dataDir> <clock epoch ms> [customers]
 */
import { startLocalStack } from '../../scripts/local-stack';

async function main(): Promise<void> {
  const [dataDir, now, customers] = process.argv.slice(2);
  const stack = await startLocalStack({ dataDir, now: Number(now), customers: Number(customers ?? 600), seed: 7, readCap: 100 });
  process.stdout.write(`${JSON.stringify({ url: stack.url })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

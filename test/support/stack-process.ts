/**
 * A local stack in its own process, for tests that kill the cloud mid-work (`kill -9`) and
 * start it again on the same data. Prints one JSON line `{ "url": ... }` when it listens.
 *
 *   tsx test/support/stack-process.ts <dataDir> <clock epoch ms> [customers]
 *
 * SIDEKICK_TEST_OEM_URL points it at an OEM simulator running in the test (so the simulator
 * survives the kill), SIDEKICK_TEST_FUNCTION_ENV adds function environment (JSON). Commands
 * on stdin, one per line, each answered with one JSON line on stdout:
 * `fire <function> [trigger]` (a timer run; `{ "result": ... }`) and `advance <ms>` (the clock).
 */
import { createInterface } from 'node:readline';
import { startLocalStack } from '../../scripts/local-stack';

async function main(): Promise<void> {
  const [dataDir, now, customers] = process.argv.slice(2);
  const oemUrl = process.env.SIDEKICK_TEST_OEM_URL;
  const env = process.env.SIDEKICK_TEST_FUNCTION_ENV ? (JSON.parse(process.env.SIDEKICK_TEST_FUNCTION_ENV) as Record<string, string>) : {};
  const stack = await startLocalStack({ dataDir, now: Number(now), customers: Number(customers ?? 600), seed: 7, readCap: 100, env, ...(oemUrl ? { oem: { url: oemUrl } } : {}) });
  process.stdout.write(`${JSON.stringify({ url: stack.url })}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, ...args] = line.trim().split(/\s+/);
    const answer = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
    if (command === 'fire') {
      stack.emulator.fireTimer(args[0], args[1]).then(
        (result) => answer({ result }),
        (err: unknown) => answer({ error: err instanceof Error ? err.message : String(err) }),
      );
    } else if (command === 'advance') {
      stack.clock.advance(Number(args[0]));
      answer({ now: stack.clock.now() });
    } else answer({ error: `unknown command ${command}` });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

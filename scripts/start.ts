/** `npm start`: the local cloud with the demo dealership, serving the built H5 app. */
import { join } from 'node:path';
import { ROOT, startLocalStack } from './local-stack';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const stack = await startLocalStack({
    dataDir: join(ROOT, '.data'),
    staticDir: join(ROOT, 'dist/h5'),
    port,
    timers: true,
    // SIDEKICK_LATENCY_MS=10 npm start: every SDK round trip costs what it does in the cloud.
    latencyMs: Number(process.env.SIDEKICK_LATENCY_MS ?? 0),
    logCalls: true,
    // The OEM's platform, simulated with its own data kept beside the demo's; it sends a new lead every 90 s.
    oem: { demo: true, simulator: { stateFile: join(ROOT, '.data', 'oem-simulator.json'), echoVisits: true, port: Number(process.env.SIDEKICK_OEM_PORT ?? 8090) } },
  });
  if (stack.seeded) {
    process.stdout.write(`Seeded the demo dealership: ${stack.seeded.customers} customers in ${stack.seeded.seconds.toFixed(1)} s\n`);
  }
  process.stdout.write(
    [
      '',
      `Sidekick is running: ${stack.url}/`,
      `  sign in as a demo consultant, manager or customer: ${stack.url}/#/pages/sign-in/index`,
      `  WeCom sidebar page (outside WeCom it lets you pick the chat's customer): ${stack.url}/#/pages/sidebar/index`,
      `  OEM simulator: ${stack.oem?.url ?? '(none)'}  (GET /control/received: what the stores sent up; POST /control/leads {"storeId":"store-sh-pudong"}: a new lead now)`,
      `  data: ${join(ROOT, '.data')} (delete it to re-seed)`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    stack.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});

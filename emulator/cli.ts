/**
 * Starts the local WeChat cloud from the command line:
 *
 *   npx tsx emulator/cli.ts --data-dir .data/cloud --schema cloudfunctions/database.json \
 *     --functions dist-functions [--static dist-h5] [--port 8787] [--host 127.0.0.1] \
 *     [--admin-port 0] [--allowed-origin https://app.example.com ...] [--env-id local] \
 *     [--no-timers] [--env KEY=VALUE ...]
 *
 * Each flag can also come from the environment: EMULATOR_DATA_DIR, EMULATOR_SCHEMA,
 * EMULATOR_FUNCTIONS, EMULATOR_STATIC, EMULATOR_PORT, EMULATOR_HOST, EMULATOR_ADMIN_PORT,
 * EMULATOR_ENV_ID, and SIDEKICK_ALLOWED_ORIGINS (comma-separated).
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: process.env.EMULATOR_DATA_DIR },
      schema: { type: 'string', default: process.env.EMULATOR_SCHEMA },
      functions: { type: 'string', default: process.env.EMULATOR_FUNCTIONS },
      static: { type: 'string', default: process.env.EMULATOR_STATIC },
      port: { type: 'string', default: process.env.EMULATOR_PORT ?? '0' },
      host: { type: 'string', default: process.env.EMULATOR_HOST ?? '127.0.0.1' },
      'admin-port': { type: 'string', default: process.env.EMULATOR_ADMIN_PORT ?? '0' },
      'allowed-origin': { type: 'string', multiple: true, default: (process.env.SIDEKICK_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean) },
      'env-id': { type: 'string', default: process.env.EMULATOR_ENV_ID },
      'no-timers': { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
    },
  });
  const dataDir = values['data-dir'] ?? fail('--data-dir (or EMULATOR_DATA_DIR) is required');
  const schemaFile = values.schema ?? fail('--schema (or EMULATOR_SCHEMA) is required');
  const functionsDir = values.functions ?? fail('--functions (or EMULATOR_FUNCTIONS) is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`);
  const adminPort = Number(values['admin-port']);
  if (!Number.isInteger(adminPort) || adminPort < 0 || adminPort > 65535) fail(`invalid --admin-port ${values['admin-port']}`);
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) fail(`--env expects KEY=VALUE, got ${pair}`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }

  const started = Date.now();
  const emulator = await startEmulator({
    dataDir,
    schemaFile,
    functionsDir,
    staticDir: values.static,
    port,
    host: values.host,
    adminPort,
    allowedOrigins: values['allowed-origin'],
    envId: values['env-id'],
    timers: !values['no-timers'],
    env,
  });
  const counts = emulator.db.collectionNames().map((name) => `${name} ${emulator.db.count(name)}`);
  process.stdout.write(`local WeChat cloud ready in ${Date.now() - started} ms: ${emulator.url}\n  /fn/<name> (HTTP access)${values.static ? ', / (H5 app)' : ''}; wx-server-sdk wire: ${emulator.adminUrl}/admin (loopback only)\n  ${counts.join(', ')}\n`);

  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));

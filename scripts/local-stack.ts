/**
 * The whole backend on one machine: the local WeChat cloud (emulator) running the functions'
 * local bundles, a WeCom simulator standing in for WeCom's server API, and the demo dealership
 * seeded into the embedded database when it is empty. `npm start`, the e2e tests and the
 * benchmarks all start it the same way.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmulator, StackClock, type Emulator, type EmulatorOptions } from '../emulator';
import { startWecomSimulator, type WecomSimulator } from '../emulator/wecom/simulator';
import { generate } from '../seed/generate';
import { DEMO_CUSTOMERS } from '../seed/directory';
import { keepActivitiesUpcoming } from '../seed/keep-current';
import { cachedLocalFunctions } from './build-functions';
import { seedFromTemplate, storeExists } from './seed-template';

export const ROOT = resolve(__dirname, '..');
export const DEMO_WECOM = { corpId: 'ww-sidekick-demo', agentId: '1000002', secret: 'demo-wecom-agent-secret' };

export interface LocalStackOptions {
  dataDir: string;
  port?: number;
  /** The built H5 app to serve; omitted in API-only tests. */
  staticDir?: string;
  /** Demo dealership size and seed, used only when the database is empty. */
  customers?: number;
  seed?: number;
  /**
   * The stack's clock (epoch ms): the functions, the timers and the seed all read it, and it
   * flows from here. Defaults to the real clock so the demo looks current. Tests pin it far
   * from the real date.
   */
  now?: number;
  timers?: boolean;
  /** Added to every SDK round trip, ms (the cloud's network is ~10 ms); 0 by default. */
  latencyMs?: number;
  /** Most rows one database read returns (the cloud's is up to 1000; tests use 100). */
  readCap?: number;
  /** Prints one line per function call: name, action, SDK round trips, time. */
  logCalls?: boolean;
  /** Function bundles to run; the cached local build of the current sources by default. */
  functionsDir?: string;
  /** Sees every database request the functions send (tests count round trips with it). */
  onAdminRequest?: EmulatorOptions['onAdminRequest'];
  /**
   * Origins besides the stack's own whose pages may call /fn (the cloud's 安全域名); by default
   * SIDEKICK_ALLOWED_ORIGINS of this process, comma-separated.
   */
  allowedOrigins?: string[];
  /** Function environment overrides (tests: rate limits, a missing secret). */
  env?: Record<string, string | undefined>;
}

export interface LocalStack {
  url: string;
  functionsDir: string;
  emulator: Emulator;
  /** The clock the functions see: pin, advance or freeze it. */
  clock: StackClock;
  wecom: WecomSimulator;
  seeded: { customers: number; seconds: number } | undefined;
  close(): Promise<void>;
}

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

function sessionSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(o.dataDir, { recursive: true });
  const functionsDir = o.functionsDir ?? (await cachedLocalFunctions());
  const clock = new StackClock(o.now);
  const schemaFile = join(ROOT, 'cloudfunctions/database.json');
  const dbDir = join(o.dataDir, 'db');
  let seeded: LocalStack['seeded'];
  // A pinned clock means a reproducible dealership (tests, benchmarks): copy it from the template.
  if (o.now !== undefined && !storeExists(dbDir)) {
    const started = Date.now();
    const customers = o.customers ?? 20000;
    await seedFromTemplate(dbDir, { root: ROOT, schemaFile, customers, seed: o.seed ?? 42, now: o.now });
    seeded = { customers, seconds: (Date.now() - started) / 1000 };
  }
  const allowedOrigins = o.allowedOrigins ?? (process.env.SIDEKICK_ALLOWED_ORIGINS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const wecom = await startWecomSimulator({ corpId: DEMO_WECOM.corpId, secret: DEMO_WECOM.secret, clock });
  const emulator = await startEmulator({
    dataDir: dbDir,
    schemaFile,
    functionsDir,
    staticDir: o.staticDir,
    port: o.port ?? 0,
    timers: o.timers ?? false,
    clock,
    latencyMs: o.latencyMs ?? 0,
    readCap: o.readCap,
    onAdminRequest: o.onAdminRequest,
    allowedOrigins,
    env: withoutUndefined({
      SIDEKICK_SESSION_SECRET: sessionSecret(o.dataDir),
      SIDEKICK_DEMO_LOGIN: '1',
      SIDEKICK_DEMO_OPENIDS: DEMO_CUSTOMERS.map((c) => c.openid).join(','),
      WECOM_CORP_ID: DEMO_WECOM.corpId,
      WECOM_AGENT_ID: DEMO_WECOM.agentId,
      WECOM_SECRET: DEMO_WECOM.secret,
      WECOM_API_BASE: wecom.url,
      SIDEKICK_ALLOWED_ORIGINS: allowedOrigins.join(','),
      // One person clicking through the demo from one machine: far above the cloud defaults.
      SIDEKICK_RATE_SIGNIN_PER_IP: '1000/60',
      SIDEKICK_RATE_SIGNIN_PER_CALLER: '1000/60',
      ...o.env,
    }),
  });
  if (o.logCalls) {
    emulator.onInvocation((r) => {
      const what = r.action ? `${r.name}.${r.action}` : r.name;
      process.stdout.write(`  ${r.ok ? ' ' : '!'} ${what.padEnd(28)} ${String(r.roundTrips).padStart(4)} round trips ${String(r.ms).padStart(6)} ms  (${r.source})\n`);
    });
  }
  if (emulator.db.isEmpty()) {
    const started = Date.now();
    const customers = o.customers ?? 20000;
    await generate({ seed: o.seed ?? 42, customers, now: clock.now() }, emulator.db);
    seeded = { customers, seconds: (Date.now() - started) / 1000 };
  }
  keepActivitiesUpcoming(emulator.db, clock.now());
  return {
    url: emulator.url,
    functionsDir,
    emulator,
    clock,
    wecom,
    seeded,
    async close() {
      await emulator.close();
      await wecom.close();
    },
  };
}

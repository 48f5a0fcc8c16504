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
import { startOemSimulator, type OemSimulator, type OemSimulatorOptions } from '../emulator/oem/simulator';
import { demoOpeningFeed, type KnownPerson } from '../emulator/oem/data';
import type { CustomerDoc } from '../types/model';
import { generate } from '../seed/generate';
import { DEMO_CUSTOMERS } from '../seed/directory';
import { keepActivitiesUpcoming } from '../seed/keep-current';
import { cachedLocalFunctions } from './build-functions';
import { seedFromTemplate, storeExists } from './seed-template';

export const ROOT = resolve(__dirname, '..');
export const DEMO_WECOM = { corpId: 'ww-sidekick-demo', agentId: '1000002', secret: 'demo-wecom-agent-secret' };
/** The local OEM link: the simulator's dealer and the two secrets (32+ characters, as in the cloud). */
export const DEMO_OEM = {
  dealerId: 'dealer-huadong-01',
  secret: 'demo-oem-api-secret-0123456789abcdefghij',
  webhookSecret: 'demo-oem-webhook-secret-0123456789abcdefg',
};

/** How the stack reaches an OEM: its own simulator (default), one running elsewhere, or none. */
export type LocalOem =
  | { simulator?: Partial<OemSimulatorOptions>; demo?: boolean }
  | { url: string }
  | false;

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
  /**
   * The OEM platform: a simulator started with the stack (its options; `demo` gives it the demo
   * dealership's people and a new lead every so often), the URL of one already running (a test
   * that kills the stack keeps its simulator), or `false` for no OEM link.
   */
  oem?: LocalOem;
}

export interface LocalStack {
  url: string;
  functionsDir: string;
  emulator: Emulator;
  /** The clock the functions see: pin, advance or freeze it. */
  clock: StackClock;
  wecom: WecomSimulator;
  /** The OEM simulator the stack started (absent with an external one or none). */
  oem?: OemSimulator;
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
  const oemOption = o.oem ?? {};
  const oem =
    oemOption && !('url' in oemOption)
      ? await startOemSimulator({ dealerId: DEMO_OEM.dealerId, secret: DEMO_OEM.secret, webhookSecret: DEMO_OEM.webhookSecret, clock, ...oemOption.simulator })
      : undefined;
  const oemUrl = oemOption ? ('url' in oemOption ? oemOption.url : oem!.url) : undefined;
  const oemEnv: Record<string, string> = oemUrl
    ? { SIDEKICK_OEM_API_BASE: oemUrl, SIDEKICK_OEM_DEALER_ID: DEMO_OEM.dealerId, SIDEKICK_OEM_SECRET: DEMO_OEM.secret, SIDEKICK_OEM_WEBHOOK_SECRET: DEMO_OEM.webhookSecret }
    : {};
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
      ...oemEnv,
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
  oem?.setWebhookUrl(`${emulator.url}/fn/oemSync/webhook`);
  const stopDemo = oem && oemOption && !('url' in oemOption) && oemOption.demo ? startOemDemo(emulator, oem, clock.now()) : undefined;
  return {
    url: emulator.url,
    functionsDir,
    emulator,
    clock,
    wecom,
    ...(oem ? { oem } : {}),
    seeded,
    async close() {
      stopDemo?.();
      await emulator.close();
      await wecom.close();
      await oem?.close();
    },
  };
}

/** Seconds between the demo OEM's new leads (SIDEKICK_OEM_LEAD_EVERY_S; 0 = none). */
const DEMO_LEAD_EVERY_S = Number(process.env.SIDEKICK_OEM_LEAD_EVERY_S ?? 90);
/** The demo runs the sync more often than the cloud's minute, so what a consultant records leaves while they watch. */
const DEMO_SYNC_EVERY_MS = 15_000;

/**
 * The demo's OEM: on a fresh feed, the people it already knows at the dealer (customers with an
 * OEM id) consent to sharing on its app and get its tags, and a few new leads wait; then a new
 * lead every so often, pushed to the webhook, for the stores in turn.
 */
function startOemDemo(emulator: Emulator, oem: OemSimulator, now: number): () => void {
  const stores = ['store-sh-pudong', 'store-sh-jiading', 'store-sz-sip'];
  if (oem.feedLength() === 0) {
    const withOemId = emulator.db.find('customers', { 'identities.oemId': { $exists: true }, mergedInto: { $exists: false } }, { sort: { _id: 1 }, limit: 600 }) as CustomerDoc[];
    // The demo consultant's people first, then a few from each store.
    const known: KnownPerson[] = [];
    for (const storeId of stores) {
      const mine = withOemId.filter((c) => c.storeId === storeId).sort((a, b) => Number(b.ownerId === 'zhangwei') - Number(a.ownerId === 'zhangwei'));
      for (const c of mine.slice(0, 20)) known.push({ oemId: c.identities.oemId!, storeId });
    }
    oem.addChanges(demoOpeningFeed(known, stores, now), { push: true });
  }
  let turn = 0;
  const leads = DEMO_LEAD_EVERY_S > 0 ? setInterval(() => oem.createLead({ storeId: stores[turn++ % stores.length] }), DEMO_LEAD_EVERY_S * 1000) : undefined;
  const sync = setInterval(() => void emulator.fireTimer('oemSync').catch(() => undefined), DEMO_SYNC_EVERY_MS);
  leads?.unref();
  sync.unref();
  return () => {
    if (leads) clearInterval(leads);
    clearInterval(sync);
  };
}

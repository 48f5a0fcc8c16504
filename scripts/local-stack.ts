/**
 * The whole backend on one machine: the local WeChat cloud (emulator) running the functions'
 * local bundles, a WeCom simulator standing in for WeCom's server API, and the demo dealership
 * seeded into the embedded database when it is empty. `npm start`, the e2e tests and the
 * benchmarks all start it the same way.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { startWecomSimulator, type WecomSimulator } from '../emulator/wecom/simulator';
import { generate } from '../seed/generate';
import { DEMO_CUSTOMERS } from '../seed/directory';
import { buildFunctions } from './build-functions';

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
  /** "Now" of the demo data (epoch ms); defaults to the real clock so the demo looks current. */
  now?: number;
  timers?: boolean;
  /** Reuse already-built local function bundles instead of building them. */
  functionsDir?: string;
}

export interface LocalStack {
  url: string;
  emulator: Emulator;
  wecom: WecomSimulator;
  seeded: { customers: number; seconds: number } | undefined;
  close(): Promise<void>;
}

function sessionSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(o.dataDir, { recursive: true });
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  // Bundles live inside the project so their `require('wx-server-sdk')` resolves from its node_modules.
  const builtHere = o.functionsDir ? undefined : mkdtempSync(join(ROOT, '.cache', 'functions-'));
  const functionsDir = o.functionsDir ?? builtHere!;
  if (builtHere) await buildFunctions({ outDir: builtHere, local: true });
  const wecom = await startWecomSimulator({ corpId: DEMO_WECOM.corpId, secret: DEMO_WECOM.secret });
  const emulator = await startEmulator({
    dataDir: join(o.dataDir, 'db'),
    schemaFile: join(ROOT, 'cloudfunctions/database.json'),
    functionsDir,
    staticDir: o.staticDir,
    port: o.port ?? 0,
    timers: o.timers ?? false,
    env: {
      SIDEKICK_SESSION_SECRET: sessionSecret(o.dataDir),
      SIDEKICK_DEMO_LOGIN: '1',
      SIDEKICK_DEMO_OPENIDS: DEMO_CUSTOMERS.map((c) => c.openid).join(','),
      WECOM_CORP_ID: DEMO_WECOM.corpId,
      WECOM_AGENT_ID: DEMO_WECOM.agentId,
      WECOM_SECRET: DEMO_WECOM.secret,
      WECOM_API_BASE: wecom.url,
    },
  });
  let seeded: LocalStack['seeded'];
  if (emulator.db.isEmpty()) {
    const started = Date.now();
    const customers = o.customers ?? 20000;
    await generate({ seed: o.seed ?? 42, customers, now: o.now ?? Date.now() }, emulator.db);
    seeded = { customers, seconds: (Date.now() - started) / 1000 };
  }
  return {
    url: emulator.url,
    emulator,
    wecom,
    seeded,
    async close() {
      await emulator.close();
      await wecom.close();
      if (builtHere) rmSync(builtHere, { recursive: true, force: true });
    },
  };
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runWithEnv, type EnvOverlay } from './env-context';
import { timerTriggersOf, type TimerTrigger } from './timers';

/** What a caller of a function is, as getWXContext() reports it. */
export interface WxContext {
  OPENID?: string;
  APPID?: string;
  UNIONID?: string;
  CLIENTIP?: string;
  CLIENTIPV6?: string;
}

export interface Invocation {
  /** `TCB_SOURCE`, the call chain getWXContext().SOURCE shows: wx_client, wx_http, wx_trigger, ...,scf */
  source: string;
  wx?: WxContext;
  requestId: string;
}

export interface FunctionConfig {
  triggers: TimerTrigger[];
  /** Seconds; CloudBase's config.json `timeout`. */
  timeout?: number;
}

type Main = (event: unknown, context: Record<string, unknown>) => unknown;

interface CloudFunction {
  name: string;
  dir: string;
  config: FunctionConfig;
  main?: Main;
}

/** Without a `timeout` in config.json the emulator allows this long (CloudBase's own default is 3 s). */
export const DEFAULT_TIMEOUT_S = 60;

/** A cloud function threw, rejected or timed out. `detail` is what the cloud reports (no stack). */
export class FunctionExecError extends Error {
  constructor(
    readonly functionName: string,
    readonly detail: string,
    readonly requestId: string,
  ) {
    super(`function ${functionName} failed: ${detail}`);
    this.name = 'FunctionExecError';
  }
}

export class FunctionNotFoundError extends Error {
  constructor(readonly functionName: string) {
    super(`[ResourceNotFound.Function] FunctionName ${functionName} not found.`);
    this.name = 'FunctionNotFoundError';
  }
}

const WX_KEYS: Array<keyof WxContext> = ['OPENID', 'APPID', 'UNIONID', 'CLIENTIP', 'CLIENTIPV6'];

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/**
 * Loads built function bundles (`<dir>/<name>/index.js` exporting `main`, plus `config.json`)
 * in-process and runs each call in its own environment overlay.
 */
export class FunctionHost {
  private readonly functions = new Map<string, CloudFunction>();

  constructor(
    functionsDir: string,
    /** The environment of one invocation (endpoint, env id, identity, extra env). */
    private readonly envFor: (name: string, invocation: Invocation) => EnvOverlay,
    private readonly envId: string,
  ) {
    const root = resolve(functionsDir);
    if (!existsSync(root)) throw new Error(`functionsDir ${root} does not exist`);
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      const dir = join(root, entry.name);
      if (!entry.isDirectory() || !existsSync(join(dir, 'index.js'))) continue;
      this.functions.set(entry.name, { name: entry.name, dir, config: readConfig(dir, entry.name) });
    }
  }

  names(): string[] {
    return Array.from(this.functions.keys()).sort();
  }

  has(name: string): boolean {
    return this.functions.has(name);
  }

  config(name: string): FunctionConfig {
    return this.get(name).config;
  }

  /** Runs the function; resolves to its return value, rejects with FunctionExecError. */
  async invoke(name: string, event: unknown, invocation: Invocation): Promise<unknown> {
    const fn = this.get(name);
    const overlay = this.envFor(name, invocation);
    const timeoutS = fn.config.timeout ?? DEFAULT_TIMEOUT_S;
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      request_id: invocation.requestId,
      function_name: name,
      function_version: '$LATEST',
      namespace: this.envId,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutS * 1000,
      environment: JSON.stringify(visibleEnvironment(overlay)),
    };
    let timer: NodeJS.Timeout | undefined;
    const run = runWithEnv(overlay, async () => {
      const main = this.load(fn);
      return main(event, context);
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Invoking task timed out after ${timeoutS} seconds`)), timeoutS * 1000);
      timer.unref();
    });
    try {
      return await Promise.race([run, timeout]);
    } catch (err) {
      process.stderr.write(`[emulator] function ${name} (request ${invocation.requestId}) failed:\n${err instanceof Error ? err.stack ?? err.message : describe(err)}\n`);
      throw new FunctionExecError(name, describe(err), invocation.requestId);
    } finally {
      clearTimeout(timer);
    }
  }

  private get(name: string): CloudFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new FunctionNotFoundError(name);
    return fn;
  }

  private load(fn: CloudFunction): Main {
    if (!fn.main) {
      // The global require (jest's inside tests) so bundles share the caller's module registry and process.env.
      const loaded = require(join(fn.dir, 'index.js')) as { main?: unknown };
      if (typeof loaded.main !== 'function') throw new Error(`${fn.name}/index.js does not export main(event, context)`);
      fn.main = loaded.main as Main;
    }
    return fn.main;
  }
}

function readConfig(dir: string, name: string): FunctionConfig {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return { triggers: [] };
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { timeout?: unknown };
  const timeout = raw.timeout;
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw new Error(`${name}/config.json: "timeout" must be a positive number of seconds`);
  }
  return { triggers: timerTriggersOf(raw, name), timeout: timeout as number | undefined };
}

/** The WX_* variables of one caller (absent ones hidden, so the host's own never leak in). */
export function wxEnv(wx: WxContext | undefined): EnvOverlay {
  const env: EnvOverlay = { WX_CONTEXT_KEYS: WX_KEYS.map((k) => `WX_${k}`).join(',') };
  for (const k of WX_KEYS) env[`WX_${k}`] = wx?.[k];
  return env;
}

function visibleEnvironment(overlay: EnvOverlay): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(overlay)) {
    if (v !== undefined && (k.startsWith('WX_') || k.startsWith('TCB_') || k === 'SCF_NAMESPACE') && k !== 'TCB_CONTEXT_CNFG') out[k] = v;
  }
  return out;
}

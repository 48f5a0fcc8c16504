import type { AddressInfo } from 'node:net';
import { EmbeddedDb } from './db/embedded-db';
import { CloudError } from './db/errors';
import { loadSchemaFile } from './db/schema';
import { TransactionManager } from './db/transactions';
import { acquireEnvProxy, runWithEnv, type EnvOverlay } from './functions/env-context';
import { FunctionExecError, FunctionHost, FunctionNotFoundError, wxEnv, type Invocation, type WxContext } from './functions/host';
import { TimerScheduler, timerEvent } from './functions/timers';
import type { Server } from 'node:http';
import { createAdminServer, createGatewayServer, DEFAULT_MAX_FN_BODY_BYTES, type GatewayOutcome } from './http/server';
import { handleAdmin, newRequestId } from './wire/admin';
import { answerOpenApi, formParts, PhoneCodes } from './wire/open-api';
import { CLOCK_ENV, StackClock } from './clock';
import { actionOf, InvocationMeter, type InvocationRecord } from './functions/meter';

export { EmbeddedDb } from './db/embedded-db';
export type { Doc, FindOptions, QueryPlan, SortSpec, WriteListener } from './db/embedded-db';
export type { DbSchema, DbSchemaFile } from './db/schema';
export { parseCloudCron, timerEvent, type TimerEvent, type TimerTrigger } from './functions/timers';
export type { WxContext } from './functions/host';
export { StackClock } from './clock';
export type { InvocationRecord } from './functions/meter';

export interface EmulatorOptions {
  /** Folder of the SQLite store (created if missing). */
  dataDir: string;
  /** JSON file declaring collections and their equality indexes (see README). */
  schemaFile: string;
  /** Built functions: `<name>/index.js` (CommonJS, exports.main) and optional `<name>/config.json`. */
  functionsDir: string;
  /** Built H5 app served for GET requests outside /admin and /fn/. */
  staticDir?: string;
  /** The gateway's port (/fn, static app); 0 (default) picks a free port. */
  port?: number;
  /** The gateway's interface. Default 127.0.0.1. */
  host?: string;
  /** The SDK wire endpoint's port (/admin), always on 127.0.0.1; 0 (default) picks a free port. */
  adminPort?: number;
  /**
   * Origins besides the gateway's own whose pages may call /fn across origins (CloudBase: the
   * 安全域名 list). Default none.
   */
  allowedOrigins?: readonly string[];
  /** Largest /fn request body in bytes (default 6 MB, CloudBase's limit); bigger gets 413. */
  maxBodyBytes?: number;
  /** Extra environment variables every function invocation sees. */
  env?: Record<string, string>;
  /** Run timer triggers on the wall clock (default true); `fireTimer` works either way. */
  timers?: boolean;
  /** The cloud environment id functions see as TCB_ENV / getWXContext().ENV. Default "local". */
  envId?: string;
  /** The stack's clock: what functions, timers and `db.serverDate()` see (the wall clock by default). */
  clock?: StackClock;
  /**
   * Added to every SDK round trip before it is answered, ms: 0 by default; ~10 stands for the
   * cloud's network (benchmarks, `npm start` on request).
   */
  latencyMs?: number;
  /** How long a transaction may stay open (CloudBase: 30 s); shorter in tests of the limit. */
  transactionLifetimeMs?: number;
  /** Most rows one database read returns (CloudBase: up to 1000; tests run with 100). */
  readCap?: number;
  /** Sees every SDK request body sent to /admin (wire contract tests, diagnostics). */
  onAdminRequest?: (request: { body: Record<string, unknown>; headers: Record<string, unknown>; url: string }) => void;
}

/** An error a mini-program would get from wx.cloud.callFunction when the function failed. */
export class CloudFunctionError extends Error {
  constructor(
    readonly errCode: number,
    readonly errMsg: string,
    readonly requestId: string,
  ) {
    super(errMsg);
    this.name = 'CloudFunctionError';
  }
}

/**
 * While an emulator is open, `process.env` outside any invocation shows its SDK environment
 * (endpoint, env id, no caller), so wx-server-sdk used directly by scripts and tests talks to
 * it; with several open, the last started wins. Inside an invocation or `withContext`, the
 * call's own environment applies.
 */
export interface Emulator {
  /** The gateway: /fn/<name> (HTTP access) and the static app. */
  url: string;
  port: number;
  /** The SDK wire endpoint's base (loopback only); functions find it in TCB_CONTEXT_CNFG. */
  adminUrl: string;
  db: EmbeddedDb;
  clock: StackClock;
  /**
   * Calls a function as a mini-program user would (wx.cloud.callFunction) and returns its result;
   * `wxContext` is what the platform would vouch for (OPENID, APPID, UNIONID, CLIENTIP).
   */
  invoke(name: string, data: unknown, wxContext?: WxContext): Promise<unknown>;
  /** Calls `listener` after every invocation with its SDK round trips and time; returns the unsubscribe. */
  onInvocation(listener: (record: InvocationRecord) => void): () => void;
  /** Sets the per-round-trip latency (ms). */
  setLatency(ms: number): void;
  /**
   * The code a mini-program's getPhoneNumber button would give for this phone: the function
   * exchanges it with `cloud.openapi.phonenumber.getPhoneNumber`, once, within five minutes.
   */
  issuePhoneCode(phone: string): string;
  /** Fires a function's timer trigger now (the first trigger unless named) and returns the result. */
  fireTimer(name: string, trigger?: string): Promise<unknown>;
  /**
   * Runs `fn` as if inside a cloud function of this emulator: wx-server-sdk used in it talks to
   * this emulator and getWXContext() returns `wxContext`. For tests and scripts.
   */
  withContext<T>(fn: () => Promise<T>, wxContext?: WxContext): Promise<T>;
  /** The environment a separate process needs for its wx-server-sdk to talk to this emulator. */
  sdkEnv(wxContext?: WxContext): Record<string, string>;
  close(): Promise<void>;
}

const FUNCTION_EXEC_FAIL = -504002;
const FUNCTION_REQUEST_FAIL = -504001;
/** The runtime tag @cloudbase/node-sdk appends to X-TCB-Source when TENCENTCLOUD=true. */
const RUN_ENV_TAG = 'tencentcloud';

/** What the platform sets as TCB_SOURCE (getWXContext().SOURCE) when a timer trigger fires. */
const TIMER_SOURCE = 'wx_trigger';
/** The wire endpoint listens on loopback only, whatever interface the gateway uses. */
const ADMIN_HOST = '127.0.0.1';

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}

/** How long closing waits for invocations still running. */
const DRAIN_MS = 10_000;

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeAllConnections();
  });
}

/** The `action` of an HTTP-access JSON body, for the invocation record. */
function httpAction(body: string): string | undefined {
  try {
    return actionOf(JSON.parse(body));
  } catch {
    return undefined;
  }
}

function jsonRoundTrip(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

export async function startEmulator(o: EmulatorOptions): Promise<Emulator> {
  const envId = o.envId ?? 'local';
  const host = o.host ?? '127.0.0.1';
  const clock = o.clock ?? new StackClock();
  const meter = new InvocationMeter();
  let latencyMs = o.latencyMs ?? 0;
  const db = EmbeddedDb.open(o.dataDir, loadSchemaFile(o.schemaFile));
  const transactions = new TransactionManager(db, o.transactionLifetimeMs);
  let url = '';
  let adminUrl = '';

  const baseEnv = (invocation: Pick<Invocation, 'source' | 'requestId'>, wx: WxContext | undefined, functionName?: string): EnvOverlay => ({
    ...o.env,
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${adminUrl}/admin` }),
    TENCENTCLOUD_SECRETID: 'local-emulator',
    TENCENTCLOUD_SECRETKEY: 'local-emulator',
    TENCENTCLOUD_SESSIONTOKEN: undefined,
    TENCENTCLOUD: 'true',
    TENCENTCLOUD_RUNENV: undefined,
    TCB_ENV: envId,
    SCF_NAMESPACE: envId,
    SCF_FUNCTIONNAME: functionName,
    TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TCB_SOURCE',
    TCB_SEQID: invocation.requestId,
    TCB_SOURCE: invocation.source,
    // @cloudbase/node-sdk's marker of a timer-triggered run (utils/wxCloudToken.ts); never set for other sources.
    TRIGGER_SRC: invocation.source === TIMER_SOURCE ? 'timer' : undefined,
    [CLOCK_ENV]: clock.envValue(),
    ...wxEnv(wx),
  });

  let functions: FunctionHost;
  /** Invocations still running: closing waits for them, so none outlives the database it writes to. */
  const running = new Set<Promise<unknown>>();
  const track = <T>(run: Promise<T>): Promise<T> => {
    running.add(run);
    void run.finally(() => running.delete(run)).catch(() => undefined);
    return run;
  };
  /** Runs an invocation and records its round trips; `action` names it in the record. */
  const metered = (name: string, event: unknown, invocation: Invocation, action = actionOf(event)): Promise<{ value: unknown; roundTrips: number }> =>
    track(meteredRun(name, event, invocation, action));
  const meteredRun = async (name: string, event: unknown, invocation: Invocation, action: string | undefined): Promise<{ value: unknown; roundTrips: number }> => {
    const started = Date.now();
    meter.begin(invocation.requestId);
    let ok = false;
    try {
      const value = await functions.invoke(name, event, invocation);
      ok = true;
      return { value, roundTrips: meter.end({ name, action, source: invocation.source, requestId: invocation.requestId, ms: Date.now() - started, ok }) };
    } finally {
      if (!ok) meter.end({ name, action, source: invocation.source, requestId: invocation.requestId, ms: Date.now() - started, ok });
    }
  };
  try {
    functions = new FunctionHost(o.functionsDir, (name, inv) => baseEnv(inv, inv.wx, name), envId);
  } catch (err) {
    db.close();
    throw err;
  }

  const invokeFromWire = async (name: string, event: unknown, callerSource: string): Promise<unknown> => {
    const chain = callerSource.endsWith(`,${RUN_ENV_TAG}`) ? callerSource.slice(0, -RUN_ENV_TAG.length - 1) : callerSource;
    try {
      return jsonRoundTrip((await metered(name, event, { source: chain ? `${chain},scf` : 'scf', requestId: newRequestId() })).value);
    } catch (err) {
      if (err instanceof FunctionNotFoundError) throw new CloudError('FUNCTIONS_REQUEST_FAIL', err.message);
      if (err instanceof FunctionExecError) throw new CloudError('FUNCTIONS_EXECUTE_FAIL', err.detail);
      throw err;
    }
  };

  const phoneCodes = new PhoneCodes(() => clock.now());
  const adminServer = createAdminServer({
    onAdminRequest: o.onAdminRequest,
    openApi: async (body, contentType) => {
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      return answerOpenApi(formParts(body, contentType), phoneCodes, clock.now());
    },
    admin: async (body, source, seqId) => {
      meter.count(seqId);
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      return handleAdmin(body, { db, transactions, invokeFunction: invokeFromWire, now: () => clock.now(), readCap: o.readCap }, source);
    },
  });
  const server = createGatewayServer({
    staticDir: o.staticDir,
    allowedOrigins: o.allowedOrigins ?? [],
    ownOrigin: () => url,
    maxBodyBytes: o.maxBodyBytes ?? DEFAULT_MAX_FN_BODY_BYTES,
    gateway: async (name, event, clientIp): Promise<GatewayOutcome> => {
      if (!functions.has(name)) return { kind: 'not-found' };
      const requestId = newRequestId();
      try {
        const { value, roundTrips } = await metered(name, event, { source: 'wx_http', wx: { CLIENTIP: clientIp }, requestId }, httpAction(event.body));
        return { kind: 'result', value, roundTrips };
      } catch (err) {
        if (err instanceof FunctionExecError) return { kind: 'error', requestId };
        throw err;
      }
    },
  });

  try {
    await listen(server, o.port ?? 0, host);
    await listen(adminServer, o.adminPort ?? 0, ADMIN_HOST);
  } catch (err) {
    await Promise.all([closeServer(server), closeServer(adminServer)]);
    db.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  adminUrl = `http://${ADMIN_HOST}:${(adminServer.address() as AddressInfo).port}`;
  const releaseEnv = acquireEnvProxy(baseEnv({ source: 'wx_client', requestId: newRequestId() }, undefined));

  const callAsClient = async (name: string, event: unknown, invocation: Invocation): Promise<unknown> => {
    try {
      return jsonRoundTrip((await metered(name, event, invocation)).value);
    } catch (err) {
      if (err instanceof FunctionNotFoundError) {
        throw new CloudFunctionError(FUNCTION_REQUEST_FAIL, `cloud.callFunction:fail Error: errCode: ${FUNCTION_REQUEST_FAIL} functions request fail | errMsg: ${err.message}`, invocation.requestId);
      }
      if (err instanceof FunctionExecError) {
        throw new CloudFunctionError(FUNCTION_EXEC_FAIL, `cloud.callFunction:fail Error: errCode: ${FUNCTION_EXEC_FAIL} functions execute fail | errMsg: ${err.detail}`, invocation.requestId);
      }
      throw err;
    }
  };

  const scheduler =
    o.timers === false
      ? undefined
      : new TimerScheduler(
          functions.names().flatMap((functionName) => functions.config(functionName).triggers.map((trigger) => ({ functionName, trigger }))),
          (functionName, trigger, at) => {
            metered(functionName, timerEvent(trigger.name, at), { source: TIMER_SOURCE, requestId: newRequestId() }, trigger.name).catch(
              () => undefined /* already logged with its stack */,
            );
          },
          () => clock.now(),
        );
  scheduler?.start();
  const unwatchClock = clock.onChange(() => scheduler?.clockChanged());

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    adminUrl,
    db,
    clock,
    onInvocation: (listener) => meter.listen(listener),
    setLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`latency must be >= 0 ms, got ${ms}`);
      latencyMs = ms;
    },
    invoke(name, data, wxContext) {
      if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
        return Promise.reject(new TypeError('callFunction data must be an object'));
      }
      const event: Record<string, unknown> = { ...((jsonRoundTrip(data) as Record<string, unknown> | null) ?? {}) };
      if (wxContext?.OPENID || wxContext?.APPID) event.userInfo = { appId: wxContext.APPID, openId: wxContext.OPENID };
      return callAsClient(name, event, { source: 'wx_client', wx: wxContext, requestId: newRequestId() });
    },
    issuePhoneCode: (phone) => phoneCodes.issue(phone),
    fireTimer(name, triggerName) {
      if (!functions.has(name)) return Promise.reject(new FunctionNotFoundError(name));
      const triggers = functions.config(name).triggers;
      const trigger = triggerName === undefined ? triggers[0] : triggers.find((t) => t.name === triggerName);
      if (!trigger) return Promise.reject(new Error(`function ${name} has no timer trigger${triggerName ? ` named ${triggerName}` : ''}`));
      return callAsClient(name, timerEvent(trigger.name, new Date(clock.now())), { source: TIMER_SOURCE, requestId: newRequestId() });
    },
    withContext(fn, wxContext) {
      return runWithEnv(baseEnv({ source: 'wx_client', requestId: newRequestId() }, wxContext), async () => fn());
    },
    sdkEnv(wxContext) {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(baseEnv({ source: 'wx_client', requestId: newRequestId() }, wxContext))) if (v !== undefined) env[k] = v;
      return env;
    },
    close() {
      closed ??= (async () => {
        scheduler?.stop();
        unwatchClock();
        // No new requests; the calls already running (a page's last beacon, a timer's run) finish
        // against the SDK wire and the database first, within a bound.
        await closeServer(server);
        await Promise.race([Promise.allSettled([...running]), new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
        await closeServer(adminServer);
        db.close();
        releaseEnv();
      })();
      return closed;
    },
  };
}

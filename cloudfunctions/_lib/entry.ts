/**
 * The shape every function shares: normalise the event (mini-program call, HTTP access or timer)
 * -> validate the action's params with its schema from types/ -> resolve and authorise the caller
 * -> run the action -> reply with an ApiReply (plus an HTTP status when called over HTTP access).
 *
 * What a run may trust comes from the platform, never from the event: a timer job runs only when
 * the platform says a timer trigger fired (TCB_SOURCE `wx_trigger`), an internal action only
 * when another function called (TCB_SOURCE ending in `,scf`), and the caller is who the
 * platform (OPENID) or a signed session says it is.
 */
import type { z } from 'zod';
import { internalSchemas, schemas } from '../../types/schemas';
import {
  ErrorCodes,
  type ActionName,
  type ApiReply,
  type FunctionName,
  type ParsedParams,
  type Result,
} from '../../types/api';
import { fieldIssues } from '../_core/field-issues';
import { ApiError, invalidInput } from './errors';
import { resolveCaller, type Caller } from './caller';
import { invocationSource, platformClientIp, wxIdentity } from './cloud';
import { now as clockNow } from './clock';
import { allowedOrigins, configProblem } from './config';

export type Audience = Caller['role'];

/** What the platform tells about the request itself. */
export interface RequestInfo {
  /** The client's IP, when known (rate limits per IP). */
  ip?: string;
}

export interface ActionContext<C extends Caller = Caller> {
  caller: C;
  now: number;
  request: RequestInfo;
}

/** The caller narrowed to the roles in R (a staff caller allowed only as 'consultant' has role 'consultant'). */
type CallerFor<R extends Audience> = Caller extends infer C
  ? C extends { role: infer CR }
    ? [Extract<CR, R>] extends [never]
      ? never
      : Omit<C, 'role'> & { role: Extract<CR, R> }
    : never
  : never;

export interface ActionSpec<F extends FunctionName, A extends ActionName<F>> {
  allow: readonly Audience[];
  run: (params: ParsedParams<F, A>, ctx: ActionContext) => Promise<Result<F, A>>;
}

/**
 * Declares an action: who may call it and what it does. `run` sees the caller narrowed to the
 * allowed roles, so a staff-only action cannot forget that customers have no store scope.
 */
export function action<F extends FunctionName, A extends ActionName<F>, R extends Audience>(
  allow: readonly R[],
  run: (params: ParsedParams<F, A>, ctx: ActionContext<CallerFor<R>>) => Promise<Result<F, A>>,
): ActionSpec<F, A> {
  // Safe: dispatch() checks the caller's role against `allow` before calling run.
  return { allow, run: (params, ctx) => run(params, ctx as ActionContext<CallerFor<R>>) };
}

export type ActionTable<F extends FunctionName> = { [A in ActionName<F>]: ActionSpec<F, A> };

export interface TimerEvent {
  Type: 'Timer';
  TriggerName: string;
  Time: string;
}

type InternalSchemasOf<F> = F extends keyof typeof internalSchemas ? (typeof internalSchemas)[F] : Record<never, never>;

/** Handlers of the actions in `internalSchemas[F]`, each with its validated params. */
export type InternalActions<F extends FunctionName> = {
  [A in keyof InternalSchemasOf<F>]: (params: InternalSchemasOf<F>[A] extends z.ZodTypeAny ? z.output<InternalSchemasOf<F>[A]> : never, now: number) => Promise<unknown>;
};

export interface FunctionOptions<F extends FunctionName = FunctionName> {
  /** Runs when a timer trigger from config.json fires, by trigger name. */
  timers?: Record<string, (now: number) => Promise<unknown>>;
  /**
   * Actions only other functions of the environment call (continuing a job): accepted when the
   * platform's SOURCE ends in `,scf`, FORBIDDEN from anyone else. No caller identity is involved.
   */
  internal?: InternalActions<F>;
}

interface HttpEvent {
  httpMethod: string;
  path?: string;
  headers?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** TCB_SOURCE of a run the platform's timer trigger started (exactly: `wx_trigger,scf` is another function calling). */
const TIMER_SOURCE = 'wx_trigger';
/** The platform appends this to the source chain of a function called by another function. */
const FUNCTION_HOP = 'scf';
/** The JSON requests of the app are a few KB; anything near this is not ours. */
export const MAX_HTTP_BODY_BYTES = 1024 * 1024;

const isHttp = (e: unknown): e is HttpEvent =>
  typeof e === 'object' && e !== null && typeof (e as HttpEvent).httpMethod === 'string';
const isTimerShaped = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && ((e as Record<string, unknown>).Type === 'Timer' || 'TriggerName' in e);

interface Call {
  action: unknown;
  params: unknown;
  token?: string;
}

const timerRefused = () => new ApiError('FORBIDDEN', 'timer jobs run only when the platform fires their timer trigger');
const internalRefused = (action: string) => new ApiError('FORBIDDEN', `${action} is called only by other functions of this environment`);

/** Whether another function made this call: the platform's source chain ends with its hop. */
const calledByFunction = (): boolean => invocationSource()?.split(',').pop() === FUNCTION_HOP;

/** Header lookup whatever the case the platform delivers names in. */
function header(headers: HttpEvent['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
}

/**
 * Defence in depth behind the gateway's CORS (CloudBase: 安全域名): a browser page from an
 * origin that is neither this host nor in SIDEKICK_ALLOWED_ORIGINS is refused before any work,
 * even for "simple" requests the browser sends without a preflight. `null` is never allowed.
 */
function checkOrigin(headers: HttpEvent['headers']): void {
  const origin = header(headers, 'origin');
  if (origin === undefined) return;
  if (origin !== 'null') {
    try {
      if (new URL(origin).host === header(headers, 'host')) return;
    } catch {
      // not a URL: refused below
    }
    if (allowedOrigins().includes(origin)) return;
  }
  throw new ApiError('FORBIDDEN', `origin ${origin} may not call this function; list it in SIDEKICK_ALLOWED_ORIGINS and the environment's 安全域名`);
}

/** The platform's client IP, else the right-most entry of the header the operator names (SIDEKICK_CLIENT_IP_HEADER). */
function requestIp(headers?: HttpEvent['headers']): string | undefined {
  const platform = platformClientIp();
  if (platform) return platform;
  const name = process.env.SIDEKICK_CLIENT_IP_HEADER?.trim().toLowerCase();
  const value = name ? header(headers, name) : undefined;
  // The right-most entry is the one the platform's own proxy added; earlier ones are the client's say.
  const last = value?.split(',').pop()?.trim();
  return last || undefined;
}

function readHttp(event: HttpEvent): Call {
  if (event.httpMethod.toUpperCase() !== 'POST') {
    throw new ApiError('METHOD_NOT_ALLOWED', `method ${event.httpMethod} not allowed; use POST`);
  }
  const size = event.body ? (event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body)) : 0;
  if (size > MAX_HTTP_BODY_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', `body: ${size} bytes is over the limit of ${MAX_HTTP_BODY_BYTES}`);
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let body: unknown;
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    throw new ApiError('INVALID_INPUT', 'body: must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('INVALID_INPUT', 'body: must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]);
  }
  if (isTimerShaped(body)) throw timerRefused();
  const auth = header(event.headers, 'authorization');
  let token: string | undefined;
  if (auth !== undefined) {
    const bearer = /^Bearer ([A-Za-z0-9._-]+)$/.exec(auth);
    if (!bearer) throw new ApiError('UNAUTHENTICATED', 'authorization: expected "Bearer <session token>"');
    token = bearer[1];
  }
  const b = body as Record<string, unknown>;
  return { action: b.action, params: b.params, token };
}

function readCall(event: unknown): Call {
  if (isTimerShaped(event)) throw timerRefused();
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  return { action: e.action, params: e.params };
}

function checkConfig(): void {
  const problem = configProblem();
  if (problem) throw new ApiError('CONFIG', problem);
}

export function defineFunction<F extends FunctionName>(name: F, actions: ActionTable<F>, options: FunctionOptions<F> = {}) {
  const known = Object.keys(actions);
  const internal = (options.internal ?? {}) as Record<string, (params: unknown, now: number) => Promise<unknown>>;
  const internalSchemasOf = ((internalSchemas as Record<string, Record<string, z.ZodTypeAny>>)[name] ?? {}) as Record<string, z.ZodTypeAny>;
  const isInternal = (action: unknown): action is string => typeof action === 'string' && Object.hasOwn(internal, action);
  // Cold start: say what is misconfigured once, in the function's log; every call then answers CONFIG.
  const coldStartProblem = configProblem();
  if (coldStartProblem) console.error(`[${name}] configuration error: ${coldStartProblem}`);

  /** An internal action: only another function may call it; its params are validated all the same. */
  async function runInternal(call: Call & { action: string }, now: number): Promise<unknown> {
    if (!calledByFunction()) throw internalRefused(call.action);
    const schema = internalSchemasOf[call.action];
    if (!schema) throw new Error(`${name}: internal action ${call.action} has no schema in internalSchemas`);
    const parsed = schema.safeParse(call.params ?? {});
    if (!parsed.success) throw invalidInput(fieldIssues(parsed.error, '(params)'));
    return internal[call.action](parsed.data, now);
  }

  async function dispatch(call: Call, request: RequestInfo, now: number): Promise<unknown> {
    // Over HTTP access nothing is another function calling.
    if (isInternal(call.action)) throw internalRefused(call.action);
    if (typeof call.action !== 'string' || !known.includes(call.action)) {
      const given = typeof call.action === 'string' ? `'${call.action}'` : 'missing';
      throw new ApiError(
        'UNKNOWN_ACTION',
        `action: ${given} is not an action of ${name}; expected one of ${known.join(', ')}`,
        [{ field: 'action', message: `expected one of ${known.join(', ')}` }],
      );
    }
    const actionName = call.action as ActionName<F>;
    const schema = (schemas[name] as Record<string, z.ZodTypeAny>)[actionName];
    const parsed = schema.safeParse(call.params ?? {});
    if (!parsed.success) {
      throw invalidInput(fieldIssues(parsed.error, '(params)'));
    }
    const spec = actions[actionName];
    const caller = await resolveCaller({ token: call.token, wx: wxIdentity(), now });
    if (!(spec.allow as readonly Audience[]).includes(caller.role)) {
      throw caller.role === 'anonymous'
        ? new ApiError('UNAUTHENTICATED', 'sign in first')
        : new ApiError('FORBIDDEN', `${caller.role} may not call ${name}.${actionName}`);
    }
    return spec.run(parsed.data as ParsedParams<F, typeof actionName>, { caller, now, request });
  }

  function toReply(err: unknown): ApiReply<never> {
    if (err instanceof ApiError) return { ok: false, error: err.toBody() };
    console.error(`[${name}]`, err);
    return { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
  }

  /** Only the platform's timer trigger gets here; the job runs whatever the sessions' configuration. */
  function runTimer(event: unknown, now: number): Promise<unknown> {
    if (wxIdentity().openid) throw new Error(`${name}: a timer run with a user identity`);
    const trigger = isTimerShaped(event) ? (event as Partial<TimerEvent>).TriggerName : undefined;
    const job = typeof trigger === 'string' ? options.timers?.[trigger] : undefined;
    if (!job) throw new Error(`${name}: no job for timer trigger ${String(trigger)}`);
    return job(now);
  }

  async function runHttp(event: HttpEvent, now: number): Promise<HttpResponse> {
    let reply: ApiReply<unknown>;
    let status = 200;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
    try {
      checkConfig();
      checkOrigin(event.headers);
      const call = readHttp(event);
      reply = { ok: true, data: await dispatch(call, { ip: requestIp(event.headers) }, now) };
    } catch (err) {
      reply = toReply(err);
      if (!reply.ok) {
        status = ErrorCodes[reply.error.code];
        if (reply.error.code === 'METHOD_NOT_ALLOWED') headers.allow = 'POST';
        if (reply.error.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.error.retryAfterSeconds);
      }
    }
    return { statusCode: status, headers, body: JSON.stringify(reply) };
  }

  return async function main(event: unknown): Promise<unknown> {
    const now = clockNow();
    // Decided by where the run came from, never by what the event looks like.
    if (invocationSource() === TIMER_SOURCE) return runTimer(event, now);
    if (isHttp(event)) return runHttp(event, now);
    try {
      const call = readCall(event);
      // Like timers, calls between functions need no session configuration.
      if (isInternal(call.action)) return { ok: true, data: await runInternal({ ...call, action: call.action }, now) } satisfies ApiReply<unknown>;
      checkConfig();
      return { ok: true, data: await dispatch(call, { ip: platformClientIp() }, now) } satisfies ApiReply<unknown>;
    } catch (err) {
      return toReply(err);
    }
  };
}

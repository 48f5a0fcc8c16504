/**
 * The shape every function shares: normalise the event (mini-program call, HTTP access or timer)
 * -> validate the action's params with its schema from types/ -> resolve and authorise the caller
 * -> run the action -> reply with an ApiReply (plus an HTTP status when called over HTTP access).
 *
 * What a run may trust comes from the platform, never from the event: a timer job runs only when
 * the platform says a timer trigger fired (TCB_SOURCE `wx_trigger`).
 */
import type { z } from 'zod';
import { schemas } from '../../types/schemas';
import {
  ErrorCodes,
  type ActionName,
  type ApiReply,
  type FieldIssue,
  type FunctionName,
  type ParsedParams,
  type Result,
} from '../../types/api';
import { ApiError } from './errors';
import { resolveCaller, type Caller } from './caller';
import { invocationSource, wxIdentity } from './cloud';
import { now as clockNow } from './clock';

export type Audience = Caller['role'];

export interface ActionContext<C extends Caller = Caller> {
  caller: C;
  now: number;
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

export interface FunctionOptions {
  /** Runs when a timer trigger from config.json fires, by trigger name. */
  timers?: Record<string, (now: number) => Promise<unknown>>;
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

const isHttp = (e: unknown): e is HttpEvent =>
  typeof e === 'object' && e !== null && typeof (e as HttpEvent).httpMethod === 'string';
/** TCB_SOURCE of a run the platform's timer trigger started (exactly: `wx_trigger,scf` is another function calling). */
const TIMER_SOURCE = 'wx_trigger';
const isTimerShaped = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && ((e as Record<string, unknown>).Type === 'Timer' || 'TriggerName' in e);
const timerRefused = () => new ApiError('FORBIDDEN', 'timer jobs run only when the platform fires their timer trigger');

function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : '(params)',
    message: i.message,
  }));
}

interface Call {
  action: unknown;
  params: unknown;
  token?: string;
}

function readHttp(event: HttpEvent): Call {
  if (event.httpMethod.toUpperCase() !== 'POST') {
    throw new ApiError('INVALID_INPUT', `method ${event.httpMethod} not allowed; use POST`);
  }
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
  const auth = event.headers?.authorization ?? event.headers?.Authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const b = body as Record<string, unknown>;
  return { action: b.action, params: b.params, token };
}

function readCall(event: unknown): Call {
  if (isTimerShaped(event)) throw timerRefused();
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  return { action: e.action, params: e.params };
}

export function defineFunction<F extends FunctionName>(name: F, actions: ActionTable<F>, options: FunctionOptions = {}) {
  const known = Object.keys(actions);

  async function dispatch(call: Call, now: number): Promise<unknown> {
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
      const issues = zodIssues(parsed.error);
      throw new ApiError('INVALID_INPUT', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
    }
    const spec = actions[actionName];
    const caller = await resolveCaller({ token: call.token, wx: wxIdentity(), now });
    if (!(spec.allow as readonly Audience[]).includes(caller.role)) {
      throw caller.role === 'anonymous'
        ? new ApiError('UNAUTHENTICATED', 'sign in first')
        : new ApiError('FORBIDDEN', `${caller.role} may not call ${name}.${actionName}`);
    }
    return spec.run(parsed.data as ParsedParams<F, typeof actionName>, { caller, now });
  }

  function toReply(err: unknown): ApiReply<never> {
    if (err instanceof ApiError) return { ok: false, error: err.toBody() };
    console.error(`[${name}]`, err);
    return { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
  }

  /** Only the platform's timer trigger gets here. */
  function runTimer(event: unknown, now: number): Promise<unknown> {
    if (wxIdentity().openid) throw new Error(`${name}: a timer run with a user identity`);
    const trigger = isTimerShaped(event) ? (event as Partial<TimerEvent>).TriggerName : undefined;
    const job = typeof trigger === 'string' ? options.timers?.[trigger] : undefined;
    if (!job) throw new Error(`${name}: no job for timer trigger ${String(trigger)}`);
    return job(now);
  }

  return async function main(event: unknown): Promise<unknown> {
    const now = clockNow();
    // Decided by where the run came from, never by what the event looks like.
    if (invocationSource() === TIMER_SOURCE) return runTimer(event, now);
    if (isHttp(event)) {
      let reply: ApiReply<unknown>;
      let status = 200;
      try {
        reply = { ok: true, data: await dispatch(readHttp(event), now) };
      } catch (err) {
        reply = toReply(err);
        if (!reply.ok) status = ErrorCodes[reply.error.code];
      }
      const res: HttpResponse = {
        statusCode: status,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        body: JSON.stringify(reply),
      };
      return res;
    }
    try {
      return { ok: true, data: await dispatch(readCall(event), now) } satisfies ApiReply<unknown>;
    } catch (err) {
      return toReply(err);
    }
  };
}

import type { ActionName, ApiErrorBody, ErrorCode, FunctionName, Params, Result } from '@/contract';
import { sendCall, TransportFailure } from '@/platform/transport';
import { CloudError, isErrorReason } from './cloud-error';

// The session store lives above this layer: it lends its token and listens for expiry.
let tokenSource: () => string | undefined = () => undefined;
const unauthenticatedListeners = new Set<(error: CloudError) => void>();

/** Where callCloud reads the current session token from. */
export function setTokenSource(source: () => string | undefined): void {
  tokenSource = source;
}

/** Called whenever the server says the caller is not (or no longer) signed in. */
export function onUnauthenticated(listener: (error: CloudError) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

const knownCodes: ReadonlySet<string> = new Set<ErrorCode>([
  'INVALID_INPUT',
  'UNKNOWN_ACTION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NOT_AVAILABLE',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UPSTREAM',
  'INTERNAL',
  'CONFIG',
]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function errorFromBody(body: unknown): CloudError {
  if (!isRecord(body) || typeof body.code !== 'string' || !knownCodes.has(body.code)) {
    return new CloudError('INTERNAL', `unrecognised error body: ${JSON.stringify(body)?.slice(0, 200)}`);
  }
  const { code, message, issues, reason } = body as unknown as ApiErrorBody;
  // A reason this build does not know yet falls back to the code's message.
  return new CloudError(code, typeof message === 'string' ? message : code, Array.isArray(issues) ? issues : [], isErrorReason(reason) ? reason : undefined);
}

/**
 * Calls one action of one cloud function. Resolves with the action's result only when the
 * server replied `{ ok: true }`; every other outcome rejects with a CloudError.
 */
export async function callCloud<F extends FunctionName, A extends ActionName<F>>(
  name: F,
  action: A,
  params: Params<F, A>,
): Promise<Result<F, A>> {
  let reply: unknown;
  try {
    reply = await sendCall({ name, action, params, token: tokenSource() });
  } catch (e) {
    if (e instanceof TransportFailure) throw new CloudError('NETWORK', e.message);
    throw e;
  }
  if (isRecord(reply) && reply.ok === true && 'data' in reply) {
    return reply.data as Result<F, A>;
  }
  const error = isRecord(reply) && reply.ok === false
    ? errorFromBody(reply.error)
    : new CloudError('INTERNAL', `${name}.${action} replied with something that is not an ApiReply: ${String(JSON.stringify(reply)).slice(0, 200)}`);
  if (error.code === 'UNAUTHENTICATED') {
    unauthenticatedListeners.forEach((listener) => listener(error));
  }
  throw error;
}

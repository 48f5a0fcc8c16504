import type { ActionName, FunctionName, Params, Result } from '@/contract';
import { sendCall, TransportFailure } from '@/platform/transport';
import { CloudError, replyData } from './cloud-error';

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
  try {
    return replyData<Result<F, A>>(reply);
  } catch (error) {
    // A refusal with its own reason (a tracked link that is not valid) is not the session ending.
    if (error instanceof CloudError && error.code === 'UNAUTHENTICATED' && !error.reason) unauthenticatedListeners.forEach((listener) => listener(error));
    throw error;
  }
}

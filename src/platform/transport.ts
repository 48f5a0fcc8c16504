/**
 * How a function call reaches the cloud. Taro builds `transport.h5.ts` or `transport.weapp.ts`
 * in place of this file; it only declares what both export.
 */
import type { CallRequest } from './transport-common';

export { TransportFailure, type CallRequest } from './transport-common';

/**
 * Sends one call and resolves with the reply body exactly as received (an `ApiReply` when the
 * server behaves); rejects with `TransportFailure` when no reply arrived.
 */
export declare function sendCall(request: CallRequest): Promise<unknown>;

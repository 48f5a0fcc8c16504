import Taro from '@tarojs/taro';
import { TransportFailure, type CallRequest } from './transport-common';

export { TransportFailure, type CallRequest } from './transport-common';

let initialised = false;

function cloud(): typeof Taro.cloud {
  if (!initialised) {
    Taro.cloud.init(CLOUD_ENV_ID ? { env: CLOUD_ENV_ID, traceUser: true } : { traceUser: true });
    initialised = true;
  }
  return Taro.cloud;
}

/**
 * Mini-program: call the function directly; the platform vouches for the caller's openid, so the
 * session token is not sent. The function's return value is the ApiReply.
 */
export async function sendCall({ name, action, params }: CallRequest): Promise<unknown> {
  try {
    const res = await cloud().callFunction({ name, data: { action, params } });
    return res.result;
  } catch (cause) {
    throw new TransportFailure(`cloud.callFunction ${name} (${action}) failed: ${String(cause)}`);
  }
}

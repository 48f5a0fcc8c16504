/**
 * WeCom JS-SDK signatures (config and agentConfig use the same recipe with different tickets):
 * sha1 of `jsapi_ticket=..&noncestr=..&timestamp=..&url=..`, with the URL cut at '#'.
 */
import { createHash } from 'node:crypto';
import type { JsapiSignature } from '../../types/api';

export function signUrl(ticket: string, url: string, nonceStr: string, timestamp: number): JsapiSignature {
  const bare = url.split('#')[0];
  const plain = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${bare}`;
  return { timestamp, nonceStr, signature: createHash('sha1').update(plain).digest('hex') };
}

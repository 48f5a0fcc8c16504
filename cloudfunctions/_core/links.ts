/**
 * Tracked links. Every send gets a random id (made in `_lib`, 16 bytes: unguessable) and the
 * customer's link carries it signed: `<sendId>.<mac>`, the mac being HMAC-SHA256 over
 * `link:<sendId>` with the functions' secret. A link cannot be made up, changed to point at
 * another send, or enumerated; opening one names the send, and through it the customer, the
 * consultant, the task, the strategy and the material. Pure: the secret is passed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Ids are base64url; the mac is cut to 128 bits, plenty against forgery and short in a QR code or card. */
const TOKEN = /^([A-Za-z0-9_-]{16,43})\.([A-Za-z0-9_-]{22})$/;

const mac = (sendId: string, secret: string) => createHmac('sha256', secret).update(`link:${sendId}`).digest('base64url').slice(0, 22);

export function signLink(sendId: string, secret: string): string {
  if (!/^[A-Za-z0-9_-]{16,43}$/.test(sendId)) throw new Error(`signLink: not a send id: ${sendId}`);
  return `${sendId}.${mac(sendId, secret)}`;
}

/** The send a link's token names, or undefined when it is malformed or not signed by us. */
export function verifyLink(token: string, secret: string): string | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const expected = Buffer.from(mac(m[1], secret));
  const given = Buffer.from(m[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? m[1] : undefined;
}

import Taro from '@tarojs/taro';

/** Dials the number (the phone's dialer in the mini-program and WeCom; a `tel:` link in a browser). */
export async function dialPhone(phone: string): Promise<void> {
  await Taro.makePhoneCall({ phoneNumber: phone });
}

/** Puts text on the clipboard; resolves false when the platform refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await Taro.setClipboardData({ data: text });
    return true;
  } catch {
    return false;
  }
}

/** A tracked link's page path as something the customer can open: on H5 the app's own address with the route. */
export function trackedUrl(path: string): string {
  if (process.env.TARO_ENV !== 'h5') return path;
  const { origin, pathname } = window.location;
  return `${origin}${pathname}#/${path}`;
}

/** A random id of 22 base64url characters (132 random bits): a send's id, which the tracked link names. */
export function randomId(): string {
  const bytes = new Uint8Array(22);
  const c = (globalThis as { crypto?: { getRandomValues?: (b: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from(bytes, (b) => alphabet[b & 63]).join('');
}

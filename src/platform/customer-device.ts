/**
 * What a customer's H5 page presents instead of the mini-program's OPENID: a random device
 * token made once and kept in the page's storage (docs/decisions/0015), a final beacon that
 * survives the page being closed, the phone dialler and the map.
 */
import { localStore } from './storage';

const KEY = 'sidekick.customerDevice';

function randomToken(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** This browser's device token (made on first use). */
export function customerDevice(): string {
  const known = localStore.getItem(KEY);
  if (known && /^[A-Za-z0-9_-]{22,64}$/.test(known)) return known;
  const made = randomToken();
  localStore.setItem(KEY, made);
  return made;
}

/** Sends a function call that must leave even as the page unloads (the visit's final heartbeat). */
export function sendFinalBeacon(name: string, action: string, params: unknown): boolean {
  if (typeof navigator === 'undefined' || typeof navigator.sendBeacon !== 'function') return false;
  const body = new Blob([JSON.stringify({ action, params })], { type: 'application/json' });
  return navigator.sendBeacon(`${SIDEKICK_API_BASE}/fn/${encodeURIComponent(name)}`, body);
}

/** Runs `onLeave` when the page is being unloaded (closed, navigated away). */
export function onPageLeave(onLeave: () => void): () => void {
  if (typeof window === 'undefined') return () => undefined;
  window.addEventListener('pagehide', onLeave);
  return () => window.removeEventListener('pagehide', onLeave);
}

/** Opens the phone's dialler (a tel: link in a browser). */
export function dial(phone: string): void {
  if (typeof window !== 'undefined') window.location.href = `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** Opens a web page in a new tab (the store's map). */
export function openExternal(url: string): void {
  if (typeof window !== 'undefined') window.open(url, '_blank', 'noopener');
}

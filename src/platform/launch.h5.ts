import type { OpeningPage } from './launch';

export type { OpeningPage } from './launch';

/** The hash router's address, `#/pages/sidebar/index?customerId=…`, read before the router does. */
export function openingPage(): OpeningPage | undefined {
  const [path = '', query = ''] = window.location.hash.replace(/^#/, '').split('?');
  if (!path.startsWith('/')) return undefined;
  return { route: path, params: Object.fromEntries(new URLSearchParams(query)) };
}

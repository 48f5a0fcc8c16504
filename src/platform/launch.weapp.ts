import type { OpeningPage } from './launch';

export type { OpeningPage } from './launch';

/** A mini-program page's code comes with its package: there is no wait for it to overlap. */
export function openingPage(): OpeningPage | undefined {
  return undefined;
}

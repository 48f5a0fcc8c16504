/** Every page and sheet of every role (support/pages.ts) at the WeCom sidebar's width: see support/page-checks.ts. */
import { PAGES, VIEWPORTS } from './support/pages';
import { pageChecksAt } from './support/page-checks';

const problemsOf = pageChecksAt(VIEWPORTS[0]);

describe(`at ${VIEWPORTS[0].width} px`, () => {
  it.each(PAGES.map((p) => [p.name, p] as const))('%s', async (_name, state) => {
    expect(await problemsOf(state)).toEqual([]);
  });
});

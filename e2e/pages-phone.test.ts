/** The page checks of e2e/support/page-checks.ts at the phone's width. */
import { VIEWPORTS } from './support/pages';
import { describePageChecks } from './support/page-checks';

describePageChecks(VIEWPORTS[1]);

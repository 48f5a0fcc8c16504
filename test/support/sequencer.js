/**
 * The order jest starts test files in: the longest first, so that both workers finish together
 * instead of one running a long file alone at the end. Jest learns each file's time in its cache
 * (after the first run on a machine); a fresh clone, as CI runs, has none, and jest then starts
 * the files it has no time for by size, which put the fuzzer (a minute and more) last. Until the
 * cache knows a file, its time measured here stands in (seconds, on a quiet 2-core machine,
 * 2026-12-03); a file not listed counts as short.
 */
const { relative } = require('node:path');
const TestSequencer = require('@jest/test-sequencer').default;

const MEASURED = {
  'test/functions/fuzz.test.ts': 55,
  'test/functions/authorization.test.ts': 45,
  'e2e/pages-phone.test.ts': 40,
  'e2e/pages-sidebar.test.ts': 40,
  'test/functions/jobs.test.ts': 37,
  'test/functions/oem-chaos.test.ts': 35,
  'e2e/leads.test.ts': 33,
  'test/functions/crash.test.ts': 25,
  'e2e/strategy.test.ts': 23,
  'e2e/workbench.test.ts': 21,
  'e2e/audiences.test.ts': 20,
  'e2e/manager.test.ts': 18,
  'e2e/wecom-sidebar.test.ts': 17,
  'e2e/materials.test.ts': 16,
  'test/functions/audiences.test.ts': 13,
  'e2e/tasks.test.ts': 13,
  'e2e/profile.test.ts': 13,
  'e2e/oem.test.ts': 12,
  'test/functions/oem-sync.test.ts': 10,
  'seed/__tests__/determinism.test.ts': 10,
  'test/functions/scoring.test.ts': 10,
  'e2e/invite.test.ts': 10,
  'test/build/weapp-quality.test.ts': 10,
};
const SHORT_MS = 500;

class LongestFirst extends TestSequencer {
  time(test) {
    const known = super.time(test);
    if (known !== undefined) return known;
    const measured = MEASURED[relative(test.context.config.rootDir, test.path).split('\\').join('/')];
    return measured !== undefined ? measured * 1000 : SHORT_MS;
  }
}

module.exports = LongestFirst;

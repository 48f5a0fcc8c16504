/**
 * WeChat's own code-quality analysis (miniprogram-ci, offline: no network, no key) on the real
 * weapp build, through scripts/check-weapp.ts, which fails `npm test` on any error. The second
 * test breaks a copy of the build the ways the check exists to catch, so a check that stopped
 * checking would fail here too.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { WeappCheckReport } from '../../scripts/check-weapp';

const root = resolve(__dirname, '../..');
const dist = resolve(root, process.env.SIDEKICK_OUT_DIR || 'dist', 'weapp');
const work = mkdtempSync(join(tmpdir(), 'sidekick-weapp-quality-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function check(dir: string): { status: number | null; report: WeappCheckReport; output: string } {
  const reportFile = join(work, `report-${Math.random().toString(36).slice(2)}.json`);
  const run = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/check-weapp.ts'), dir, '--report', reportFile], {
    cwd: root,
    encoding: 'utf8',
    timeout: 90_000,
  });
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status === 2 || run.error) throw new Error(`check-weapp did not run: ${run.error?.message ?? output}`);
  return { status: run.status, report: JSON.parse(readFileSync(reportFile, 'utf8')) as WeappCheckReport, output };
}

it('passes every check on the build, with nothing unused in the independent invite package', () => {
  const { status, report, output } = check(dist);
  expect(report.failures).toEqual([]);
  expect(status).toBe(0);
  expect(output).toContain('passes WeChat code-quality checks');
  // The checks that this build was failing before: Taro's runtime files in invite/, lazy code loading, compression.
  for (const name of ['CONTAINS_UNUSED_CODES', 'LAZYCODE_LOADING_OPEN', 'WXML_COMPRESS_OPEN', 'WXSS_COMPRESS_OPEN', 'PACKAGE_SIZE_LIMIT']) {
    expect(report.quality.find((q) => q.name === name)).toMatchObject({ success: true });
  }
  expect(report.unresolved).toEqual([]);
  // Only the tab-bar icons (named in app.json, which the analysis does not follow for images) are unreached.
  expect(report.unreachable.filter((f) => !f.startsWith('assets/tab/'))).toEqual([]);
});

it('fails on unused files, a missing component and lazy code loading turned off', () => {
  const broken = join(work, 'broken');
  cpSync(dist, broken, { recursive: true });
  writeFileSync(join(broken, 'invite/leftover.js'), 'module.exports = 1;\n');
  const pageJson = join(broken, 'invite/pages/activity/index.json');
  const page = JSON.parse(readFileSync(pageJson, 'utf8')) as { usingComponents: Record<string, string> };
  writeFileSync(pageJson, JSON.stringify({ ...page, usingComponents: { ghost: '../../ghost/index' } }));
  const appJson = join(broken, 'app.json');
  const { lazyCodeLoading: _lazy, ...app } = JSON.parse(readFileSync(appJson, 'utf8')) as Record<string, unknown>;
  writeFileSync(appJson, JSON.stringify(app));

  const { status, report } = check(broken);
  expect(status).toBe(1);
  expect(report.quality.find((q) => q.name === 'CONTAINS_UNUSED_CODES')).toMatchObject({ success: false, detail: expect.arrayContaining(['invite/leftover.js']) });
  expect(report.quality.find((q) => q.name === 'LAZYCODE_LOADING_OPEN')).toMatchObject({ success: false });
  expect(report.unresolved.join('\n')).toMatch(/ghost/);
});

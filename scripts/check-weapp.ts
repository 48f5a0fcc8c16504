/**
 * WeChat's own offline checks on a built mini-program, from miniprogram-ci (the engine of
 * DevTools' 代码质量 panel): the dependency analysis (every require, usingComponents and page
 * resolves) and the code-quality checks (package sizes, compression, lazyCodeLoading, unused
 * files, code shared across packages). Exits 1 when any check fails.
 *
 *   tsx scripts/check-weapp.ts [dist/weapp] [--report report.json]
 *
 * Neither check reads the private key or touches the network (upload and preview do); the CI
 * project still asks for a key, so a placeholder is passed.
 */
import * as ci from 'miniprogram-ci';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');

export interface WeappCheckReport {
  /** Files in the package that nothing reaches (images included: the tab bar icons come from app.json). */
  unreachable: string[];
  /** Dependency-analysis errors: a require or a component that does not resolve. */
  unresolved: string[];
  quality: { name: string; success: boolean; detail?: unknown }[];
  /** One line per problem; empty when the build passes. */
  failures: string[];
}

interface ProjectConfig {
  miniprogramRoot?: string;
  cloudfunctionRoot?: string;
  appid: string;
  setting?: Record<string, unknown>;
}

/**
 * Runs both checks on `weappDir` with the settings of the repository's project.config.json
 * (the ones DevTools uploads with), in a throwaway project whose miniprogramRoot links to it.
 */
export async function checkWeapp(weappDir: string): Promise<WeappCheckReport> {
  const projectDir = mkdtempSync(join(tmpdir(), 'sidekick-weapp-check-'));
  try {
    const config = JSON.parse(readFileSync(join(root, 'project.config.json'), 'utf8')) as ProjectConfig;
    // miniprogram-ci does not follow a miniprogramRoot that leaves the project folder; a link inside it works.
    symlinkSync(resolve(weappDir), join(projectDir, 'weapp'), 'dir');
    const { cloudfunctionRoot: _functions, ...rest } = config;
    const checked: ProjectConfig = {
      ...rest,
      miniprogramRoot: 'weapp/',
      // DevTools can drop unused files at upload; we want the build itself to carry none, so the
      // unused-code check must see everything it emits.
      setting: { ...config.setting, ignoreDevUnusedFiles: false, ignoreUploadUnusedFiles: false },
    };
    writeFileSync(join(projectDir, 'project.config.json'), JSON.stringify(checked, null, 2));
    const project = new ci.Project({ appid: config.appid, type: 'miniProgram', projectPath: projectDir, privateKey: 'not-read-by-offline-checks' });

    const analysis = await ci.analyseCode(project, { silent: true });
    if (!analysis) throw new Error('miniprogram-ci analyseCode returned nothing');
    const unresolved = analysis.modules.flatMap((m) => [
      ...(m.errors ?? []).map((e) => `${m.id}: ${String(e)}`),
      ...(m.deps ?? []).filter((d) => d.error).map((d) => `${m.id}: ${String(d.error)}`),
    ]);
    const unreachable = analysis.files.filter((f) => f.moduleId === null || f.moduleId === undefined).map((f) => f.path);

    const quality = (await ci.checkCodeQuality(project)).map(({ name, success, detail }) => ({
      name: name ?? 'UNNAMED_CHECK',
      success: success === true,
      detail: detail as unknown,
    }));
    const failures = [
      ...unresolved.map((u) => `unresolved dependency: ${u}`),
      ...quality.filter((q) => !q.success).map((q) => `${q.name}${q.detail === undefined ? '' : ` ${JSON.stringify(q.detail)}`}`),
    ];
    return { unreachable, unresolved, quality, failures };
  } finally {
    rmSync(projectDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const report = args.includes('--report') ? args[args.indexOf('--report') + 1] : undefined;
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--report');
  const weappDir = resolve(root, dir ?? join(process.env.SIDEKICK_OUT_DIR || 'dist', 'weapp'));
  checkWeapp(weappDir).then(
    (r) => {
      if (report) writeFileSync(report, `${JSON.stringify(r, null, 2)}\n`);
      for (const q of r.quality) process.stdout.write(`${q.success ? 'ok  ' : 'FAIL'} ${q.name}\n`);
      for (const f of r.failures) process.stderr.write(`${f}\n`);
      process.stdout.write(`${relative(root, weappDir) || weappDir}: ${r.failures.length ? `${r.failures.length} problem(s)` : 'passes WeChat code-quality checks'}\n`);
      // miniprogram-ci leaves file watchers open: exit explicitly.
      process.exit(r.failures.length ? 1 : 0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(2);
    },
  );
}

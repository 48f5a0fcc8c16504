/**
 * The real weapp build (made by `npm test` before jest runs): WeChat loads it only if app.json
 * is right and every package stays under the platform's 2 MB; the invitation must open on its
 * own, so the independent subpackage may not reach into the main package.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const dist = resolve(__dirname, '../../dist/weapp');
const LIMIT = 2 * 1024 * 1024;

interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[]; independent?: boolean }[];
  subpackages?: { root: string; pages: string[]; independent?: boolean }[];
  tabBar?: { list: { pagePath: string; text: string }[] };
}

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

const app = (): AppJson => JSON.parse(readFileSync(join(dist, 'app.json'), 'utf8')) as AppJson;
const subs = () => app().subPackages ?? app().subpackages ?? [];

describe('weapp build', () => {
  it('lists the workbench pages with the 线索 / 任务 / 我的 tab bar and both subpackages', () => {
    const a = app();
    expect(a.pages).toEqual(expect.arrayContaining(['pages/leads/index', 'pages/tasks/index', 'pages/me/index', 'pages/customer/index']));
    expect(a.tabBar?.list.map((t) => t.text)).toEqual(['线索', '任务', '我的']);
    expect(a.pages).not.toContain('pages/sign-in/index');
    const manager = subs().find((s) => s.root.replace(/\/$/, '') === 'manager');
    const invite = subs().find((s) => s.root.replace(/\/$/, '') === 'invite');
    expect(manager?.pages.length).toBeGreaterThan(0);
    expect(invite?.independent).toBe(true);
    for (const s of subs()) for (const p of s.pages) expect(existsSync(join(dist, s.root, `${p}.js`))).toBe(true);
  });

  it('keeps every package under the 2 MB limit', () => {
    const roots = subs().map((s) => s.root.replace(/\/$/, ''));
    const size = (fs: string[]) => fs.filter((f) => !f.endsWith('.map')).reduce((n, f) => n + statSync(f).size, 0);
    const all = files(dist);
    const main = all.filter((f) => !roots.some((r) => relative(dist, f).startsWith(`${r}/`)));
    expect(size(main)).toBeLessThan(LIMIT);
    for (const r of roots) expect(size(all.filter((f) => relative(dist, f).startsWith(`${r}/`)))).toBeLessThan(LIMIT);
  });

  it('lets the independent invite subpackage load without the main package', () => {
    const inviteDir = join(dist, 'invite');
    for (const f of files(inviteDir).filter((x) => x.endsWith('.js'))) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/require\(["']([^"']+)["']\)/g)) {
        const target = resolve(dirname(f), m[1]);
        expect(relative(inviteDir, target).startsWith('..')).toBe(false);
      }
    }
  });
});

/**
 * The real weapp build (made by `npm test` before jest runs; SIDEKICK_OUT_DIR points at another
 * build): WeChat loads it only if app.json is right and every package stays under the platform's
 * 2 MB; the invitation must open on its own, so the independent subpackage may not reach into the
 * main package, and it is a native page so that it stays under its 150 KB target.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import vm from 'node:vm';

const dist = resolve(__dirname, '../..', process.env.SIDEKICK_OUT_DIR || 'dist', 'weapp');
const LIMIT = 2 * 1024 * 1024;
const INVITE_TARGET = 150 * 1024;

interface AppJson {
  pages: string[];
  lazyCodeLoading?: string;
  sitemapLocation?: string;
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

  it('injects code lazily and keeps every page out of WeChat search', () => {
    expect(app().lazyCodeLoading).toBe('requiredComponents');
    expect(app().sitemapLocation).toBe('sitemap.json');
    const sitemap = JSON.parse(readFileSync(join(dist, 'sitemap.json'), 'utf8')) as { rules: { action: string; page: string }[] };
    expect(sitemap.rules).toEqual([{ action: 'disallow', page: '*' }]);
  });

  it('leaves the DevTools project file at the repository root, where its cloudfunctionRoot resolves', () => {
    expect(existsSync(join(dist, 'project.config.json'))).toBe(false);
    const project = JSON.parse(readFileSync(resolve(__dirname, '../../project.config.json'), 'utf8')) as { miniprogramRoot: string; cloudfunctionRoot: string };
    expect(project).toMatchObject({ miniprogramRoot: 'dist/weapp/', cloudfunctionRoot: 'dist-functions/' });
  });

  it('ships none of the Taro runtime in the invite package, whose pages are native', () => {
    const inviteDir = join(dist, 'invite');
    const names = files(inviteDir).map((f) => relative(inviteDir, f)).sort();
    // The invitation and 我的报名, both native; `common.js` holds the logic module they share.
    expect(names).toEqual([
      'common.js',
      ...['activity', 'mine'].flatMap((p) => ['js', 'json', 'wxml', 'wxss'].map((x) => `pages/${p}/index.${x}`)),
      'runtime.js',
      'vendors.js',
    ]);
    // Taro's runtime registers components through createComponentConfig and keeps an event hub; neither is needed by a native page.
    expect(readFileSync(join(inviteDir, 'vendors.js'), 'utf8')).not.toMatch(/custom-wrapper|\.callbacks\b/);
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

  it('ships the invitation as a native page: WXML, WXSS, JSON and a JS that registers with Page', () => {
    const page = join(dist, 'invite/pages/activity/index');
    for (const ext of ['.js', '.wxml', '.wxss', '.json']) expect(existsSync(page + ext)).toBe(true);
    const wxml = readFileSync(`${page}.wxml`, 'utf8');
    for (const label of ['时间', '地点', '名额', '到店礼遇', '重试']) expect(wxml).toContain(label);
    // A Taro page would register through the runtime's createPageConfig; a native one calls Page.
    expect(readFileSync(`${page}.js`, 'utf8')).toMatch(/\bPage\(/);
  });

  it('keeps the invite subpackage under its 150 KB target, measured as bench/run.ts does', () => {
    const bytes = files(join(dist, 'invite')).filter((f) => !f.endsWith('.map')).reduce((n, f) => n + statSync(f).size, 0);
    expect(bytes).toBeLessThanOrEqual(INVITE_TARGET);
  });

  it('runs the built invitation with only the invite package loaded, and shows the activity', async () => {
    const inviteDir = join(dist, 'invite');
    const calls: unknown[] = [];
    let options: { data: { state: unknown }; onLoad(q: object): void } | undefined;
    const start = new Date(2026, 10, 29, 9, 30).getTime();
    const activity = { id: 'act_1', title: '揽月 七座家庭试驾日', description: '', storeName: '星河汽车 城东店', address: '钱江路 88 号', startAt: start, endAt: start + 7.5 * 3600_000, perks: ['试驾即送保养券'], capacity: 40, registered: 0, storePhone: '0571-88886666' };
    // The mini-program's globals, nothing else: no app.js, no main-package files.
    const context = vm.createContext({
      Page: (o: typeof options) => (options = o),
      wx: {
        cloud: {
          init: () => undefined,
          callFunction: async (call: unknown) => (calls.push(call), { result: { ok: true, data: activity } }),
        },
      },
      console,
      setTimeout,
      clearTimeout,
    });
    const cache = new Map<string, { exports: unknown }>();
    const load = (file: string): unknown => {
      const path = file.endsWith('.js') ? file : `${file}.js`;
      expect(relative(inviteDir, path).startsWith('..')).toBe(false);
      const cached = cache.get(path);
      if (cached) return cached.exports;
      const module = { exports: {} };
      cache.set(path, module);
      const source = `(function (module, exports, require) {${readFileSync(path, 'utf8')}\n})`;
      try {
        const wrapped = vm.runInContext(source, context, { filename: path }) as (m: object, e: unknown, r: (id: string) => unknown) => void;
        wrapped(module, module.exports, (id) => load(resolve(dirname(path), id)));
      } catch (e) {
        // Minified bundles make V8 quote a whole line: keep the failure readable.
        throw new Error(`${relative(dist, path)} failed with only the invite package and the mini-program globals: ${String(e).slice(0, 300)}`);
      }
      return module.exports;
    };
    load(join(inviteDir, 'pages/activity/index.js'));
    if (!options) throw new Error('the built page did not call Page');

    const page = { ...options, data: { ...options.data }, setData(d: object) { Object.assign(page.data, d); } };
    page.onLoad.call(page, { id: 'act_1' });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual([{ name: 'activities', data: { action: 'get', params: { activityId: 'act_1' } } }]);
    expect(page.data.state).toMatchObject({
      status: 'ready',
      invitation: { kicker: '星河汽车 城东店 诚邀您参加', time: '2026年11月29日 周日 09:30 – 17:00', capacity: '共 40 个名额', perks: ['试驾即送保养券'] },
    });
  });
});

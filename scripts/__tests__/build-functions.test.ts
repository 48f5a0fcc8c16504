/**
 * The deploy build of the functions, as the CloudBase CLI and WeChat DevTools read it:
 * cloudbaserc.json (runtime, timeout, triggers, installDependency, the names of the environment
 * variables and never a value), config.json with only what WeChat reads, and bundles compiled
 * for the runtime they are deployed to.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildFunctions, envNamesOf, ESBUILD_TARGET, functionNames, RUNTIME, type Cloudbaserc } from '../build-functions';

const root = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sidekick-deploy-build-'));
const outDir = join(work, 'dist-functions');
const rcFile = join(work, 'cloudbaserc.json');
let rc: Cloudbaserc;

interface SourceConfig {
  timeout: number;
  triggers?: { name: string; type: string; config: string }[];
}
const source = (name: string) => JSON.parse(readFileSync(join(root, 'cloudfunctions', name, 'config.json'), 'utf8')) as SourceConfig;
const bundle = (name: string) => readFileSync(join(outDir, name, 'index.js'), 'utf8');

beforeAll(async () => {
  await buildFunctions({ outDir, local: false, cloudbaserc: rcFile });
  rc = JSON.parse(readFileSync(rcFile, 'utf8')) as Cloudbaserc;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('lists every function, with its folder relative to cloudbaserc.json and the environment from CLOUD_ENV_ID', () => {
  expect(rc.version).toBe('2.0');
  expect(rc.envId).toBe('{{env.CLOUD_ENV_ID}}');
  expect(resolve(work, rc.functionRoot)).toBe(outDir);
  expect(rc.functions.map((f) => f.name)).toEqual(functionNames());
  expect(functionNames()).toEqual(expect.arrayContaining(['auth', 'leads', 'scoring', 'track']));
});

it('deploys on Node.js 18 or later with the cloud installing wx-server-sdk, and each function its own timeout', () => {
  for (const f of rc.functions) {
    expect(f.runtime).toMatch(/^Nodejs(\d+)\.\d+$/);
    expect(Number(/^Nodejs(\d+)/.exec(f.runtime)?.[1])).toBeGreaterThanOrEqual(18);
    expect(f).toMatchObject({ handler: 'index.main', installDependency: true, timeout: source(f.name).timeout });
    const pkg = JSON.parse(readFileSync(join(outDir, f.name, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(['wx-server-sdk']);
    expect(bundle(f.name)).toMatch(/exports\.main|main: \(\) => main/);
  }
  // The slices of long jobs run in `jobs`, with the most time CloudBase gives a function.
  expect(rc.functions.find((f) => f.name === 'jobs')?.timeout).toBe(60);
});

it('compiles the bundles for the runtime, which has the fetch and AbortSignal.timeout they call', () => {
  expect(RUNTIME).toMatch(/^Nodejs18\./);
  expect(ESBUILD_TARGET).toBe(`node${RUNTIME.slice('Nodejs'.length)}`);
  const auth = bundle('auth');
  expect(auth).toContain('fetch(');
  expect(auth).toContain('AbortSignal.timeout(');
});

it('declares the same 7-field timer triggers as each config.json, in config.json and cloudbaserc.json', () => {
  for (const f of rc.functions) {
    const triggers = source(f.name).triggers ?? [];
    expect(f.triggers).toEqual(triggers);
    for (const t of f.triggers) expect(t.config.trim().split(/\s+/)).toHaveLength(7);
    // WeChat reads permissions and triggers from config.json, and documents nothing else there.
    const deployed = JSON.parse(readFileSync(join(outDir, f.name, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(deployed).sort()).toEqual(triggers.length ? ['permissions', 'triggers'] : ['permissions']);
    expect(deployed.triggers ?? []).toEqual(triggers);
  }
  expect(rc.functions.find((f) => f.name === 'leads')?.triggers).toEqual([{ name: 'recycle', type: 'timer', config: '0 0 * * * * *' }]);
});

it('names the environment variables each function reads, never their values', () => {
  const names = Object.fromEntries(rc.functions.map((f) => [f.name, Object.keys(f.envVariables)]));
  // What every function's entry reads (checked at cold start), and WeCom's for those that call it.
  const entry = ['SIDEKICK_ALLOWED_ORIGINS', 'SIDEKICK_CLIENT_IP_HEADER', 'SIDEKICK_RATE_OAUTH_PER_CODE', 'SIDEKICK_RATE_SIGNIN_PER_CALLER', 'SIDEKICK_RATE_SIGNIN_PER_IP', 'SIDEKICK_SESSION_SECRET'];
  const wecom = ['WECOM_AGENT_ID', 'WECOM_CORP_ID', 'WECOM_SECRET'];
  // The OEM link: the sync reads all of it; functions that apply events read whether there is one (the outbox).
  const oem = ['SIDEKICK_OEM_API_BASE', 'SIDEKICK_OEM_DEALER_ID', 'SIDEKICK_OEM_SECRET', 'SIDEKICK_OEM_TIMEOUT_MS', 'SIDEKICK_OEM_WEBHOOK_SECRET'];
  const expected = (name: string) => {
    if (name === 'oemSync') return [...entry, ...oem].sort();
    // WeCom: sign-in, chat customers, mass-send tasks (sends), reminders as app messages (tasks).
    const own = [...(['auth', 'customers', 'sends', 'tasks'].includes(name) ? wecom : []), ...(['activities', 'customers', 'track'].includes(name) ? ['SIDEKICK_OEM_API_BASE'] : [])];
    return [...entry, ...own].sort();
  };
  for (const f of rc.functions) expect([f.name, names[f.name]]).toEqual([f.name, expected(f.name)]);
  for (const f of rc.functions) for (const [name, value] of Object.entries(f.envVariables)) expect(value).toBe(`{{env.${name}}}`);
  // Whatever is set in this process stays out of the file.
  expect(readFileSync(rcFile, 'utf8')).not.toMatch(/"[A-Z_]+": "(?!\{\{env\.)/);
});

it('compiles the local-only switches out of the deploy bundles', () => {
  for (const name of functionNames()) {
    expect(bundle(name)).not.toMatch(/process\.env\.(SIDEKICK_DEMO_LOGIN|SIDEKICK_DEMO_OPENIDS|LOCAL_CLOUD_CLOCK)/);
  }
});

it('finds variable names in a bundle, leaving out the platform and the local simulator', () => {
  const code = 'a=process.env.B_SECRET;b=process.env.A_ID;c=process.env.TCB_ENV;d=process.env.WECOM_API_BASE;e=process.env.A_ID';
  expect(envNamesOf(code, 'f')).toEqual(['A_ID', 'B_SECRET']);
  expect(() => envNamesOf('x=process.env[name]', 'f')).toThrow(/computed name/);
});

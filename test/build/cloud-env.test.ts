/**
 * A mini-program build for the cloud names its CloudBase environment, or does not build: without
 * it `wx.cloud.init` would pick the account's default environment. The local demo build and H5
 * (which calls the functions over HTTP) need none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cloudEnvId } from '../../config/cloud-env';

const root = resolve(__dirname, '../..');
const dist = resolve(root, process.env.SIDEKICK_OUT_DIR || 'dist', 'weapp');

function taroBuild(env: Record<string, string>) {
  const out = mkdtempSync(join(tmpdir(), 'sidekick-cloud-env-'));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CLOUD_ENV_ID' && k !== 'SIDEKICK_DEMO'));
  const run = spawnSync(join(root, 'node_modules/.bin/taro'), ['build', '--type', 'weapp'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    // A build that got past the check would write here, not over dist/weapp.
    env: { ...base, SIDEKICK_OUT_DIR: out, ...env },
  });
  const built = existsSync(join(out, 'weapp', 'app.js'));
  rmSync(out, { recursive: true, force: true });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}`, built };
}

it('refuses a cloud weapp build without CLOUD_ENV_ID, before building anything', () => {
  const { status, output, built } = taroBuild({});
  expect(status).not.toBe(0);
  expect(output).toContain('CLOUD_ENV_ID is not set');
  expect(output).toContain('SIDEKICK_DEMO=1');
  expect(built).toBe(false);
});

it('refuses an environment id that is not one', () => {
  const { status, output, built } = taroBuild({ CLOUD_ENV_ID: 'https://example.com' });
  expect(status).not.toBe(0);
  expect(output).toContain('is not a CloudBase environment id');
  expect(built).toBe(false);
});

it('asks the demo build and H5 for none, and passes a cloud id through', () => {
  expect(cloudEnvId({ SIDEKICK_DEMO: '1' }, 'weapp')).toBe('');
  expect(cloudEnvId({}, 'h5')).toBe('');
  expect(cloudEnvId({ CLOUD_ENV_ID: ' sidekick-prod-1a2b ' }, 'weapp')).toBe('sidekick-prod-1a2b');
  expect(() => cloudEnvId({ CLOUD_ENV_ID: '' }, 'weapp')).toThrow(/CLOUD_ENV_ID is not set/);
});

it('bakes the environment into both places the built mini-program initialises the cloud', () => {
  const init = /\.init\(\{env:"([A-Za-z0-9][A-Za-z0-9_-]*)",traceUser:!0\}\)/;
  const invite = readFileSync(join(dist, 'invite/pages/activity/index.js'), 'utf8').match(init);
  const main = readFileSync(join(dist, 'common.js'), 'utf8').match(init) ?? readFileSync(join(dist, 'app.js'), 'utf8').match(init);
  expect(invite?.[1]).toBeTruthy();
  expect(main?.[1]).toBe(invite?.[1]);
});

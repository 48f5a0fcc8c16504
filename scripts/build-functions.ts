/**
 * Bundles each cloud function (every folder of cloudfunctions/ with an index.ts, not starting
 * with `_`) into a self-contained deployable folder: index.js (esbuild, wx-server-sdk external),
 * package.json and config.json. CloudBase uploads only a function's own folder, so shared code
 * from _core and _lib is bundled in.
 *
 *   tsx scripts/build-functions.ts [--out dist-functions] [--local] [--cloudbaserc cloudbaserc.json]
 *
 * --local builds for the emulator: the demo sign-in and the stack clock stay in, and config.json
 * is copied whole (the emulator enforces its `timeout`). Without it (the deploy build) both are
 * compiled out, config.json keeps only what WeChat reads from it (permissions, triggers), and the
 * CloudBase CLI's cloudbaserc.json is written beside package.json: runtime, timeout, triggers,
 * installDependency and the names of the environment variables each function reads.
 */
import { build } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { timerTriggersOf, type TimerTrigger } from '../emulator/functions/timers';

const root = resolve(__dirname, '..');
const sourceDir = join(root, 'cloudfunctions');

/** The CloudBase runtime the functions deploy to; the bundles target the same Node version. */
export const RUNTIME = 'Nodejs18.15';
export const ESBUILD_TARGET = `node${RUNTIME.slice('Nodejs'.length)}`;

/**
 * Variables the code reads that are not set on deployed functions: the platform's own, and
 * knobs that exist for the local stack (the WeCom simulator's address).
 */
const NOT_DEPLOYED = [/^(TCB|SCF|WX|TENCENTCLOUD)_/, /^(NODE_ENV|TZ)$/, /^WECOM_API_BASE$/];

/** A function's config.json, as the build and the emulator read it. */
export interface FunctionConfig {
  permissions?: { openapi?: string[] };
  /** Seconds. CloudBase's CLI reads it from cloudbaserc.json; WeChat documents no timeout in config.json. */
  timeout: number;
  triggers?: TimerTrigger[];
}

/** One function in cloudbaserc.json (CloudBase CLI, flattened form). */
export interface CloudbaseFunction {
  name: string;
  handler: 'index.main';
  runtime: string;
  timeout: number;
  installDependency: true;
  /** Names only: each value is `{{env.NAME}}`, filled by the CLI from .env.local at deploy. */
  envVariables: Record<string, string>;
  triggers: TimerTrigger[];
}

export interface Cloudbaserc {
  version: '2.0';
  envId: string;
  functionRoot: string;
  functions: CloudbaseFunction[];
}

export function functionNames(): string[] {
  return readdirSync(sourceDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(sourceDir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

function readConfig(name: string): FunctionConfig {
  const file = join(sourceDir, name, 'config.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { timeout, permissions } = raw;
  // Without one the CLI deploys with its default (5 s) and DevTools with 3 s: too short for the timer jobs.
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 60) {
    throw new Error(`${name}/config.json: "timeout" must be whole seconds from 1 to 60 (CloudBase's range)`);
  }
  const triggers = timerTriggersOf(raw, name);
  // WeChat and the CloudBase CLI take one timer trigger per function.
  if (triggers.length > 1) throw new Error(`${name}/config.json: a function has at most one timer trigger`);
  return { permissions: permissions as FunctionConfig['permissions'], timeout, triggers };
}

/** The environment variables a deploy bundle reads, by name, without the platform's own and local-only knobs. */
export function envNamesOf(bundle: string, name: string): string[] {
  if (/process\.env\[/.test(bundle)) {
    throw new Error(`${name}: reads process.env[...] by a computed name; spell it out so the build can list it in cloudbaserc.json`);
  }
  const names = new Set([...bundle.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
  return [...names].filter((n) => !NOT_DEPLOYED.some((re) => re.test(n))).sort();
}

export async function buildFunctions(opts: { outDir: string; local: boolean; cloudbaserc?: string }): Promise<string[]> {
  const sdkVersion = (JSON.parse(readFileSync(join(root, 'node_modules/wx-server-sdk/package.json'), 'utf8')) as { version: string }).version;
  rmSync(opts.outDir, { recursive: true, force: true });
  const names = functionNames();
  const functions = await Promise.all(
    names.map(async (name): Promise<CloudbaseFunction> => {
      const config = readConfig(name);
      const out = join(opts.outDir, name);
      mkdirSync(out, { recursive: true });
      await build({
        entryPoints: [join(sourceDir, name, 'index.ts')],
        outfile: join(out, 'index.js'),
        bundle: true,
        platform: 'node',
        target: ESBUILD_TARGET,
        format: 'cjs',
        external: ['wx-server-sdk'],
        minifySyntax: true,
        // A map beside the bundle, not inside it: a stack trace reads it only when it is printed,
        // while an inline map tripled what every test stack reads and compiles per function.
        sourcemap: opts.local ? 'linked' : false,
        legalComments: 'none',
        logLevel: 'warning',
        // The deploy build compiles out what exists only on the local cloud: the demo sign-in and the stack clock.
        define: opts.local
          ? {}
          : { 'process.env.SIDEKICK_DEMO_LOGIN': '"off"', 'process.env.SIDEKICK_DEMO_OPENIDS': '""', 'process.env.LOCAL_CLOUD_CLOCK': 'undefined' },
      });
      const deployedConfig = opts.local
        ? readFileSync(join(sourceDir, name, 'config.json'), 'utf8')
        : `${JSON.stringify({ permissions: config.permissions ?? { openapi: [] }, ...(config.triggers?.length ? { triggers: config.triggers } : {}) }, null, 2)}\n`;
      writeFileSync(join(out, 'config.json'), deployedConfig);
      writeFileSync(
        join(out, 'package.json'),
        `${JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', engines: { node: `>=${RUNTIME.slice('Nodejs'.length)}` }, dependencies: { 'wx-server-sdk': sdkVersion } }, null, 2)}\n`,
      );
      const envNames = envNamesOf(readFileSync(join(out, 'index.js'), 'utf8'), name);
      return {
        name,
        handler: 'index.main',
        runtime: RUNTIME,
        timeout: config.timeout,
        installDependency: true,
        envVariables: Object.fromEntries(envNames.map((n) => [n, `{{env.${n}}}`])),
        triggers: config.triggers ?? [],
      };
    }),
  );
  if (opts.cloudbaserc) {
    const rc: Cloudbaserc = {
      version: '2.0',
      envId: '{{env.CLOUD_ENV_ID}}',
      functionRoot: `./${relative(dirname(opts.cloudbaserc), opts.outDir).split('\\').join('/')}`,
      functions,
    };
    writeFileSync(opts.cloudbaserc, `${JSON.stringify(rc, null, 2)}\n`);
  }
  return names;
}

/** Every file a bundle is made of (sources, contracts, this script), sorted. */
function bundleInputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== '__tests__' && d.name !== 'node_modules') walk(path);
      } else if (/\.(ts|json)$/.test(d.name) && !d.name.endsWith('.test.ts')) files.push(path);
    }
  };
  walk(sourceDir);
  walk(join(root, 'types'));
  files.push(__filename, join(root, 'node_modules/esbuild/package.json'));
  return files.sort();
}

/** A hash of everything the bundles depend on: same sources, same bundles. */
export function bundleHash(local: boolean): string {
  const h = createHash('sha256').update(local ? 'local\n' : 'deploy\n');
  for (const f of bundleInputs()) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

/**
 * The local bundles, built once per source state and kept in `.cache/functions/<hash>` (inside
 * the project, so their `require('wx-server-sdk')` resolves from its node_modules). Test stacks,
 * `npm start` and benchmarks share them; concurrent callers race safely (build aside, rename).
 */
export async function cachedLocalFunctions(): Promise<string> {
  // npm test bundles once before jest starts and names the folder: no stack hashes the sources again.
  const given = process.env.SIDEKICK_LOCAL_FUNCTIONS;
  if (given && existsSync(join(given, '.complete'))) return given;
  const cacheDir = join(root, '.cache', 'functions');
  const dir = join(cacheDir, bundleHash(true));
  if (existsSync(join(dir, '.complete'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await buildFunctions({ outDir: tmp, local: true });
  writeFileSync(join(tmp, '.complete'), '');
  try {
    renameSync(tmp, dir);
  } catch (err) {
    // Another process finished the same build first: theirs is identical.
    if (!existsSync(join(dir, '.complete'))) throw err;
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

if (require.main === module && process.argv.includes('--cache')) {
  // npm test: the local bundles of the current sources, built before jest's workers need them.
  cachedLocalFunctions().then(
    (dir) => {
      process.stdout.write(`    functions: local bundles in ${relative(root, dir)}\n`);
      const out = process.argv[process.argv.indexOf('--cache') + 1];
      if (out && !out.startsWith('--')) writeFileSync(out, dir);
    },
    (err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    },
  );
} else if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (flag: string, fallback: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : fallback);
  const outDir = resolve(root, arg('--out', 'dist-functions'));
  const local = args.includes('--local');
  const cloudbaserc = local ? undefined : resolve(root, arg('--cloudbaserc', 'cloudbaserc.json'));
  buildFunctions({ outDir, local, cloudbaserc }).then(
    (names) => {
      process.stdout.write(`built ${names.length} functions (${local ? 'local' : 'deploy'}) into ${outDir}: ${names.join(', ')}\n`);
      if (cloudbaserc) {
        const rc = JSON.parse(readFileSync(cloudbaserc, 'utf8')) as Cloudbaserc;
        const needed = new Set(['CLOUD_ENV_ID', ...rc.functions.flatMap((f) => Object.keys(f.envVariables))]);
        // The CLI fills each {{env.NAME}} from .env/.env.local in the folder it runs in, or the shell, and
        // deploys a missing one as empty, replacing what the console had.
        process.stdout.write(`wrote ${relative(root, cloudbaserc)}; tcb reads these from .env.local or the shell: ${[...needed].join(', ')}\n`);
      }
    },
    (err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

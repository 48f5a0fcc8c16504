/**
 * Bundles each cloud function (every folder of cloudfunctions/ with an index.ts, not starting
 * with `_`) into a self-contained deployable folder: index.js (esbuild, wx-server-sdk external),
 * package.json and config.json. CloudBase uploads only a function's own folder, so shared code
 * from _core and _lib is bundled in.
 *
 *   tsx scripts/build-functions.ts [--out dist-functions] [--local]
 *
 * --local builds for the emulator: the demo sign-in and the stack clock stay in. Without it (the
 * deploy build) both are compiled out.
 */
import { build } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const sourceDir = join(root, 'cloudfunctions');

export function functionNames(): string[] {
  return readdirSync(sourceDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(sourceDir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export async function buildFunctions(opts: { outDir: string; local: boolean }): Promise<string[]> {
  const sdkVersion = (JSON.parse(readFileSync(join(root, 'node_modules/wx-server-sdk/package.json'), 'utf8')) as { version: string }).version;
  rmSync(opts.outDir, { recursive: true, force: true });
  const names = functionNames();
  await Promise.all(
    names.map(async (name) => {
      const out = join(opts.outDir, name);
      mkdirSync(out, { recursive: true });
      await build({
        entryPoints: [join(sourceDir, name, 'index.ts')],
        outfile: join(out, 'index.js'),
        bundle: true,
        platform: 'node',
        target: 'node16',
        format: 'cjs',
        external: ['wx-server-sdk'],
        minifySyntax: true,
        sourcemap: opts.local ? 'inline' : false,
        legalComments: 'none',
        logLevel: 'warning',
        // The deploy build compiles out what exists only on the local cloud: the demo sign-in and the stack clock.
        define: opts.local ? {} : { 'process.env.SIDEKICK_DEMO_LOGIN': '"off"', 'process.env.LOCAL_CLOUD_CLOCK': 'undefined' },
      });
      copyFileSync(join(sourceDir, name, 'config.json'), join(out, 'config.json'));
      writeFileSync(
        join(out, 'package.json'),
        `${JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies: { 'wx-server-sdk': sdkVersion } }, null, 2)}\n`,
      );
    }),
  );
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

if (require.main === module) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const outDir = resolve(root, outIdx >= 0 ? args[outIdx + 1] : 'dist-functions');
  const local = args.includes('--local');
  buildFunctions({ outDir, local }).then(
    (names) => process.stdout.write(`built ${names.length} functions (${local ? 'local' : 'deploy'}) into ${outDir}: ${names.join(', ')}\n`),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

/**
 * Bundles each cloud function (every folder of cloudfunctions/ with an index.ts, not starting
 * with `_`) into a self-contained deployable folder: index.js (esbuild, wx-server-sdk external),
 * package.json and config.json. CloudBase uploads only a function's own folder, so shared code
 * from _core and _lib is bundled in.
 *
 *   tsx scripts/build-functions.ts [--out dist-functions] [--local]
 *
 * --local builds for the emulator: the demo sign-in stays in. Without it (the deploy build)
 * the demo sign-in is compiled out.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
        define: opts.local ? {} : { 'process.env.SIDEKICK_DEMO_LOGIN': '"off"' },
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

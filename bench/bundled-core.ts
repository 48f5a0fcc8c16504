/**
 * The audience core as it ships: bundled by esbuild with the deploy build's options into one
 * module. Under tsx every module is its own CommonJS file and each call between modules reads
 * a getter, which the per-event path (a few hundred nanoseconds) feels; a deployed function
 * has none of that. The benchmark times this copy.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESBUILD_TARGET } from '../scripts/build-functions';

export type AudienceCore = typeof import('../cloudfunctions/_core/audiences');

export function bundledAudienceCore(): AudienceCore {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-audience-core-'));
  const outfile = join(dir, 'audiences.js');
  try {
    buildSync({
      entryPoints: [join(__dirname, '../cloudfunctions/_core/audiences/index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: ESBUILD_TARGET,
      format: 'cjs',
      minifySyntax: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    return require(outfile) as AudienceCore;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

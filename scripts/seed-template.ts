/**
 * A seeded demo database made once per (size, seed, clock, source state) and copied for every
 * stack that asks for the same one: the tests start a dozen stacks of the same dealership, and
 * generating it is most of their start-up. Kept in `.cache/seed/<hash>/` inside the project;
 * concurrent makers race safely (build aside, rename).
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EmbeddedDb } from '../emulator';
import { generate } from '../seed/generate';

export interface TemplateOptions {
  root: string;
  schemaFile: string;
  customers: number;
  seed: number;
  now: number;
}

const STORE_FILE = 'cloud.sqlite';

/** Every file the seeded data depends on: the generator, the domain it scores with, the contracts, the store format. */
function inputs(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== '__tests__' && d.name !== 'node_modules') walk(path);
      } else if (d.name.endsWith('.ts') && !d.name.endsWith('.test.ts')) files.push(path);
    }
  };
  for (const dir of ['seed', 'cloudfunctions/_core', 'types', 'emulator/db']) walk(join(root, dir));
  return files.sort();
}

function templateKey(o: TemplateOptions): string {
  const h = createHash('sha256').update(JSON.stringify({ customers: o.customers, seed: o.seed, now: o.now }));
  h.update(readFileSync(o.schemaFile));
  for (const f of inputs(o.root)) h.update(relative(o.root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

/** Copies the template's store into `dbDir` (made first if missing); `dbDir` must not hold a store yet. */
export async function seedFromTemplate(dbDir: string, o: TemplateOptions): Promise<void> {
  const dir = join(o.root, '.cache', 'seed', templateKey(o));
  if (!existsSync(join(dir, '.complete'))) {
    const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const db = EmbeddedDb.open(tmp, o.schemaFile);
    try {
      await generate({ seed: o.seed, customers: o.customers, now: o.now }, db);
    } finally {
      db.close();
    }
    writeFileSync(join(tmp, '.complete'), '');
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another process finished the same template first: theirs is identical.
      if (!existsSync(join(dir, '.complete'))) throw err;
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  mkdirSync(dbDir, { recursive: true });
  copyFileSync(join(dir, STORE_FILE), join(dbDir, STORE_FILE));
}

export const storeExists = (dbDir: string) => existsSync(join(dbDir, STORE_FILE));

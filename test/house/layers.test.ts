/**
 * The layers, checked on the source rather than kept by habit: each rule names the files it
 * governs and what they may not reach. A new file joins its layer's rule by where it lives.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function files(dir: string, keep: (rel: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== '__tests__' && name !== 'test-setup') walk(path);
      } else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
        const rel = relative(ROOT, path);
        if (keep(rel)) out.push(rel);
      }
    }
  };
  walk(join(ROOT, dir));
  return out;
}

/** Module specifiers a file imports or requires (type-only imports included: they are dependencies too). */
function importsOf(rel: string): string[] {
  const text = readFileSync(join(ROOT, rel), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The repository-relative path an import resolves to (packages as they are). */
function target(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec.startsWith('@/') ? join('src', spec.slice(2)) : spec;
  return relative(ROOT, resolve(ROOT, from, '..', spec));
}

const code = (rel: string) => readFileSync(join(ROOT, rel), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

function violations(scope: string[], bad: (target: string) => boolean): string[] {
  return scope.flatMap((f) => importsOf(f).filter((s) => bad(target(f, s))).map((s) => `${f} imports ${s}`));
}

/** A native weapp page (its folder holds index.wxml) is platform code by nature. */
const nativePage = (rel: string) => {
  try {
    statSync(join(ROOT, rel, '..', 'index.wxml'));
    return true;
  } catch {
    return false;
  }
};

describe('layers', () => {
  it('only src/platform touches Taro, WeChat or WeCom platform APIs', () => {
    const app = files('src', (f) => !f.startsWith('src/platform/') && !nativePage(f));
    expect(violations(app, (t) => t === '@tarojs/taro' || t.startsWith('@wecom/'))).toEqual([]);
    expect(app.filter((f) => /\b(wx|ww)\.[a-zA-Z]+\(/.test(code(f)))).toEqual([]);
  });

  it('only cloudfunctions/_lib imports the cloud SDK', () => {
    const functions = files('cloudfunctions', (f) => !f.startsWith('cloudfunctions/_lib/'));
    expect(violations(functions, (t) => t === 'wx-server-sdk' || t.startsWith('@cloudbase/'))).toEqual([]);
  });

  it('_core is pure: no database, network, files or clock', () => {
    const core = files('cloudfunctions/_core');
    expect(violations(core, (t) => t.startsWith('cloudfunctions/_lib') || t === 'wx-server-sdk' || /^(node:)?(http|https|net|fs|child_process)$/.test(t))).toEqual([]);
    expect(core.filter((f) => /\bDate\.now\(|new Date\(\)|\bfetch\(/.test(code(f)))).toEqual([]);
  });

  it('components import no stores and no services', () => {
    expect(violations(files('src/components'), (t) => t.startsWith('src/stores') || t.startsWith('src/services'))).toEqual([]);
  });

  it('the app flows one way: stores and services never import features, components or pages', () => {
    const lower = [...files('src/stores'), ...files('src/services')];
    expect(violations(lower, (t) => t.startsWith('src/features') || t.startsWith('src/components') || t.startsWith('src/pages'))).toEqual([]);
  });

  it('types/ imports nothing from the code', () => {
    expect(violations(files('types'), (t) => !t.startsWith('types/') && t !== 'zod')).toEqual([]);
  });

  it('functions reach collections only through repositories', () => {
    const fns = files('cloudfunctions', (f) => !f.startsWith('cloudfunctions/_core/') && !f.startsWith('cloudfunctions/_lib/'));
    expect(violations(fns, (t) => t === 'cloudfunctions/_lib/cloud' || t === 'cloudfunctions/_lib/tx')).toEqual([]);
    expect(fns.filter((f) => /\bCollections\./.test(code(f)))).toEqual([]);
    const lib = files('cloudfunctions/_lib', (f) => !f.startsWith('cloudfunctions/_lib/repo/') && f !== 'cloudfunctions/_lib/cloud.ts' && f !== 'cloudfunctions/_lib/tx.ts');
    expect(lib.filter((f) => /\bdb\.collection\(|\.collection\(Collections/.test(code(f)))).toEqual([]);
  });
});

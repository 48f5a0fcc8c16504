/**
 * One Chinese vocabulary (`types/vocabulary.ts`): the app and the functions read the same words,
 * so a consultant never sees 下单 on one screen and 下订 on the next. The test fails when a word
 * is written twice in the vocabulary, when a retired synonym comes back as a label, or when a
 * map of labels for one of the vocabulary's key sets is written anywhere else in the code.
 */
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import * as vocabulary from '../../types/vocabulary';

const ROOT = join(__dirname, '../..');
const HAN = /[\u4e00-\u9fff]/;

/** Words that once named the same thing as a vocabulary word, with the word that replaced them. */
const RETIRED: Readonly<Record<string, string>> = {
  未分级: vocabulary.UNGRADED_LABEL,
  下单: vocabulary.TOUCHPOINT_LABELS.order,
  售后进店: vocabulary.TOUCHPOINT_LABELS.service_visit,
  直播: vocabulary.TOUCHPOINT_LABELS.live_stream,
  内容浏览: vocabulary.TOUCHPOINT_LABELS.content_view,
};

/** The vocabulary's maps (key → word), by export name. */
const MAPS = (Object.entries(vocabulary) as [string, unknown][]).filter(
  (e): e is [string, Record<string, string>] =>
    typeof e[1] === 'object' && e[1] !== null && !Array.isArray(e[1]) && Object.values(e[1]).every((v) => typeof v === 'string'),
);

/** Code that shows words to people: the app, the functions and the demo data (tests excluded). */
function sourceFiles(): string[] {
  return execSync("git ls-files -co --exclude-standard 'src/*.ts' 'src/*.tsx' 'cloudfunctions/*.ts' 'types/*.ts'", { cwd: ROOT })
    .toString()
    .split('\n')
    .filter((f) => f && !/(^|\/)__tests__\/|\.test\.tsx?$|^types\/vocabulary\.ts$/.test(f));
}

describe('the Chinese vocabulary', () => {
  it('gives each thing one word: no two keys of a map share a label', () => {
    const clashes: string[] = [];
    for (const [name, map] of MAPS) {
      const seen = new Map<string, string>();
      for (const [key, word] of Object.entries(map)) {
        if (!word) continue;
        if (seen.has(word)) clashes.push(`${name}: ${seen.get(word)} and ${key} are both “${word}”`);
        seen.set(word, key);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('writes a word once: a thing named in two maps is named by reference, not retyped', () => {
    // FOLLOW_UP_KIND_LABELS takes the touchpoints' words; any other repeat is a second spelling.
    const source = readFileSync(join(ROOT, 'types/vocabulary.ts'), 'utf8');
    const literals = [...source.matchAll(/'([^'\n]*[\u4e00-\u9fff][^'\n]*)'/g)].map((m) => m[1]);
    const repeated = literals.filter((w, i) => literals.indexOf(w) !== i);
    expect(repeated).toEqual([]);
  });

  it('has no retired synonym left as a label anywhere in the code', () => {
    const found: string[] = [];
    for (const file of sourceFiles()) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [old, now] of Object.entries(RETIRED)) {
        if (new RegExp(`['\`>]${old}['\`<]`).test(text)) found.push(`${file}: “${old}” (say “${now}”)`);
      }
    }
    expect(found).toEqual([]);
  });

  it('keeps label maps in the vocabulary: no other file maps two of its keys to Chinese words', () => {
    const found: string[] = [];
    for (const file of sourceFiles()) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [name, map] of MAPS) {
        const keys = Object.keys(map).filter((k) => {
          // `key: '中文'` or `key: { label: '中文'` as an object entry.
          const entry = new RegExp(`(?:^|[\\s{,])${k}:\\s*(?:\\{\\s*label:\\s*)?'([^'\\n]*)'`, 'm').exec(text);
          return entry !== null && HAN.test(entry[1]);
        });
        if (keys.length >= 2) found.push(`${file} spells ${name} again (${keys.join(', ')})`);
      }
    }
    expect(found).toEqual([]);
  });

  it('is what the app and the functions show: the profile grade, the timeline title and the follow-up kind agree', () => {
    // The functions' own words come from the vocabulary (one import path each).
    const { gradeLabel } = require('../../cloudfunctions/_core/lifecycle/grade') as typeof import('../../cloudfunctions/_core/lifecycle/grade');
    const { TOUCHPOINT_LABELS } = require('../../cloudfunctions/_core/catalog/touchpoints') as typeof import('../../cloudfunctions/_core/catalog/touchpoints');
    expect(gradeLabel(undefined)).toBe(vocabulary.UNGRADED_LABEL);
    expect(gradeLabel('H')).toBe(`${vocabulary.GRADE_LABELS.H}（${vocabulary.GRADE_MEANINGS.H}）`);
    expect(TOUCHPOINT_LABELS).toBe(vocabulary.TOUCHPOINT_LABELS);
    expect(vocabulary.FOLLOW_UP_KIND_LABELS.order).toBe(vocabulary.TOUCHPOINT_LABELS.order);
  });
});

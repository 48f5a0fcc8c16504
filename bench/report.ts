/** One benchmark figure per JSON line, and the run appended to BENCHMARKS.md with date and machine. */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  /** Upper bound the figure must stay under, when the issue sets one (a floor with `atLeast`). */
  target?: number;
  /** The target is a floor the figure must reach (a rate), not a ceiling. */
  atLeast?: true;
}

/** Whether a figure misses its target (over a ceiling, under a floor). */
export const missesTarget = (f: Figure) => f.target !== undefined && (f.atLeast ? f.value < f.target : f.value > f.target);

export function figure(name: string, value: number, unit: string, extra: { baseline?: number; target?: number; atLeast?: true } = {}): Figure {
  const f: Figure = { name, value: round(value), unit };
  if (extra.baseline !== undefined) {
    f.baseline = round(extra.baseline);
    f.ratio = extra.baseline === 0 ? 0 : round(value / extra.baseline);
  }
  if (extra.target !== undefined) f.target = extra.target;
  if (extra.atLeast) f.atLeast = true;
  return f;
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000);

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function emit(f: Figure): void {
  process.stdout.write(`${JSON.stringify(f)}\n`);
}

export function appendToBenchmarksMd(root: string, figures: Figure[]): void {
  const file = join(root, 'BENCHMARKS.md');
  if (!existsSync(file)) {
    writeFileSync(
      file,
      '# Benchmarks\n\n`npm run bench` appends one section per run. `ratio` = value / baseline, where the baseline is measured in the same run. `target` is the bound the issue sets.\n',
    );
  }
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${f.value} | ${f.unit} | ${f.baseline ?? ''} | ${f.ratio ?? ''} | ${f.target ?? ''} | ${f.target === undefined ? '' : !missesTarget(f) ? 'ok' : f.atLeast ? 'UNDER' : 'OVER'} |`,
  );
  appendFileSync(
    file,
    [
      '',
      `## ${new Date().toISOString()} on ${machine()}`,
      '',
      '| figure | value | unit | baseline | ratio | target | |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

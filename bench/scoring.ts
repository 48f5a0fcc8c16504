/**
 * Scoring figures. `scoring.incremental_per_event_ms`: one event through `ingestEvent` on a
 * demo customer whose stored state already holds the rest of their history. The baseline
 * derives the same fields without a per-customer state: replay the whole history
 * (`rebuildState`, the new event included) and refresh the customer from it
 * (`refreshCustomer`: score via `scoreOf`, grade, rule tags, rank key). Both in process, so
 * neither pays for reading anything. `scoring.full_rescore_100k_s`: the timer job's
 * `rescoreAll` over 100k synthetic states, wall clock, and its CPU time.
 */
import { describeEvent } from '../cloudfunctions/_core/catalog/touchpoints';
import { ingestEvent, refreshCustomer } from '../cloudfunctions/_core/scoring/ingest';
import { DEFAULT_MODEL } from '../cloudfunctions/_core/scoring/model';
import { rescoreAll, scoreOf } from '../cloudfunctions/_core/scoring/score';
import { applyEvent, rebuildState } from '../cloudfunctions/_core/scoring/state';
import { syntheticPopulation } from '../cloudfunctions/_core/scoring/synthetic';
import { figure, type Figure } from './report';
import { seedSample } from './seed-sample';
import { msSince, p50 } from './stats';

export interface ScoringOptions {
  /** Demo customers whose last event is measured. */
  customers: number;
  /** Passes over those customers (after one warm-up pass). */
  passes: number;
  rescoreCustomers: number;
  rescoreRuns: number;
}

export const SCORING_DEFAULTS: ScoringOptions = { customers: 2000, passes: 3, rescoreCustomers: 100_000, rescoreRuns: 3 };

/** Histories this long are reported apart: where replaying starts to cost. */
const LONG_HISTORY = 50;

const info = (line: string) => process.stderr.write(`  scoring: ${line}\n`);

async function incremental(o: ScoringOptions, record: (f: Figure) => void): Promise<void> {
  const sample = await seedSample(o.customers);
  const model = DEFAULT_MODEL;
  const now = sample.now;
  const cases = sample.customers.flatMap((customer) => {
    const history = sample.eventsOf.get(customer._id) ?? [];
    if (!history.length) return [];
    const event = history[history.length - 1];
    return [{ customer, history, event, before: rebuildState(history.slice(0, -1), model) }];
  });
  const inc: number[] = [];
  const replay: number[] = [];
  // Scoring alone, both ways: one event into the state, or the whole history replayed.
  const scoreInc: number[] = [];
  const scoreReplay: number[] = [];
  const longInc: number[] = [];
  const longReplay: number[] = [];
  for (let pass = 0; pass <= o.passes; pass++) {
    for (const c of cases) {
      let t = process.hrtime.bigint();
      const r = ingestEvent(c.customer, c.before, c.event, model, describeEvent(c.event), now);
      const incMs = msSince(t);
      if (r.duplicate) throw new Error(`scoring bench: event ${c.event._id} counted as a repeat`);
      t = process.hrtime.bigint();
      refreshCustomer(c.customer, rebuildState(c.history, model), model, now);
      const replayMs = msSince(t);
      t = process.hrtime.bigint();
      scoreOf(applyEvent(c.before, c.event, model), c.customer, model, now);
      const scoreIncMs = msSince(t);
      t = process.hrtime.bigint();
      scoreOf(rebuildState(c.history, model), c.customer, model, now);
      const scoreReplayMs = msSince(t);
      // Pass 0 warms the JIT and the compiled-model cache.
      if (pass === 0) continue;
      inc.push(incMs);
      replay.push(replayMs);
      scoreInc.push(scoreIncMs);
      scoreReplay.push(scoreReplayMs);
      if (c.history.length >= LONG_HISTORY) {
        longInc.push(incMs);
        longReplay.push(replayMs);
      }
    }
  }
  const lengths = cases.map((c) => c.history.length).sort((a, b) => a - b);
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  info(`${cases.length} demo customers x ${o.passes} passes; history p50 ${p50(lengths)} events, p90 ${lengths[Math.floor(lengths.length * 0.9)]}, max ${lengths[lengths.length - 1]}`);
  info(`score only: applyEvent+scoreOf p50 ${ms(p50(scoreInc))} vs rebuildState+scoreOf p50 ${ms(p50(scoreReplay))}`);
  if (longInc.length) info(`histories >= ${LONG_HISTORY} events (${longInc.length / o.passes} customers): ingestEvent p50 ${ms(p50(longInc))} vs replay+refresh p50 ${ms(p50(longReplay))}`);
  record(figure('scoring.incremental_per_event_ms', p50(inc), 'ms', { baseline: p50(replay) }));
}

function fullRescore(o: ScoringOptions, record: (f: Figure) => void): void {
  const now = Date.parse('2026-11-23T10:00:00+08:00');
  let t = process.hrtime.bigint();
  // Every state distinct (replayed from its own synthetic events), as in a real population.
  const { states, subjects } = syntheticPopulation(o.rescoreCustomers, now);
  info(`${o.rescoreCustomers} synthetic states built in ${(msSince(t) / 1000).toFixed(1)} s`);
  rescoreAll(states.slice(0, 2_000), subjects.slice(0, 2_000), DEFAULT_MODEL, now);
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < o.rescoreRuns; i++) {
    t = process.hrtime.bigint();
    const c = process.cpuUsage();
    const scores = rescoreAll(states, subjects, DEFAULT_MODEL, now);
    runs.push(msSince(t) / 1000);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1e6);
    if (scores.length !== states.length) throw new Error('scoring bench: rescoreAll returned too few scores');
  }
  const seconds = p50(runs);
  const f = figure('scoring.full_rescore_100k_s', seconds, 's', { target: 1 });
  info(`rescoreAll x ${o.rescoreRuns}: wall ${runs.map((r) => r.toFixed(3)).join(', ')} s, CPU ${cpu.map((r) => r.toFixed(3)).join(', ')} s; target <= 1 s ${seconds <= 1 ? 'met' : 'NOT met'}`);
  record(f);
  // The wall clock includes time other jobs on the shared cores took; CPU time is the job's own.
  record(figure('scoring.full_rescore_100k_cpu_s', p50(cpu), 's', { target: 1 }));
}

export async function scoringBench(record: (f: Figure) => void, o: ScoringOptions = SCORING_DEFAULTS): Promise<void> {
  await incremental(o, record);
  fullRescore(o, record);
}

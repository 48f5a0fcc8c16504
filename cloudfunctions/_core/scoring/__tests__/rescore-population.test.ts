import { DEFAULT_MODEL } from '../model';
import { rescoreAll } from '../score';
import { syntheticPopulation } from '../synthetic';
import { NOW } from './helpers';

// How fast it rescores 100k customers: `scoring.full_rescore_100k_s` in `npm run bench`.
describe('rescoreAll over a synthetic store', () => {
  it('scores every customer within range, with at most three reasons, and spreads them over the grades', () => {
    const { states, subjects } = syntheticPopulation(20_000, NOW, { distinctStates: 4_000 });
    const scores = rescoreAll(states, subjects, DEFAULT_MODEL, NOW);
    expect(scores).toHaveLength(20_000);
    expect(scores.every((s) => s.reasons.length <= 3 && s.total >= 0 && s.total <= 100)).toBe(true);
    expect(new Set(scores.map((s) => s.suggestedGrade)).size).toBeGreaterThanOrEqual(3);
  });
});

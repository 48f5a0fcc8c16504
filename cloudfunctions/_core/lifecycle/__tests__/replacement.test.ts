import { tagById } from '../../catalog/tags';
import { ownerTenureTag, REPLACEMENT_PHASES, replacementPhase, vehicleAgeTag } from '../replacement';

const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const YEAR = 365.2425 * 86_400_000;
const car = (years: number, modelId = 'tuyao') => ({ modelId, vinTail: String(years), purchasedAt: NOW - years * YEAR });

describe('replacement period', () => {
  it.each([
    [0.5, 'early', '非换购期'],
    [2.99, 'early', '非换购期'],
    [3, 'watch', '换购观察期'],
    [4.5, 'watch', '换购观察期'],
    [5, 'peak', '换购高峰期'],
    [7.9, 'peak', '换购高峰期'],
    [8, 'overdue', '超期未换'],
    [12, 'overdue', '超期未换'],
  ])('a %s-year-old car is %s (%s)', (years, phase, label) => {
    expect(replacementPhase([car(years)], NOW)).toMatchObject({ phase, label });
  });

  it('looks at the oldest car the owner has', () => {
    expect(replacementPhase([car(1, 'yunyi'), car(6, 'ruichi')], NOW)).toMatchObject({ phase: 'peak', vehicle: { modelId: 'ruichi' } });
  });

  it('has nothing to say without a car', () => {
    expect(replacementPhase([], NOW)).toBeUndefined();
    expect(vehicleAgeTag([], NOW)).toBeUndefined();
  });

  it('names tags that exist in the taxonomy', () => {
    for (const p of REPLACEMENT_PHASES) expect(tagById(p.tagId)?.level).toBe(3);
    for (const y of [0.2, 2, 4, 6, 9]) {
      expect(tagById(vehicleAgeTag([car(y)], NOW)!)?.level).toBe(3);
      expect(tagById(ownerTenureTag([car(y)], NOW)!)?.level).toBe(3);
    }
    expect(vehicleAgeTag([car(4)], NOW)).toBe('vehicle_status-age-y3_5');
    expect(ownerTenureTag([car(0.5)], NOW)).toBe('lifecycle-owner_phase-new');
  });
});

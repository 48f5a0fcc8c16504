/**
 * The (fictional) brand the demo dealership sells, and its model lines. The models themselves
 * are reference data the contract's taxonomy is built from, so they live in `types/car-models.ts`.
 */
import { MODELS, type CarModel } from '../../../types/car-models';

export { MODELS } from '../../../types/car-models';
export type { BodyType, CarModel, EnergyType, Trim } from '../../../types/car-models';

export const BRAND = { id: 'lanshan', name: '澜山汽车', shortName: '澜山' } as const;

const byId = new Map(MODELS.map((m) => [m.id, m]));

export function modelById(id: string): CarModel | undefined {
  return byId.get(id);
}

export { ENERGY_LABELS as ENERGY_NAMES } from '../../../types/vocabulary';
export { MODEL_LINE_LABELS as MODEL_LINE_NAMES } from '../../../types/vocabulary';

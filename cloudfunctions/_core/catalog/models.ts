/**
 * The (fictional) brand the demo dealership sells, and its model lines. The models themselves
 * are reference data the contract's taxonomy is built from, so they live in `types/car-models.ts`.
 */
import { MODELS, type CarModel, type EnergyType } from '../../../types/car-models';
import type { ModelLine } from '../../../types/model';

export { MODELS } from '../../../types/car-models';
export type { BodyType, CarModel, EnergyType, Trim } from '../../../types/car-models';

export const BRAND = { id: 'lanshan', name: '澜山汽车', shortName: '澜山' } as const;

const byId = new Map(MODELS.map((m) => [m.id, m]));

export function modelById(id: string): CarModel | undefined {
  return byId.get(id);
}

export const ENERGY_NAMES: Record<EnergyType, string> = { ice: '燃油', bev: '纯电', erev: '增程' };
export const MODEL_LINE_NAMES: Record<ModelLine, string> = { SUV: 'SUV', sedan: '轿车', MPV: 'MPV', NEV: '新能源' };

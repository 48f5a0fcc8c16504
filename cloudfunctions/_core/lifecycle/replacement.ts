/**
 * Replacement period (换购期) of an owner, by the age of the oldest car they own (the one most
 * likely to be replaced): under 3 years 非换购期, 3-5 years 换购观察期, 5-8 years 换购高峰期,
 * 8 years and more 超期未换. Also the vehicle-age and owner-tenure bands the tags use.
 * Ages are in years of 365.2425 days; a band includes its lower bound.
 */
import type { OwnedVehicle } from '../../../types/model';
import { DAY } from '../events/day-buckets';

const YEAR = 365.2425 * DAY;

export type ReplacementPhase = 'early' | 'watch' | 'peak' | 'overdue';

export interface PhaseDef {
  phase: ReplacementPhase;
  fromYears: number;
  /** The tag that states the phase. */
  tagId: string;
  label: string;
}

export const REPLACEMENT_PHASES: readonly PhaseDef[] = [
  { phase: 'early', fromYears: 0, tagId: 'replace-window-early', label: '非换购期' },
  { phase: 'watch', fromYears: 3, tagId: 'replace-window-watch', label: '换购观察期' },
  { phase: 'peak', fromYears: 5, tagId: 'replace-window-peak', label: '换购高峰期' },
  { phase: 'overdue', fromYears: 8, tagId: 'replace-window-overdue', label: '超期未换' },
];

export function vehicleAgeYears(purchasedAt: number, now: number): number {
  return Math.max(0, (now - purchasedAt) / YEAR);
}

function band<T extends { fromYears: number }>(bands: readonly T[], years: number): T {
  let out = bands[0];
  for (const b of bands) if (years >= b.fromYears) out = b;
  return out;
}

export interface ReplacementInfo {
  phase: ReplacementPhase;
  label: string;
  tagId: string;
  /** The car the phase is about (the oldest owned). */
  vehicle: OwnedVehicle;
  ageYears: number;
}

/** The replacement phase of an owner; undefined without an owned car. */
export function replacementPhase(vehiclesOwned: readonly OwnedVehicle[], now: number): ReplacementInfo | undefined {
  if (!vehiclesOwned.length) return undefined;
  const oldest = vehiclesOwned.reduce((a, b) => (b.purchasedAt < a.purchasedAt ? b : a));
  const ageYears = vehicleAgeYears(oldest.purchasedAt, now);
  const def = band(REPLACEMENT_PHASES, ageYears);
  return { phase: def.phase, label: def.label, tagId: def.tagId, vehicle: oldest, ageYears };
}

const VEHICLE_AGE_BANDS = [
  { fromYears: 0, tagId: 'vehicle_status-age-y1' },
  { fromYears: 1, tagId: 'vehicle_status-age-y1_3' },
  { fromYears: 3, tagId: 'vehicle_status-age-y3_5' },
  { fromYears: 5, tagId: 'vehicle_status-age-y5_8' },
  { fromYears: 8, tagId: 'vehicle_status-age-y8_plus' },
] as const;

/** 车龄 tag of the oldest owned car. */
export function vehicleAgeTag(vehiclesOwned: readonly OwnedVehicle[], now: number): string | undefined {
  const info = replacementPhase(vehiclesOwned, now);
  return info ? band(VEHICLE_AGE_BANDS, info.ageYears).tagId : undefined;
}

const OWNER_TENURE_BANDS = [
  { fromYears: 0, tagId: 'lifecycle-owner_phase-new' },
  { fromYears: 1, tagId: 'lifecycle-owner_phase-steady' },
  { fromYears: 3, tagId: 'lifecycle-owner_phase-veteran' },
] as const;

/** 车主阶段 tag: how long since the customer first became an owner (their first car). */
export function ownerTenureTag(vehiclesOwned: readonly OwnedVehicle[], now: number): string | undefined {
  const info = replacementPhase(vehiclesOwned, now);
  return info ? band(OWNER_TENURE_BANDS, info.ageYears).tagId : undefined;
}

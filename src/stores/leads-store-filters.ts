import type { GradeFilter, LifecycleStage } from '@/contract';

export type { GradeFilter } from '@/contract';

/** What the consultant narrowed a leads list to; empty means everything. */
export interface LeadFilters {
  grades: GradeFilter[];
  stages: LifecycleStage[];
  tagId?: string;
  modelId?: string;
  channel?: string;
  /** Name (any part) or the last 4 digits of the phone, as typed. */
  q: string;
}

export const noFilters = (): LeadFilters => ({ grades: [], stages: [], q: '' });

/** The filters as leads.list / leads.pool parameters: only what is set. */
export function filterParams(f: LeadFilters) {
  const q = f.q.trim().slice(0, 20);
  return {
    ...(f.grades.length ? { grades: f.grades } : {}),
    ...(f.stages.length ? { stages: f.stages } : {}),
    ...(f.tagId ? { tagId: f.tagId } : {}),
    ...(f.modelId ? { modelId: f.modelId } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(q ? { q } : {}),
  };
}

export const isFiltered = (f: LeadFilters): boolean => Object.keys(filterParams(f)).length > 0;

/** How many of the sheet's filters (stage, tag, model, channel) are set, for the 筛选 button. */
export const sheetFilterCount = (f: LeadFilters): number =>
  (f.stages.length ? 1 : 0) + (f.tagId ? 1 : 0) + (f.modelId ? 1 : 0) + (f.channel ? 1 : 0);

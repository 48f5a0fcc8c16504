/**
 * materials: the library (素材库) and scripts (话术). Staff of a store see the brand's materials
 * and their store's own; a manager creates, edits and archives the store's own (the brand's are
 * read-only to stores). Another store's material reads like one that does not exist.
 */
import type { MaterialView } from '../../types/api';
import type { ActivityDoc, MaterialDoc } from '../../types/model';
import { action, defineFunction } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { loadLookups } from '../_lib/lookups';
import { activityRepo } from '../_lib/repo/activities';
import { materialRepo } from '../_lib/repo/materials';
import type { Lookups } from '../_core/views';

const noSuchMaterial = () => new ApiError('NOT_FOUND', 'materialId: no such material', [{ field: 'materialId', message: 'no such material' }]);
const noSuchActivity = () => new ApiError('NOT_FOUND', 'activityId: no such activity', [{ field: 'activityId', message: 'no such activity' }]);

export function toMaterialView(m: MaterialDoc, lookups: Pick<Lookups, 'model'>, activities: ReadonlyMap<string, ActivityDoc>): MaterialView {
  const a = m.activityId ? activities.get(m.activityId) : undefined;
  const model = m.modelId ? lookups.model(m.modelId) : undefined;
  return {
    id: m._id,
    kind: m.kind,
    title: m.title,
    summary: m.summary,
    ...(m.body ? { body: m.body } : {}),
    category: m.category,
    ...(model ? { modelName: model.name } : {}),
    ...(m.coverUrl ? { coverUrl: m.coverUrl } : {}),
    ...(a
      ? { activity: { id: a._id, title: a.title, startAt: a.startAt, endAt: a.endAt, address: a.address, capacity: a.capacity, registered: a.registered ?? 0, perks: a.perks, ...(a.modelLine ? { modelLine: a.modelLine } : {}) } }
      : {}),
    storeOwned: m.storeId !== undefined,
    archived: m.archived === true,
    updatedAt: m.updatedAt ?? m.createdAt,
  };
}

async function activitiesOf(list: readonly MaterialDoc[]): Promise<Map<string, ActivityDoc>> {
  const ids = [...new Set(list.flatMap((m) => (m.activityId ? [m.activityId] : [])))];
  const found = await Promise.all(ids.map((id) => activityRepo.get(id)));
  return new Map(found.flatMap((a) => (a ? [[a._id, a] as const] : [])));
}

/** One of the store's own materials, for its manager to change. */
async function ownMaterial(storeId: string, id: string): Promise<MaterialDoc> {
  const m = await materialRepo.get(id);
  if (!m || m.storeId !== storeId) throw noSuchMaterial();
  return m;
}

export const main = defineFunction('materials', {
  list: action(['consultant', 'manager'], async ({ kind, archived }, { caller, now }) => {
    // Consultants pick from what is live; managers may look at what they archived.
    const withArchived = archived === true && caller.role === 'manager';
    const [all, lookups] = await Promise.all([materialRepo.ofStore(caller.storeId, withArchived), loadLookups(now)]);
    const list = all
      .filter((m) => (kind ? m.kind === kind : true) && (archived === true ? m.archived === true : true))
      .sort((a, b) => (b.updatedAt ?? b.createdAt) - (a.updatedAt ?? a.createdAt) || (a._id < b._id ? -1 : 1));
    const activities = await activitiesOf(list);
    // An invitation whose event is over, or of another store, is not offered.
    const usable = list.filter((m) => !m.activityId || ((a) => a && a.storeId === caller.storeId && a.endAt > now)(activities.get(m.activityId)));
    return usable.map((m) => toMaterialView(m, lookups, activities));
  }),

  save: action(['manager'], async (p, { caller, now }) => {
    const existing = await materialRepo.get(p.materialId);
    if (existing && existing.storeId !== caller.storeId) throw noSuchMaterial();
    let activity: ActivityDoc | undefined;
    if (p.activityId) {
      activity = await activityRepo.get(p.activityId);
      if (!activity || activity.storeId !== caller.storeId) throw noSuchActivity();
    }
    const m: MaterialDoc = {
      _id: p.materialId,
      title: p.title,
      kind: p.kind,
      ...(p.modelId ? { modelId: p.modelId } : {}),
      category: p.category,
      summary: p.summary,
      ...(p.body ? { body: p.body } : {}),
      ...(p.coverUrl ? { coverUrl: p.coverUrl } : {}),
      ...(p.activityId ? { activityId: p.activityId } : {}),
      storeId: caller.storeId,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      updatedBy: caller.staffId,
      ...(existing?.archived ? { archived: true } : {}),
    };
    await materialRepo.put(m);
    return toMaterialView(m, await loadLookups(now), new Map(activity ? [[activity._id, activity]] : []));
  }),

  archive: action(['manager'], async ({ materialId, archived }, { caller, now }) => {
    const m = await ownMaterial(caller.storeId, materialId);
    const next: MaterialDoc = { ...m, updatedAt: now, updatedBy: caller.staffId };
    if (archived) next.archived = true;
    else delete next.archived;
    await materialRepo.put(next);
    return toMaterialView(next, await loadLookups(now), await activitiesOf([next]));
  }),
});

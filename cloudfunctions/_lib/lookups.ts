/**
 * Reference data for the views: the catalog (models, channels, tags) is compiled in; stores,
 * staff names and material titles come from the database and are kept for a minute per warm
 * function instance, since they change rarely and every list would otherwise re-read them.
 */
import { Collections, type MaterialDoc, type StaffDoc, type StoreDoc } from '../../types/model';
import { channelName, describeEvent, modelById, tagById } from '../_core/catalog';
import type { Lookups } from '../_core/views';
import { allOf } from './cloud';

const TTL_MS = 60_000;

interface Reference {
  stores: Map<string, StoreDoc>;
  staff: Map<string, StaffDoc>;
  materials: Map<string, string>;
  loadedAt: number;
}

let cache: Reference | undefined;


async function reference(now: number): Promise<Reference> {
  if (cache && now - cache.loadedAt < TTL_MS) return cache;
  const [stores, staff, materials] = await Promise.all([
    allOf<StoreDoc>(Collections.stores, {}, ['name']),
    allOf<StaffDoc>(Collections.staff, {}, ['name', 'storeId']),
    allOf<MaterialDoc>(Collections.materials, {}, ['title']),
  ]);
  cache = {
    stores: new Map(stores.map((s) => [s._id, s])),
    staff: new Map(staff.map((s) => [s._id, s])),
    materials: new Map(materials.map((m) => [m._id, m.title])),
    loadedAt: now,
  };
  return cache;
}

/** Staff id -> their store, from the same per-instance reference cache. */
export async function staffStoreOf(now: number): Promise<(staffId: string) => string | undefined> {
  const ref = await reference(now);
  return (id) => ref.staff.get(id)?.storeId;
}

export async function loadLookups(now: number): Promise<Lookups> {
  const ref = await reference(now);
  const storeName = (id: string) => ref.stores.get(id)?.name ?? '其他门店';
  return {
    model: (id) => {
      const m = modelById(id);
      return m ? { name: m.name, line: m.line } : undefined;
    },
    channelName,
    tag: (id) => {
      const t = tagById(id);
      return t ? { name: t.name, subject: t.subject } : undefined;
    },
    storeName,
    staffName: (id) => ref.staff.get(id)?.name,
    describeEvent: (e) => describeEvent(e, { materialTitle: (id) => ref.materials.get(id), storeName }),
  };
}

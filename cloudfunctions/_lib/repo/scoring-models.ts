/**
 * Each store's scoring model (`scoringModels`, `_id` = store id); a store without one uses
 * DEFAULT_MODEL. Models are cached per warm instance by store and version, so the compiled
 * matchers (cached per model object) survive from one event to the next.
 */
import { Collections } from '../../../types/model';
import { DEFAULT_MODEL, type ScoringModel } from '../../_core/scoring/model';
import { db, firstRow } from '../cloud';
import { inTransaction, txGet } from '../tx';

export interface ScoringModelDoc {
  _id: string;
  model: ScoringModel;
  updatedAt: number;
  updatedBy: string;
}

const models = () => db.collection(Collections.scoringModels);
const byStore = new Map<string, ScoringModel>();

/** The same object for the same stored version, so `compileModel`'s cache hits. */
function interned(storeId: string, model: ScoringModel): ScoringModel {
  const known = byStore.get(storeId);
  if (known && known.version === model.version) return known;
  byStore.set(storeId, model);
  return model;
}

export const scoringModelRepo = {
  async forStore(storeId: string): Promise<{ model: ScoringModel; isDefault: boolean }> {
    const { model, isDefault } = await scoringModelRepo.saved(storeId);
    return { model, isDefault };
  },

  /** The store's model with when it was saved (undefined for the default model). */
  async saved(storeId: string): Promise<{ model: ScoringModel; isDefault: boolean; savedAt?: number }> {
    const doc = await firstRow<ScoringModelDoc>(models().where({ _id: storeId }));
    return doc ? { model: interned(storeId, doc.model), isDefault: false, savedAt: doc.updatedAt } : { model: DEFAULT_MODEL, isDefault: true };
  },

  /**
   * Saves `model` if the stored version is still `expectedVersion` (optimistic lock);
   * false when someone saved in between.
   */
  async save(storeId: string, model: ScoringModel, expectedVersion: number, by: string, now: number): Promise<boolean> {
    const result = await inTransaction(async (t) => {
      const current = await txGet<ScoringModelDoc>(t, Collections.scoringModels, storeId);
      const version = current?.model.version ?? DEFAULT_MODEL.version;
      if (version !== expectedVersion) return false;
      await t.collection(Collections.scoringModels).doc(storeId).set({ data: { model, updatedAt: now, updatedBy: by } });
      return true;
    }, 5);
    if (result) interned(storeId, model);
    return result;
  },
};

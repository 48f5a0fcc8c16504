/**
 * The material library (`materials`): the brand's (no `storeId`, every store sees them) and
 * each store's own. Small: read whole, per store.
 */
import { Collections, type MaterialDoc } from '../../../types/model';
import { allOf, byIds, db, _ } from '../cloud';

export const materialRepo = {
  get: async (id: string): Promise<MaterialDoc | undefined> => (await byIds<MaterialDoc>(Collections.materials, [id]))[0],

  /** What the store's people see: the brand's and the store's own, archived ones left out unless asked for. */
  ofStore(storeId: string, withArchived = false): Promise<MaterialDoc[]> {
    const scope = _.or([{ storeId }, { storeId: _.exists(false) }]);
    return allOf<MaterialDoc>(Collections.materials, withArchived ? scope : _.and([scope, { archived: _.neq(true) }]));
  },

  /** Writes the whole material under its id (created or edited by its store's manager). */
  async put(m: MaterialDoc): Promise<void> {
    const { _id, ...rest } = m;
    await db.collection(Collections.materials).doc(_id).set({ data: rest });
  },
};

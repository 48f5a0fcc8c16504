import { Collections, type WecomTokenDoc } from '../../../types/model';
import { db, firstRow } from '../cloud';

const tokens = () => db.collection(Collections.wecomTokens);

export const wecomTokenRepo = {
  get: (id: WecomTokenDoc['_id']) => firstRow<WecomTokenDoc>(tokens().where({ _id: id })),
  async put(doc: WecomTokenDoc): Promise<void> {
    const { _id, ...rest } = doc;
    await tokens().doc(_id).set({ data: rest });
  },
  async drop(id: WecomTokenDoc['_id']): Promise<void> {
    await tokens().where({ _id: id }).remove();
  },
};

/** Sends (`sends`, `_id` = the tracked link's send id): written by `_lib/sends.ts` in the send's transaction. */
import { Collections, type SendDoc } from '../../../types/model';
import { byIds, db, _, rows } from '../cloud';

const sends = () => db.collection(Collections.sends);

export const sendRepo = {
  getMany: (ids: readonly string[]) => byIds<SendDoc>(Collections.sends, ids),
  /** Attributes a send made without naming its task (a one-tap send in the chat) to the strategy task it completed. */
  async attribute(id: string, taskId: string, strategyId: string): Promise<void> {
    await sends().where({ _id: id, taskId: _.exists(false) }).update({ data: { taskId, strategyId } });
  },
  /** The WeCom mass-send task that carries the send. */
  async setWecomMsgId(id: string, msgId: string): Promise<void> {
    await sends().doc(id).update({ data: { wecomMsgId: msgId } });
  },
  /** The customer's sends, newest first (few per customer; sorted here). */
  async ofCustomer(customerId: string): Promise<SendDoc[]> {
    const list = await rows<SendDoc>(sends().where({ customerId }).limit(100));
    return list.sort((a, b) => b.at - a.at || (a._id < b._id ? 1 : -1));
  },
};

/**
 * One send to one customer: the consent and frequency-cap check, the send document and the
 * customer's marketing touch in one transaction on the customer, so two consultants or
 * strategies sending at once cannot pass the cap (one of them retries and sees the other's
 * touch). The send id comes from the client: a retry finds its send and writes nothing.
 * Then the tasks the send answers complete (`_lib/tasks.ts`), and refused sends say why on
 * their task.
 */
import { Collections, DEFAULT_FREQUENCY_CAP, TRACKED_LINK, type CustomerDoc, type FrequencyCap, type MaterialDoc, type SendChannel, type SendDoc, type TaskDoc } from '../../types/model';
import { decideSend, isMarketing, type SendRefusal } from '../_core/sends/cap';
import { signLink } from '../_core/links';
import { ApiError } from './errors';
import { linkSecret } from './config';
import { noSuchCustomer } from './scope';
import { noteStrategySend } from './strategies';
import { completeOnArrivals, type MarkedCustomer } from './tasks';
import { sendRepo } from './repo/sends';
import { taskRepo } from './repo/tasks';
import { storeRepo } from './repo/staff';
import { inTransaction, txGet, txPut, txUpdate } from './tx';

export interface SendRequest {
  sendId: string;
  /** The live customer (scope checked by the caller). */
  customerId: string;
  storeId: string;
  consultantId: string;
  material: MaterialDoc;
  channel: SendChannel;
  /** The task this send is for (checked by the caller to be the consultant's, for this customer). */
  task?: Pick<TaskDoc, '_id' | 'strategyId'>;
  /** WeCom's share sheet names the customer by their WeCom contact: refused (`no_wecom`) without one. */
  needsWecomContact?: boolean;
}

export type SendOutcome =
  | { sent: true; send: SendDoc; repeated: boolean; customer: CustomerDoc }
  | { sent: false; code: SendRefusal | 'no_wecom'; reason: string; customer: CustomerDoc };

export const NO_WECOM = '客户未添加企业微信，无法发送';

/** The store's cap (read once per call). */
export async function capOf(storeId: string): Promise<FrequencyCap> {
  return (await storeRepo.get(storeId))?.frequencyCap ?? DEFAULT_FREQUENCY_CAP;
}

type Stored = CustomerDoc & MarkedCustomer & { mergedInto?: string };

/**
 * Records the send if consent and the cap allow. The transaction's read of the customer is the
 * scope check too (the consultant's live customer of the store): callers need not read it first.
 */
export async function recordSend(req: SendRequest, cap: FrequencyCap, now: number): Promise<SendOutcome> {
  const strategyId = req.task?.strategyId;
  const marketing = isMarketing(req.material.kind, req.channel, !!strategyId);
  const outcome = await inTransaction(async (t): Promise<SendOutcome> => {
    const [existing, c] = await Promise.all([txGet<SendDoc>(t, Collections.sends, req.sendId), txGet<Stored>(t, Collections.customers, req.customerId)]);
    // Still the consultant's live customer of this store when the transaction reads it.
    if (!c || c.mergedInto || c.storeId !== req.storeId || c.ownerId !== req.consultantId) throw noSuchCustomer();
    if (existing) {
      if (existing.customerId !== req.customerId || existing.consultantId !== req.consultantId || existing.materialId !== req.material._id) {
        throw new ApiError('CONFLICT', `sendId: ${req.sendId} was used for another send`);
      }
      return { sent: true, send: existing, repeated: true, customer: c };
    }
    if (req.needsWecomContact && !c.identities.externalUserId) return { sent: false, code: 'no_wecom', reason: NO_WECOM, customer: c };
    const decision = decideSend({ consent: c.consent, touches: c.marketingTouches, marketing, cap, now });
    if (!decision.ok) return { sent: false, code: decision.code, reason: decision.reason, customer: c };
    const send: SendDoc = {
      _id: req.sendId,
      storeId: req.storeId,
      customerId: req.customerId,
      consultantId: req.consultantId,
      materialId: req.material._id,
      ...(req.material.activityId ? { activityId: req.material.activityId } : {}),
      ...(req.task ? { taskId: req.task._id } : {}),
      ...(strategyId ? { strategyId } : {}),
      channel: req.channel,
      marketing: decision.marketing,
      at: now,
    };
    const writes = [txPut(t, Collections.sends, send)];
    // The touch list only changes for a marketing send (a reply leaves it, and the customer, alone).
    if (decision.marketing) writes.push(txUpdate(t, Collections.customers, req.customerId, { marketingTouches: decision.touchesAfter }));
    await Promise.all(writes);
    return { sent: true, send, repeated: false, customer: c };
  }, 20);

  if (outcome.sent && !outcome.repeated) {
    const done = await completeOnArrivals(outcome.customer, [{ trigger: 'send', materialId: req.material._id, sendId: req.sendId, at: now, ...(req.task ? { taskId: req.task._id } : {}) }], now, req.task ? req.consultantId : 'system');
    let send = outcome.send;
    // A one-tap send in the chat names no task; the strategy task of this material it completed is what it was for.
    const answered = !send.strategyId ? done.map(strategyOfTaskId).find((x) => x !== undefined) : undefined;
    if (answered) {
      await sendRepo.attribute(send._id, answered.taskId, answered.strategyId);
      send = { ...send, taskId: answered.taskId, strategyId: answered.strategyId };
    }
    if (send.strategyId) {
      // The strategy's round starts; a failure here leaves its reactions to the next event or the timer.
      await noteStrategySend(send, now).catch((err) => console.error(`[sends] strategy member of send ${req.sendId}`, err));
    }
  } else if (!outcome.sent && req.task && outcome.code !== 'no_wecom') {
    await taskRepo.skip([req.task._id], outcome.reason, outcome.code === 'no_consent', req.sendId);
  }
  return outcome;
}

/** A strategy task's id names its strategy (`strategy/<strategy>/<customer>/<round>`). */
function strategyOfTaskId(taskId: string): { taskId: string; strategyId: string } | undefined {
  const m = /^strategy\/([^/]+)\//.exec(taskId);
  return m ? { taskId, strategyId: m[1] } : undefined;
}

/** The tracked link's page path (the mini-program card's page; on H5 it follows `#/`). */
export function trackedPath(sendId: string, activityId?: string): string {
  const token = signLink(sendId, linkSecret());
  return `${TRACKED_LINK.page}?${TRACKED_LINK.param}=${token}${activityId ? `&id=${encodeURIComponent(activityId)}` : ''}`;
}

/**
 * sends: a consultant sends a material to their customer: one tap into the chat (the sidebar's
 * `sendChatMessage`), a copied link outside WeCom, or several customers at once as WeCom
 * mass-send tasks (`add_msg_template`, confirmed by the consultant in WeCom). Each send is
 * recorded with its own tracked link, after the customer's consent and the store's frequency cap
 * (`_lib/sends.ts`); a refusal is an answer that says why.
 */
import type { BatchSendResult, FrequencyCapView, SendMessage, SendResult, SendView } from '../../types/api';
import { DEFAULT_FREQUENCY_CAP, type MaterialDoc, type SendChannel, type TaskDoc } from '../../types/model';
import { action, defineFunction, type ActionContext } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { loadLookups } from '../_lib/lookups';
import { assertInScope, customerInScope, noSuchCustomer } from '../_lib/scope';
import { capOf, recordSend, trackedPath } from '../_lib/sends';
import { addMsgTemplate, wecomSettings } from '../_lib/wecom';
import { customerRepo } from '../_lib/repo/customers';
import { materialRepo } from '../_lib/repo/materials';
import { sendRepo } from '../_lib/repo/sends';
import { staffRepo, storeRepo } from '../_lib/repo/staff';
import { taskRepo } from '../_lib/repo/tasks';
import { inParallel } from '../_core/parallel';
import type { StaffCaller } from '../_lib/caller';

const noSuchMaterial = () => new ApiError('NOT_FOUND', 'materialId: no such material', [{ field: 'materialId', message: 'no such material' }]);
const noSuchTask = (field = 'taskId') => new ApiError('NOT_FOUND', `${field}: no such task`, [{ field, message: 'no such task' }]);

/** A material the caller's store may send: the brand's or the store's own, not archived. */
async function sendableMaterial(storeId: string, id: string): Promise<MaterialDoc> {
  const m = await materialRepo.get(id);
  if (!m || m.archived || (m.storeId !== undefined && m.storeId !== storeId)) throw noSuchMaterial();
  return m;
}

function messageOf(m: MaterialDoc, sendId: string): SendMessage {
  return {
    kind: m.kind,
    title: m.title,
    description: m.summary,
    ...(m.coverUrl ? { imageUrl: m.coverUrl } : {}),
    path: trackedPath(sendId, m.activityId),
    ...(m.kind === 'script' && m.body ? { text: m.body } : {}),
  };
}

/** Tasks named by a send: the caller's, for that customer; anything else reads as unknown. */
async function tasksFor(caller: StaffCaller, items: readonly { customerId: string; taskId?: string }[], field: string): Promise<Map<string, TaskDoc>> {
  const ids = items.flatMap((i) => (i.taskId ? [i.taskId] : []));
  const found = new Map((ids.length ? await taskRepo.getMany(ids) : []).map((t) => [t._id, t]));
  for (const i of items) {
    if (!i.taskId) continue;
    const t = found.get(i.taskId);
    if (!t || t.ownerId !== caller.staffId || t.storeId !== caller.storeId) throw noSuchTask(field);
  }
  return found;
}

/** Sends within one call run a few customers at a time (each is a short transaction). */
const BATCH_CONCURRENCY = 4;

export const main = defineFunction('sends', {
  send: action(['consultant'], async ({ sendId, customerId, materialId, channel, taskId }, { caller, now }): Promise<SendResult> => {
    const [material, tasks, cap] = await Promise.all([sendableMaterial(caller.storeId, materialId), tasksFor(caller, [{ customerId, taskId }], 'taskId'), capOf(caller.storeId)]);
    const task = taskId ? tasks.get(taskId) : undefined;
    const record = (id: string) =>
      recordSend({ sendId, customerId: id, storeId: caller.storeId, consultantId: caller.staffId, material, channel, ...(task ? { task } : {}), ...(channel === 'wecom_share' ? { needsWecomContact: true } : {}) }, cap, now);
    // The send's transaction reads the customer and checks scope; only an id that is not the
    // consultant's live customer costs a second look: a customer merged away stands for its survivor.
    let r: Awaited<ReturnType<typeof recordSend>>;
    try {
      if (task && task.customerId !== customerId) throw noSuchCustomer();
      r = await record(customerId);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'NOT_FOUND') throw err;
      const live = await customerInScope(caller, customerId);
      if (task && task.customerId !== live._id) throw noSuchTask();
      // In scope and not merged, yet refused: it changed hands in between.
      if (live._id === customerId) throw noSuchCustomer();
      r = await record(live._id);
    }
    if (!r.sent) return { sent: false, code: r.code, reason: r.reason };
    const externalUserId = r.customer.identities.externalUserId;
    return {
      sent: true,
      sendId: r.send._id,
      repeated: r.repeated,
      marketing: r.send.marketing,
      message: messageOf(material, r.send._id),
      ...(channel === 'wecom_share' && externalUserId ? { externalUserId } : {}),
    };
  }),

  batch: action(['consultant'], async ({ materialId, channel, items }, ctx): Promise<BatchSendResult> => batchSend(materialId, channel, items, ctx)),

  ofCustomer: action(['consultant', 'manager'], async ({ customerId }, { caller, now }): Promise<SendView[]> => {
    const { historyIds } = await assertInScope(caller, customerId);
    const [lists, lookups] = await Promise.all([Promise.all(historyIds.map((id) => sendRepo.ofCustomer(id))), loadLookups(now)]);
    const sends = lists.flat().sort((a, b) => b.at - a.at).slice(0, 30);
    const materials = new Map((await Promise.all([...new Set(sends.map((s) => s.materialId))].map((id) => materialRepo.get(id)))).flatMap((m) => (m ? [[m._id, m] as const] : [])));
    return sends.map((s) => ({
      id: s._id,
      materialTitle: materials.get(s.materialId)?.title ?? '素材',
      materialKind: materials.get(s.materialId)?.kind ?? 'article',
      channel: s.channel,
      at: s.at,
      consultantName: lookups.staffName(s.consultantId) ?? '顾问',
      marketing: s.marketing,
      opens: s.opens ?? 0,
      dwellSeconds: s.dwellSeconds ?? 0,
      ...(s.registeredAt ? { registeredAt: s.registeredAt } : {}),
    }));
  }),

  cap: action(['manager'], async (_p, { caller }): Promise<FrequencyCapView> => capView((await storeRepo.get(caller.storeId))?.frequencyCap)),

  // The new cap applies to the next send at once: each customer keeps the times of their touches, not a count.
  setCap: action(['manager'], async ({ touches, days }, { caller }): Promise<FrequencyCapView> => {
    await storeRepo.setFrequencyCap(caller.storeId, { touches, days });
    return capView({ touches, days });
  }),
});


function capView(cap: { touches: number; days: number } | undefined): FrequencyCapView {
  return cap ? { touches: cap.touches, days: cap.days, isDefault: false } : { ...DEFAULT_FREQUENCY_CAP, isDefault: true };
}

async function batchSend(
  materialId: string,
  channel: Extract<SendChannel, 'wecom_mass' | 'copy'>,
  items: readonly { sendId: string; customerId: string; taskId?: string }[],
  { caller, now }: ActionContext<StaffCaller & { role: 'consultant' }>,
): Promise<BatchSendResult> {
  const ids = [...new Set(items.map((i) => i.customerId))];
  const [material, tasks, cap, found, me] = await Promise.all([
    sendableMaterial(caller.storeId, materialId),
    tasksFor(caller, items, 'items'),
    capOf(caller.storeId),
    customerRepo.getMany(ids),
    staffRepo.get(caller.staffId),
  ]);
  type Row = (typeof found)[number] & { mergedInto?: string };
  const customers = new Map(found.map((c) => [c._id, c as Row]));
  // A merged-away id stands for its survivor (an old task, a list read before the merge).
  await Promise.all(
    found.filter((c) => (c as Row).mergedInto).map(async (c) => {
      const live = await customerRepo.live<Row>(c._id);
      if (live) customers.set(c._id, live);
      else customers.delete(c._id);
    }),
  );
  // Every customer must be the caller's: a batch is refused whole rather than sent in part to someone else's.
  for (const i of items) {
    const c = customers.get(i.customerId);
    if (!c || c.mergedInto || c.storeId !== caller.storeId || c.ownerId !== caller.staffId) throw noSuchCustomer('items');
    const t = i.taskId ? tasks.get(i.taskId) : undefined;
    if (t && t.customerId !== c._id) throw noSuchTask('items');
  }
  const settings = channel === 'wecom_mass' ? wecomSettings() : undefined;
  const sent: BatchSendResult['sent'] = [];
  const skipped: BatchSendResult['skipped'] = [];
  const mass: { sendId: string; externalUserId: string }[] = [];
  await inParallel(items, BATCH_CONCURRENCY, async (i) => {
    const c = customers.get(i.customerId)!;
    const taskRef = i.taskId ? { taskId: i.taskId } : {};
    if (settings && !c.identities.externalUserId) {
      skipped.push({ customerId: i.customerId, ...taskRef, reason: '客户未添加企业微信，无法群发' });
      if (i.taskId) await taskRepo.skip([i.taskId], '客户未添加企业微信，无法群发', false, i.sendId);
      return;
    }
    const task = i.taskId ? tasks.get(i.taskId) : undefined;
    const r = await recordSend({ sendId: i.sendId, customerId: c._id, storeId: c.storeId, consultantId: caller.staffId, material, channel, ...(task ? { task } : {}) }, cap, now);
    if (!r.sent) {
      skipped.push({ customerId: i.customerId, ...taskRef, reason: r.reason });
      return;
    }
    sent.push({ customerId: i.customerId, sendId: r.send._id, ...taskRef });
    if (settings && !r.repeated) mass.push({ sendId: r.send._id, externalUserId: c.identities.externalUserId! });
  });
  // One mass-send task per customer: each carries that customer's own tracked link.
  let massTasks = 0;
  if (settings && me) {
    await inParallel(mass, BATCH_CONCURRENCY, async (m) => {
      const link = { title: material.title, desc: material.summary, url: trackedPath(m.sendId, material.activityId), ...(material.coverUrl ? { picurl: material.coverUrl } : {}) };
      const r = await addMsgTemplate(settings, now, me.wecomUserId, [m.externalUserId], material.kind === 'script' ? (material.body ?? material.title) : material.summary, material.kind === 'script' ? undefined : link);
      if (!r.failed.length) massTasks++;
      await sendRepo.setWecomMsgId(m.sendId, r.msgId);
    });
  }
  const message =
    channel === 'wecom_mass'
      ? `已为 ${massTasks} 位客户创建企业微信群发，请在企业微信中确认发送${skipped.length ? `；${skipped.length} 位未发送` : ''}`
      : `已记录 ${sent.length} 位客户的发送${skipped.length ? `，${skipped.length} 位未发送` : ''}`;
  return { sent, skipped, massTasks, message };
}

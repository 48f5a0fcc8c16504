/**
 * OneID merges in the demo: a few customers of each store turned out to have a second record
 * (a mini-program visitor, an OEM-distributed lead, a second WeCom account) that OneID or the
 * store manager merged into them, so the manager's 合并记录 lists real merge records made by the
 * domain's own `mergeCustomers`, and one of them was undone with `undoMerge`.
 */
import type { IdentityType } from '../types/model';
import type { MergeDoc } from '../cloudfunctions/_lib/repo/merges';
import { channelName, TOUCHPOINT_LABELS } from '../cloudfunctions/_core/catalog';
import { IDENTITY_RULES } from '../cloudfunctions/_core/oneid/identifiers';
import { assignment } from './customer';
import { DEMO_CUSTOMERS, STORES } from './directory';

export type { MergeDoc };

/**
 * The kinds of second record: one carrying an identifier the customer did not have yet, or a
 * walk-in the reception desk wrote down by name only (for a customer who has every identifier).
 */
export type IdentifiedKind = 'openid' | 'unionid' | 'oemId' | 'externalUserId';
export type DuplicateKind = IdentifiedKind | 'walkIn';

export interface MergePlan {
  storeId: string;
  /** Which merge of its store this is (0, 1, ...): picks the kinds tried first. */
  position: number;
  /** The manager undid it after checking. */
  undone: boolean;
}

/** Merges per store; the demo store (whose manager people try first) has the most, one of them undone. */
const PER_STORE: Record<string, number> = { 'store-sh-pudong': 3 };
const DEFAULT_PER_STORE = 2;
const UNDONE: { storeId: string; position: number } = { storeId: 'store-sh-pudong', position: 1 };

/**
 * The customers (by index) who get a merged second record: the first owned customers of each
 * store after the demo customers. Counted from `assignment` alone, so every worker of a
 * parallel run agrees without generating anyone.
 */
export function mergePlans(seed: number): Map<number, MergePlan> {
  const plans = new Map<number, MergePlan>();
  const found = new Map<string, number>();
  const wanted = (storeId: string) => PER_STORE[storeId] ?? DEFAULT_PER_STORE;
  const total = STORES.reduce((n, s) => n + wanted(s.doc._id), 0);
  for (let i = DEMO_CUSTOMERS.length; plans.size < total && i < DEMO_CUSTOMERS.length + 10_000; i++) {
    const a = assignment(seed, i);
    const storeId = a.store.doc._id;
    const position = found.get(storeId) ?? 0;
    if (!a.owned || position >= wanted(storeId)) continue;
    found.set(storeId, position + 1);
    plans.set(i, { storeId, position, undone: storeId === UNDONE.storeId && position === UNDONE.position });
  }
  return plans;
}

/** The identifier kinds a merge tries, in order: the first type the customer does not have yet wins. */
export function kindsFor(position: number): IdentifiedKind[] {
  return position % 2 === 0 ? ['openid', 'unionid', 'oemId', 'externalUserId'] : ['oemId', 'externalUserId', 'openid', 'unionid'];
}

/** OneID's own wording (as `_lib/merge.ts` writes it): which identifiers met, where. */
export function autoMergeReason(tiedBy: readonly IdentityType[], touch: { type: keyof typeof TOUCHPOINT_LABELS; source: string }): string {
  const labels = tiedBy.map((type) => IDENTITY_RULES[type].label);
  const where = `在${channelName(touch.source)}${TOUCHPOINT_LABELS[touch.type]}`;
  return labels.length <= 1 ? `同一${labels[0] ?? '标识'}${where}` : `${labels.join('与')}${where}时同时出现`;
}

/** What a manager wrote when merging by hand. */
export const MANUAL_REASONS: Record<'oemId' | 'externalUserId' | 'walkIn', string> = {
  oemId: '汽车之家重复留资，顾问电话核实是同一人',
  externalUserId: '客户换了微信号又加了一次企业微信，顾问确认是同一人',
  walkIn: '前台登记的到店客户没留电话，顾问确认就是这位客户',
};

/** Why the manager undid a merge. */
export const UNDO_REASON = '核实后是夫妻二人共用一个手机号，分开跟进';

/**
 * Strategies (`strategies`), their members (`strategyMembers`, one per strategy and customer)
 * and the managers' notices (`notices`). Written by `_lib/strategies.ts`.
 */
import { Collections, type NoticeDoc, type StrategyDoc, type StrategyMemberDoc } from '../../../types/model';
import { addOnce, byIds, db, _, insertMany, pagesOf, rows, updateByIds } from '../cloud';

const strategies = () => db.collection(Collections.strategies);
const strategyMembers = () => db.collection(Collections.strategyMembers);
const notices = () => db.collection(Collections.notices);

const updatedOne = async (res: unknown) => ((await res) as { stats: { updated: number } }).stats.updated === 1;

export const strategyRepo = {
  get: async (id: string) => (await byIds<StrategyDoc>(Collections.strategies, [id]))[0],
  getMany: (ids: readonly string[]) => byIds<StrategyDoc>(Collections.strategies, ids),
  /** The store's strategies, newest first (index `store_recent`). */
  ofStore: (storeId: string) => rows<StrategyDoc>(strategies().where({ storeId }).orderBy('updatedAt', 'desc').limit(100)),
  create: (s: StrategyDoc) => addOnce(Collections.strategies, s),
  /** Replaces the strategy if it is still at `version` (a concurrent save wins the other one). */
  replace: (s: StrategyDoc, version: number) => {
    const { _id, ...rest } = s;
    return updatedOne(strategies().where({ _id, version }).update({ data: rest }));
  },
  /** Marks the strategy issued as its issue starts (the totals follow when the run is done). */
  markIssued: (id: string, issuedAt: number, issuedBy: string) => updatedOne(strategies().where({ _id: id }).update({ data: { status: 'issued', issuedAt, issuedBy } })),
  /**
   * Writes a run's totals if the strategy still carries the totals of `previousRun` (as read):
   * of two runners finishing the same run at once, one adds its allocations, never both.
   */
  setIssued: (id: string, data: Pick<StrategyDoc, 'issuedAt' | 'issuedBy' | 'issued' | 'issuedRun'>, previousRun: number | undefined) =>
    updatedOne(
      strategies()
        .where({ _id: id, issuedRun: previousRun === undefined ? _.exists(false) : previousRun })
        .update({ data: { status: 'issued', ...data, issued: _.set(data.issued) } }),
    ),
};

export const memberRepo = {
  id: (strategyId: string, customerId: string) => `${strategyId}/${customerId}`,
  getMany: (ids: readonly string[]) => byIds<StrategyMemberDoc>(Collections.strategyMembers, ids),
  /** Inserts members under their derived ids; returns those that existed (an earlier issue). */
  insertMany: (docs: readonly StrategyMemberDoc[]) => insertMany<StrategyMemberDoc>(Collections.strategyMembers, docs),
  /** Writes the member's new state if nobody else did since `updatedAt` was read. */
  replaceIf: (m: StrategyMemberDoc, updatedAt: number) => {
    const { _id, ...rest } = m;
    const data: Record<string, unknown> = { ...rest };
    // Facts that went away (a new round's open) are removed, not left behind.
    for (const k of ['openedAt', 'nextCheckAt'] as const) if (m[k] === undefined) data[k] = _.remove();
    return updatedOne(strategyMembers().where({ _id, updatedAt }).update({ data }));
  },
  /** Members whose reaction waits for a deadline now passed, soonest first (index `due`). */
  due: (now: number, limit: number) => rows<StrategyMemberDoc>(strategyMembers().where({ nextCheckAt: _.lte(now) }).orderBy('nextCheckAt', 'asc').limit(limit)),
  /** How many members the strategy has (the held-out ones with `holdout`). */
  count: async (strategyId: string, holdout?: true) => ((await strategyMembers().where({ strategyId, ...(holdout ? { holdout: true } : {}) }).count()) as { total: number }).total,
  /** Every member of a strategy (progress and funnels), page by page. */
  pagesOf: (strategyId: string) => pagesOf<StrategyMemberDoc>(Collections.strategyMembers, { strategyId }, { pageSize: 1000 }),
};

export const noticeRepo = {
  /** Notices under derived ids: a repeat is a no-op. */
  add: (docs: readonly NoticeDoc[]) => insertMany<NoticeDoc>(Collections.notices, docs),
  /** The store's latest notices (index `store_recent`). */
  latest: (storeId: string, limit: number) => rows<NoticeDoc>(notices().where({ storeId }).orderBy('at', 'desc').limit(limit)),
  markRead: (ids: readonly string[], at: number) => updateByIds(Collections.notices, ids, { readAt: at }, { readAt: _.exists(false) }),
};

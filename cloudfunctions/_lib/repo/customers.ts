import { Collections, type CustomerDoc, type IntentGrade, type LifecycleStage } from '../../../types/model';
import type { LeadSearch } from '../../_core/leads/filters';
import type { GradeCutoff } from '../../_core/leads/cutoffs';
import type { LeadSource } from '../../_core/views';
import { decodeCursor, type Cursor } from '../../_core/cursor';
import { MAX_MERGE_HOPS } from '../../_core/oneid/customer';
import { ApiError } from '../errors';
import { addOnce, byIds, db, _, firstRow, olderThan, pagesOf, rows, updateByIds } from '../cloud';
import { inTransaction, txGet, txPut } from '../tx';

const customers = () => db.collection(Collections.customers);

/** Fields a lead card needs; listed explicitly so nothing else leaves the database. */
export const LEAD_FIELDS = [
  '_id',
  'name',
  'stage',
  'grade',
  'identities.phone',
  'vehiclesOfInterest',
  'lastTouch',
  'lastActivityAt',
  'ownerId',
  'assignedAt',
  'firstContactAt',
  'recycledFrom',
  'rankKey',
  'score.total',
  'score.reasons',
  'gradeInfo.consultant.grade',
  'gradeInfo.suggested.grade',
  'oem.lead.campaignName',
  'oem.lead.firstContactDueAt',
] as const;

export type LeadRow = LeadSource & { rankKey?: number };

/** A lead card's row with what a scope check needs, and where a merged-away record went. */
export type ScopedLeadRow = LeadRow & Pick<CustomerDoc, 'storeId'> & { mergedInto?: string };

/** Sorts a missing rank key (customers not scored yet) after every real one, which is >= 0. */
const MISSING_RANK = -1;

export type LeadSort = 'rank' | 'recent';

/** The keyset a lead list pages on: (rankKey, _id) or (lastActivityAt, _id), both descending. */
export const leadCursorKey =
  (sort: LeadSort) =>
  (r: LeadRow): Cursor => ({ value: sort === 'rank' ? (r.rankKey ?? MISSING_RANK) : r.lastActivityAt, id: r._id });

export interface LeadQuery {
  storeId: string;
  /** A consultant's id, 'pool' for the store's unowned leads, or absent for the whole store. */
  ownerId?: string;
  sort: LeadSort;
  grades?: (IntentGrade | 'none')[];
  stages?: LifecycleStage[];
  tagId?: string;
  modelId?: string;
  channel?: string;
  search?: LeadSearch;
  /** Per-grade assignment cutoffs: only leads assigned before theirs and never contacted. */
  overdue?: readonly GradeCutoff[];
}

// A where clause: a plain object of field conditions or a logic command (`_.and`, `_.or`).
type Condition = object;

function gradeCondition(grades: (IntentGrade | 'none')[]): Condition {
  const letters = grades.filter((g): g is IntentGrade => g !== 'none');
  if (!grades.includes('none')) return { grade: _.in(letters) };
  return letters.length ? _.or([{ grade: _.in(letters) }, { grade: _.exists(false) }]) : { grade: _.exists(false) };
}

function searchCondition(search: LeadSearch): Condition {
  if (search.kind === 'name') return { name: db.RegExp({ regexp: search.pattern, options: 'i' }) };
  // Customers written before phoneTail existed are matched on the phone itself.
  return _.or([{ phoneTail: search.tail }, { phoneTail: _.exists(false), 'identities.phone': db.RegExp({ regexp: `${search.tail}$`, options: '' }) }]);
}

function afterCursor(sort: LeadSort, c: Cursor): Condition {
  if (sort === 'recent') return olderThan('lastActivityAt', c);
  if (c.value === MISSING_RANK) return { rankKey: _.exists(false), _id: _.lt(c.id) };
  return _.or([{ rankKey: _.lt(c.value) }, { rankKey: c.value, _id: _.lt(c.id) }, { rankKey: _.exists(false) }]);
}

/** Customers merged into another keep their fields for undo, but are no longer leads. */
const LIVE = { mergedInto: _.exists(false) } as const;

/** The scope part of a lead query (store, owner or pool), live customers only. */
function scopeCondition(q: Pick<LeadQuery, 'storeId' | 'ownerId'>): Condition {
  if (q.ownerId === 'pool') return { storeId: q.storeId, ownerId: _.exists(false), ...LIVE };
  return q.ownerId ? { storeId: q.storeId, ownerId: q.ownerId, ...LIVE } : { storeId: q.storeId, ...LIVE };
}

function leadConditions(q: LeadQuery): Condition[] {
  const conds: Condition[] = [scopeCondition(q)];
  if (q.grades?.length) conds.push(gradeCondition(q.grades));
  if (q.stages?.length) conds.push({ stage: _.in(q.stages) });
  // An assignment stores the leaf and its ancestors, so a level-1 or level-2 tag selects its subtree.
  if (q.tagId) conds.push(_.or([{ 'tags.tagId': q.tagId }, { 'tags.path': q.tagId }]));
  if (q.modelId) conds.push({ 'vehiclesOfInterest.modelId': q.modelId });
  if (q.channel) conds.push({ sourceChannel: q.channel });
  if (q.search) conds.push(searchCondition(q.search));
  if (q.overdue) conds.push(overdueCondition(q.overdue));
  return conds;
}

export type RecycleCandidate = Pick<CustomerDoc, '_id' | 'storeId' | 'stage' | 'grade' | 'assignedAt' | 'lastFollowUpAt'> & { ownerId: string };

const gradeIs = (grade: GradeCutoff['grade']): Condition => (grade === 'none' ? { grade: _.exists(false) } : { grade });

function recycleCondition(cutoffs: readonly GradeCutoff[], afterId: string | undefined): Condition {
  const dueBranches = cutoffs.map((c) =>
    _.and([{ ...gradeIs(c.grade), assignedAt: _.lt(c.before) }, _.or([{ lastFollowUpAt: _.exists(false) }, { lastFollowUpAt: _.lt(c.before) }])]),
  );
  const base: Record<string, unknown> = { ownerId: _.exists(true), stage: _.in(['lead', 'prospect']), ...LIVE };
  if (afterId !== undefined) base._id = _.gt(afterId);
  return _.and([base, _.or(dueBranches)]);
}

/** Never contacted since an assignment older than the grade's SLA allows. */
function overdueCondition(cutoffs: readonly GradeCutoff[]): Condition {
  return _.and([{ firstContactAt: _.exists(false) }, _.or(cutoffs.map((c) => ({ ...gradeIs(c.grade), assignedAt: _.lt(c.before) })))]);
}

export interface FacetCount {
  id: string;
  count: number;
}

const projection = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, true]));

export function parseCursor(raw: string | undefined, field = 'cursor'): Cursor | undefined {
  if (raw === undefined) return undefined;
  const c = decodeCursor(raw);
  if (!c) throw new ApiError('INVALID_INPUT', `${field}: not a cursor returned by a previous page`, [{ field, message: 'not a cursor returned by a previous page' }]);
  return c;
}

const AWAITING_FIELDS = ['name', 'assignedAt', 'grade', 'oem.lead.firstContactDueAt'] as const;
export type AwaitingContactRow = Pick<CustomerDoc, '_id' | 'name' | 'grade'> & { assignedAt: number; oem?: { lead?: { firstContactDueAt?: number } } };

/** What care needs of an owner: who owns them, how to reach them, consent and the cap's touches. */
export type CareRow = Pick<CustomerDoc, '_id' | 'name' | 'storeId' | 'ownerId' | 'identities' | 'consent' | 'marketingTouches' | 'birthday'>;
const CARE_FIELDS = ['name', 'storeId', 'ownerId', 'identities', 'consent', 'marketingTouches', 'birthday'] as const;

export const customerRepo = {
  get: (id: string) => firstRow<CustomerDoc>(customers().where({ _id: id })),

  /**
   * The live customer behind `id`: itself, or the survivor a merge (or merges) left it in;
   * undefined when there is none. `fields` (plus `_id` and `mergedInto`) or the whole document.
   */
  async live<T extends { _id: string; mergedInto?: string }>(id: string, fields?: readonly string[]): Promise<T | undefined> {
    const read = async (x: string) => (await byIds<T>(Collections.customers, [x], fields && ['mergedInto', ...fields]))[0];
    let c = await read(id);
    for (let hops = 0; c?.mergedInto && hops < MAX_MERGE_HOPS; hops++) c = await read(c.mergedInto);
    return c && !c.mergedInto ? c : undefined;
  },

  getMany: <C extends CustomerDoc = CustomerDoc>(ids: readonly string[]) => byIds<C>(Collections.customers, ids),

  /** Inserts a new customer; false when the id is taken (a concurrent create of the same person). */
  async insert(c: CustomerDoc): Promise<boolean> {
    return addOnce(Collections.customers, c);
  },

  /**
   * Sets `patch` (objects whole) and removes `removed` on a customer, only if it was not written
   * since `updatedAt` (an event's transaction that ran meanwhile computed fresher values itself).
   */
  async patchIfUnchanged(id: string, updatedAt: number, patch: Record<string, unknown>, removed: readonly string[], now: number): Promise<boolean> {
    const data: Record<string, unknown> = { updatedAt: now };
    for (const [k, v] of Object.entries(patch)) data[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? _.set(v) : v;
    for (const k of removed) data[k] = _.remove();
    const res = (await customers().where({ _id: id, updatedAt }).update({ data })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },

  /**
   * Reads one customer, changes it and writes it back in a transaction, again from the read
   * when a concurrent writer won; undefined when the customer does not exist.
   */
  modify<C extends { _id: string }, R>(id: string, change: (current: C) => { next: C; result: R }): Promise<R | undefined> {
    return inTransaction(async (t) => {
      const current = await txGet<C>(t, Collections.customers, id);
      if (!current) return undefined;
      const { next, result } = change(current);
      await txPut(t, Collections.customers, next);
      return result;
    }, 20);
  },

  /**
   * Applies an update only if the customer is as it was read (same `updatedAt`): false when a
   * concurrent writer changed it meanwhile (the caller then goes through a transaction).
   */
  async updateIfUnchanged(id: string, updatedAt: number, data: Record<string, unknown>): Promise<boolean> {
    const res = (await customers().where({ _id: id, updatedAt }).update({ data })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },

  /**
   * Adds task triggers to these customers' open-task markers and bumps `taskMarkSeq`, a
   * request per trigger and chunk of customers (a strategy's tasks share their triggers).
   */
  async addTaskTriggers(byTrigger: ReadonlyMap<string, readonly string[]>): Promise<void> {
    await Promise.all([...byTrigger].map(([trigger, ids]) => updateByIds(Collections.customers, ids, { openTaskOn: _.addToSet(trigger), taskMarkSeq: _.inc(1) })));
  },

  /** Sets a customer's open-task marker, only if no trigger was added since `seq` was read. */
  async setTaskMarker(id: string, seq: number | undefined, marker: readonly string[]): Promise<boolean> {
    const where = { _id: id, taskMarkSeq: seq === undefined ? _.exists(false) : seq };
    const data = marker.length ? { openTaskOn: [...marker] } : { openTaskOn: _.remove() };
    const res = (await customers().where(where).update({ data })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },

  /** The consultant's live customers still awaiting their first contact since assignment (their SLA fields). */
  async awaitingFirstContact(storeId: string, ownerId: string): Promise<AwaitingContactRow[]> {
    const out: AwaitingContactRow[] = [];
    const where = { storeId, ownerId, assignedAt: _.exists(true), firstContactAt: _.exists(false), ...LIVE };
    for await (const page of pagesOf<AwaitingContactRow>(Collections.customers, where, { fields: AWAITING_FIELDS })) out.push(...page);
    return out;
  },

  /** The store's KPIs on the manager's home: counts only, no rows. */
  async storeCounts(storeId: string, todayStart: number, followedSince: number): Promise<{ newToday: number; activeLeads: number; followedUp: number }> {
    const count = async (where: object) => ((await customers().where(where).count()) as { total: number }).total;
    const active = { storeId, ownerId: _.exists(true), stage: _.in(['lead', 'prospect']), ...LIVE };
    const [newToday, activeLeads, followedUp] = await Promise.all([
      count({ storeId, createdAt: _.gte(todayStart), ...LIVE }),
      count(active),
      count({ ...active, lastFollowUpAt: _.gte(followedSince) }),
    ]);
    return { newToday, activeLeads, followedUp };
  },

  /** The store's live customers awaiting their first contact since assignment (their SLA fields). */
  async awaitingFirstContactInStore(storeId: string): Promise<AwaitingContactRow[]> {
    const out: AwaitingContactRow[] = [];
    const where = { storeId, ownerId: _.exists(true), assignedAt: _.exists(true), firstContactAt: _.exists(false), ...LIVE };
    for await (const page of pagesOf<AwaitingContactRow>(Collections.customers, where, { fields: AWAITING_FIELDS })) out.push(...page);
    return out;
  },

  /** Owners (保客) of every store born on this day (`MM-DD`): birthday care. */
  async ownersBornOn(monthDay: string): Promise<CareRow[]> {
    const out: CareRow[] = [];
    for await (const page of pagesOf<CareRow>(Collections.customers, { birthday: monthDay, stage: 'owner', ...LIVE }, { fields: CARE_FIELDS })) out.push(...page);
    return out;
  },

  /** A page of owners (保客) in `_id` order after `afterId` (holiday care, a job). */
  ownersPage: (afterId: string | undefined, limit: number) =>
    rows<CareRow>(customers().where(afterId === undefined ? { stage: 'owner', ...LIVE } : { stage: 'owner', ...LIVE, _id: _.gt(afterId) }).field(Object.fromEntries(['_id', ...CARE_FIELDS].map((f) => [f, true]))).orderBy('_id', 'asc').limit(limit)),

  /** Display names by id (lists that name customers, e.g. the sync's dead letters). */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    return new Map((await byIds<Pick<CustomerDoc, '_id' | 'name'>>(Collections.customers, ids, ['name'])).map((c) => [c._id, c.name]));
  },

  /** What a member list shows of these customers of the store. */
  memberRows: (storeId: string, ids: readonly string[]) =>
    byIds<Pick<CustomerDoc, '_id' | 'name' | 'stage' | 'grade' | 'ownerId'>>(Collections.customers, ids, ['name', 'stage', 'grade', 'ownerId'], { storeId }),

  /** Which of these customers are still the store's and not merged away, with their owner. */
  async liveIn(storeId: string, ids: readonly string[]): Promise<Pick<CustomerDoc, '_id' | 'ownerId'>[]> {
    return byIds<Pick<CustomerDoc, '_id' | 'ownerId'>>(Collections.customers, ids, ['ownerId'], { storeId, mergedInto: _.exists(false) });
  },

  /** Replaces the given top-level fields (objects and arrays whole, not merged key by key). */
  async setFields(id: string, fields: Partial<CustomerDoc> & Record<string, unknown>): Promise<void> {
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) data[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? _.set(v) : v;
    await customers().doc(id).update({ data });
  },

  /** The lead cards of these customers of one store (merged-away ones included, with where they went). */
  leadRowsIn: (ids: readonly string[], storeId: string): Promise<ScopedLeadRow[]> => byIds<ScopedLeadRow>(Collections.customers, ids, [...LEAD_FIELDS, 'storeId', 'mergedInto'], { storeId }),

  getFields: <K extends keyof CustomerDoc>(id: string, fields: K[]) =>
    firstRow<Pick<CustomerDoc, K>>(customers().where({ _id: id }).field(projection(fields as string[]))),

  /** A page (`limit + 1` rows, for `pageOf`) of the leads matching the query, best or latest first. */
  leadsPage(q: LeadQuery, cursor: Cursor | undefined, limit: number): Promise<LeadRow[]> {
    const conds = leadConditions(q);
    if (cursor) conds.push(afterCursor(q.sort, cursor));
    const sortField = q.sort === 'rank' ? 'rankKey' : 'lastActivityAt';
    return rows<LeadRow>(
      customers()
        .where(conds.length === 1 ? conds[0] : _.and(conds))
        .field(projection(LEAD_FIELDS))
        .orderBy(sortField, 'desc')
        .orderBy('_id', 'desc')
        .limit(limit + 1),
    );
  },

  async countOwned(ownerId: string, since?: number): Promise<number> {
    const where: Record<string, unknown> = { ownerId, ...LIVE };
    if (since !== undefined) where.assignedAt = _.gte(since);
    const res = (await customers().where(where).count()) as { total: number };
    return res.total;
  },

  /**
   * Gives an unowned customer to a consultant. Conditional on the customer still being in the
   * pool, so of two simultaneous claims exactly one changes the document; false for the other.
   */
  async takeFromPool(id: string, ownerId: string, now: number): Promise<boolean> {
    const res = (await customers()
      .where({ _id: id, ownerId: _.exists(false), ...LIVE })
      .update({ data: { ownerId, assignedAt: now, updatedAt: now, recycledFrom: _.remove(), firstContactAt: _.remove() } })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },

  /**
   * Gives unowned customers to one consultant in bulk: one conditional update per 500 (each
   * customer changes only while still in the pool, so a concurrent claim or take wins it or we
   * do, never both). Returns the ids now owned by `ownerId`; only when some were not changed is
   * that read back. A customer the same consultant claimed at the same moment reads as taken
   * here too: its owner is right, and its counter was reserved twice (high, never over a limit).
   */
  async takeManyFromPool(ids: readonly string[], ownerId: string, now: number): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const changed = await updateByIds(Collections.customers, ids, { ownerId, assignedAt: now, updatedAt: now, recycledFrom: _.remove(), firstContactAt: _.remove() }, { ownerId: _.exists(false), ...LIVE });
    if (changed === new Set(ids).size) return new Set(ids);
    const rows = await byIds<{ _id: string; ownerId?: string; mergedInto?: string }>(Collections.customers, ids, ['ownerId', 'mergedInto']);
    return new Set(rows.filter((c) => c.ownerId === ownerId && !c.mergedInto).map((c) => c._id));
  },

  /** Leads of a consultant still awaiting first contact past their grade's SLA. */
  async countOverdue(ownerId: string, cutoffs: readonly GradeCutoff[]): Promise<number> {
    const where = _.and([{ ownerId, ...LIVE }, overdueCondition(cutoffs)]);
    const res = (await customers().where(where).count()) as { total: number };
    return res.total;
  },

  /**
   * How many leads in the scope carry each tag, model of interest and source channel, most first.
   * Each kind is counted under the other filters in force (not its own), so a count says how many
   * leads picking that option would show.
   */
  async facets(q: LeadQuery, limits: { tags: number; models: number; channels: number }) {
    const $ = _.aggregate;
    const where = (conds: Condition[]) => (conds.length === 1 ? conds[0] : _.and(conds));
    const without = (field: 'tagId' | 'modelId' | 'channel') => where(leadConditions({ ...q, [field]: undefined }));
    const run = async (pipeline: { end(): unknown }) => ((await pipeline.end()) as { list: { _id: unknown; count: number }[] }).list;
    // Each customer's values as a set first, so a value repeated on one customer counts once.
    const perCustomer = (array: string, key: string, limit: number, match: Condition) =>
      run(
        customers()
          .aggregate()
          .match(match)
          .project({ v: $.setUnion([`$${array}.${key}`, []]) })
          .unwind('$v')
          .group({ _id: '$v', count: $.sum(1) })
          .sort({ count: -1, _id: 1 })
          .limit(limit),
      );
    const [tags, models, channels] = await Promise.all([
      perCustomer('tags', 'tagId', limits.tags, without('tagId')),
      perCustomer('vehiclesOfInterest', 'modelId', limits.models, without('modelId')),
      run(customers().aggregate().match(without('channel')).group({ _id: '$sourceChannel', count: $.sum(1) }).sort({ count: -1, _id: 1 }).limit(limits.channels)),
    ]);
    const counts = (list: { _id: unknown; count: number }[]): FacetCount[] =>
      list.filter((r): r is { _id: string; count: number } => typeof r._id === 'string').map((r) => ({ id: r._id, count: r.count }));
    return { tags: counts(tags), models: counts(models), channels: counts(channels) };
  },

  /**
   * Moves a lead of the store from `from` (undefined: the pool) to `to` (undefined: the pool),
   * starting a new assignment. Conditional on the owner still being `from`: false when the lead
   * changed hands meanwhile, so a concurrent claim or move is never overwritten.
   */
  async moveOwner(id: string, storeId: string, from: string | undefined, to: string | undefined, now: number): Promise<boolean> {
    const reset = { firstContactAt: _.remove(), recycledFrom: _.remove(), updatedAt: now };
    const data = to ? { ...reset, ownerId: to, assignedAt: now } : { ...reset, ownerId: _.remove(), assignedAt: _.remove() };
    const res = (await customers()
      .where({ _id: id, storeId, ownerId: from ?? _.exists(false), ...LIVE })
      .update({ data })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },

  /** Owned leads (not 保客) past their grade's recycle cutoff, by id ascending after `afterId`. */
  recycleCandidates(cutoffs: readonly GradeCutoff[], afterId: string | undefined, limit: number): Promise<RecycleCandidate[]> {
    return rows<RecycleCandidate>(
      customers()
        .where(recycleCondition(cutoffs, afterId))
        .field(projection(['_id', 'storeId', 'ownerId', 'stage', 'grade', 'assignedAt', 'lastFollowUpAt']))
        .orderBy('_id', 'asc')
        .limit(limit),
    );
  },

  /** How many leads `recycleCandidates` would walk (a recycling job's progress). */
  async countRecycleCandidates(cutoffs: readonly GradeCutoff[]): Promise<number> {
    return ((await customers().where(recycleCondition(cutoffs, undefined)).count()) as { total: number }).total;
  },

  /**
   * Customers matching `where` after `afterId` in `_id` order, merged-away records included (a
   * job's cursor moves past them). Rows are what the cloud returned: maybe fewer than asked.
   */
  pageInIdOrder<C extends CustomerDoc = CustomerDoc>(where: Record<string, unknown>, afterId: string | undefined, limit: number): Promise<C[]> {
    const cond = afterId === undefined ? where : { ...where, _id: _.gt(afterId) };
    return rows<C>(customers().where(cond).orderBy('_id', 'asc').limit(limit));
  },

  /** Live customers matching `where` (a job's total). */
  async countLive(where: Record<string, unknown>): Promise<number> {
    return ((await customers().where({ ...where, ...LIVE }).count()) as { total: number }).total;
  },

  /**
   * Returns a lead to the pool for lack of follow-up. Conditional on the owner, the assignment
   * and the last follow-up being as read: a lead reassigned or followed up meanwhile stays.
   */
  async recycle(lead: RecycleCandidate, now: number, afterDays: number): Promise<boolean> {
    const res = (await customers()
      .where({ _id: lead._id, ownerId: lead.ownerId, assignedAt: lead.assignedAt, lastFollowUpAt: lead.lastFollowUpAt ?? _.exists(false) })
      .update({
        data: {
          ownerId: _.remove(),
          assignedAt: _.remove(),
          firstContactAt: _.remove(),
          recycledFrom: _.set({ consultantId: lead.ownerId, at: now, afterDays }),
          updatedAt: now,
        },
      })) as { stats: { updated: number } };
    return res.stats.updated === 1;
  },
};

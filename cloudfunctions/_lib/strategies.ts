/**
 * Strategies at work: issuing one (a task per customer of its audience for their consultant,
 * pool customers allocated first, a deterministic holdout left alone), and its reaction rules
 * driven by what happens (a send of the strategy, an open, dwell, a registration, a store
 * visit, a test drive, an order) and by the `strategies` timer for deadlines ("not opened
 * within 24 h"). Every effect has an id derived from what made it, so issuing again, a retried
 * event or two timers at once change nothing twice. See docs/decisions/0017-strategies-and-reaction-rules.md.
 */
import { Collections, type EventDoc, type JobDoc, type SendDoc, type StoredCustomer, type StrategyDoc, type StrategyMemberDoc, type TouchpointType } from '../../types/model';
import type { ReactionFacts } from '../../types/strategy';
import { evaluate, inHoldout, nextSlot, pathText, type Firing } from '../_core/strategies';
import { jobIds } from '../_core/jobs';
import { tagAssignment, setTag } from '../_core/tags/assign';
import { inParallel } from '../_core/parallel';
import { allocateNewLeads } from './allocation';
import { membersOf } from './audiences';
import { _, byIds, updateByIds } from './cloud';
import { stopwatch } from './clock';
import { createTasks, type NewTask } from './tasks';
import { customerRepo } from './repo/customers';
import { loadRepo } from './repo/loads';
import { jobRepo } from './repo/jobs';
import { memberRepo, noticeRepo, strategyRepo } from './repo/strategies';
import { sendTrackingRepo } from './repo/invite-tracking';

type Row = Pick<StoredCustomer, '_id' | 'name' | 'storeId' | 'ownerId' | 'stage' | 'vehiclesOfInterest'> & { mergedInto?: string };
const ROW_FIELDS = ['name', 'storeId', 'ownerId', 'stage', 'vehiclesOfInterest', 'mergedInto'];

/** The customers of the strategy's audience now (the seam to saved audiences). */
export async function audienceOf(s: Pick<StrategyDoc, 'storeId' | 'audienceId'>, now: number): Promise<string[]> {
  return membersOf(s.storeId, s.audienceId, { now });
}

export interface IssueOutcome {
  members: number;
  holdout: number;
  /** Tasks made by this call (a re-issue makes only those for new members). */
  tasks: number;
  /** Pool customers given a consultant for this strategy. */
  allocated: number;
  /** Pool customers nobody could take (capacity): no task yet. */
  unallocated: number;
}

const taskIdOf = (strategyId: string, customerId: string, round: string) => `strategy/${strategyId}/${customerId}/${round}`;

function sendTask(s: StrategyDoc, customerId: string, ownerId: string, round: string, title: string, now: number): NewTask {
  return {
    _id: taskIdOf(s._id, customerId, round),
    storeId: s.storeId,
    ownerId,
    customerId,
    kind: 'strategy_send',
    title,
    dueAt: nextSlot(s.window, now) ?? now,
    strategyId: s._id,
    strategyName: s.name,
    materialId: s.materialId,
    ...(s.activityId ? { activityId: s.activityId } : {}),
  };
}

/**
 * Enrols customers of the store in the strategy: members written under derived ids (an earlier
 * enrolment stays as it was), the held-out group left alone, pool customers allocated, a task
 * per owned member, and each customer marked so its events reach the strategy.
 */
export async function enrol(s: StrategyDoc, customerIds: readonly string[], now: number): Promise<IssueOutcome> {
  const rows = (await byIds<Row>(Collections.customers, customerIds, ROW_FIELDS)).filter((c) => !c.mergedInto && c.storeId === s.storeId);
  const existing = await memberRepo.getMany(rows.map((c) => memberRepo.id(s._id, c._id)));
  const known = new Set(existing.map((m) => m.customerId));
  const fresh = rows.filter((c) => !known.has(c._id));
  const held = fresh.filter((c) => inHoldout(s._id, c._id, s.holdoutPercent));
  const treated = fresh.filter((c) => !inHoldout(s._id, c._id, s.holdoutPercent));

  // Pool customers get a consultant the way new leads do; the counters are reserved first.
  const pool = treated.filter((c) => !c.ownerId);
  const owners = await allocateNewLeads(s.storeId, pool.map((c) => ({ customerId: c._id, storeId: s.storeId })), now);
  const owned = new Map(treated.filter((c) => c.ownerId).map((c) => [c._id, c.ownerId!]));
  // Each consultant's share in bulk; a customer claimed meanwhile gives its reservation back.
  const byOwner = new Map<string, string[]>();
  for (const [customerId, ownerId] of owners) byOwner.set(ownerId, [...(byOwner.get(ownerId) ?? []), customerId]);
  let allocated = 0;
  await inParallel([...byOwner], 4, async ([ownerId, ids]) => {
    const taken = await customerRepo.takeManyFromPool(ids, ownerId, now);
    for (const id of taken) owned.set(id, ownerId);
    allocated += taken.size;
    if (taken.size < ids.length) await loadRepo.release(ownerId, ids.length - taken.size, now, { today: true });
  });

  const memberOf = (c: Row, holdout: boolean): StrategyMemberDoc => ({
    _id: memberRepo.id(s._id, c._id),
    strategyId: s._id,
    storeId: s.storeId,
    customerId: c._id,
    ...(owned.get(c._id) ?? c.ownerId ? { ownerId: owned.get(c._id) ?? c.ownerId } : {}),
    holdout,
    status: holdout ? 'holdout' : 'active',
    enrolledAt: now,
    round: 0,
    dwellSeconds: 0,
    sendIds: [],
    fired: [],
    reinvites: 0,
    updatedAt: now,
  });
  const docs = [...held.map((c) => memberOf(c, true)), ...treated.filter((c) => owned.has(c._id)).map((c) => memberOf(c, false))];
  await memberRepo.insertMany(docs);
  // Tasks and marks for every member of the page, not only those this call enrolled: a run that
  // died between its member writes and these (or a concurrent call that did) left them undone.
  // Task ids are derived from strategy, customer and round, so a task made before is not made
  // twice, and a member enrolled elsewhere keeps the task that call made.
  const members = [...existing.filter((m) => m.status !== 'moved'), ...docs];
  const tasks = members.filter((d) => !d.holdout && d.ownerId).map((d) => sendTask(s, d.customerId, d.ownerId!, '1', s.name, now));
  const made = tasks.length ? await createTasks(tasks, now) : { created: [] };
  // Held-out customers are marked too: their visits, test drives and orders are the baseline.
  if (members.length) await updateByIds(Collections.customers, members.map((d) => d.customerId), { activeStrategies: _.addToSet(s._id) });
  return { members: docs.length, holdout: held.length, tasks: made.created.length, allocated, unallocated: treated.length - owned.size };
}

// ---------- issuing, as a resumable job (docs/decisions/0010-resumable-jobs.md) ----------

/**
 * The audience as a run walks it, in customer `_id` order: read once per run and warm instance
 * (the issue call reads it first and hands it to its own slices), so a page costs no audience
 * read. A slice in another instance reads it again; the cursor keeps the walk in order either way.
 */
const walks = new Map<string, { ids: Promise<string[]>; age: () => number }>();
/** Real time a walk is reused for: longer than any slice. */
const WALK_TTL_MS = 120_000;
const walkKey = (job: Pick<JobDoc, '_id' | 'run'>) => `${job._id}#${job.run}`;

function keepWalk(job: Pick<JobDoc, '_id' | 'run'>, ids: Promise<string[]>): Promise<string[]> {
  const sorted = ids.then((list) => [...list].sort());
  for (const [k, w] of walks) if (w.age() > WALK_TTL_MS) walks.delete(k);
  const entry = { ids: sorted, age: stopwatch() };
  walks.set(walkKey(job), entry);
  sorted.catch(() => walks.get(walkKey(job)) === entry && walks.delete(walkKey(job)));
  return sorted;
}

function walkOf(job: JobDoc, s: StrategyDoc, now: number): Promise<string[]> {
  const hit = walks.get(walkKey(job));
  return hit && hit.age() < WALK_TTL_MS ? hit.ids : keepWalk(job, audienceOf(s, now));
}

/** The first index in sorted `ids` after `cursor`. */
function after(ids: readonly string[], cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Starts issuing the strategy to its audience as it is now (or joins the run under way): the
 * audience is read here, so a manager hears at once about one that cannot be read, and the
 * strategy is marked issued. The caller runs the first slice.
 */
export async function startIssue(s: StrategyDoc, by: string, now: number): Promise<{ job: JobDoc; audience: number }> {
  const ids = await audienceOf(s, now);
  const job = await jobRepo.start({ _id: jobIds.strategyIssue(s._id), kind: 'strategyIssue', storeId: s.storeId, strategyId: s._id, total: ids.length, requestedBy: by }, 'when-idle', now);
  if (job.status === 'queued' && job.startedAt === now) void keepWalk(job, Promise.resolve(ids));
  await strategyRepo.markIssued(s._id, s.issuedAt ?? now, s.issuedBy ?? by);
  return { job, audience: ids.length };
}

/** A page of an issue run: the next customers of the audience after the cursor, enrolled. */
export async function issueStep(job: JobDoc, limit: number, now: number) {
  const s = job.strategyId ? await strategyRepo.get(job.strategyId) : undefined;
  if (!s || s.status === 'ended') return { done: true as const };
  const ids = await walkOf(job, s, now);
  const from = after(ids, job.cursor);
  const page = ids.slice(from, from + limit);
  if (!page.length) return { done: true as const };
  const r = await enrol(s, page, now);
  return { done: false as const, read: page.length, cursor: page[page.length - 1], processed: page.length, changed: r.tasks, issue: r };
}

/**
 * The run's totals on the strategy: members and the held-out counted (exact after a page was
 * redone following a crash, which the run's tally would count short), a task per member not held
 * out, pool customers allocated by every run, and those left unallocated by this one.
 */
export async function finishIssue(job: JobDoc): Promise<void> {
  const s = job.strategyId ? await strategyRepo.get(job.strategyId) : undefined;
  if (!s) return;
  const [members, holdout] = await Promise.all([memberRepo.count(s._id), memberRepo.count(s._id, true)]);
  const tally = job.issue ?? { members: 0, holdout: 0, tasks: 0, allocated: 0, unallocated: 0 };
  // A finish repeated after a crash (before the job was marked done) finds its run's totals there already.
  const allocated = s.issuedRun === job.run ? (s.issued?.allocated ?? 0) : (s.issued?.allocated ?? 0) + tally.allocated;
  await strategyRepo.setIssued(s._id, {
    issuedAt: s.issuedAt ?? job.startedAt,
    issuedBy: s.issuedBy ?? job.requestedBy,
    issued: { members, holdout, tasks: members - holdout, allocated, unallocated: tally.unallocated },
    issuedRun: job.run,
  }, s.issuedRun);
}

// ---------- reactions ----------

/** Strategies read once per call (a timer page, an event batch). */
type StrategyMemo = Map<string, Promise<StrategyDoc | undefined>>;
const strategyOf = (memo: StrategyMemo, id: string) => {
  if (!memo.has(id)) memo.set(id, strategyRepo.get(id));
  return memo.get(id)!;
};

/**
 * Runs what the rules fired. Every effect has a derived id (tasks, notices) or is a set
 * operation (tags), so running it again after a lost race or a crash changes nothing.
 */
async function runFirings(s: StrategyDoc, m: StrategyMemberDoc, fire: readonly Firing[], memo: StrategyMemo, now: number): Promise<void> {
  const tasks: NewTask[] = [];
  const names = await customerRepo.names([m.customerId]);
  const name = names.get(m.customerId) ?? '客户';
  for (const f of fire) {
    const a = f.action;
    if (a.kind === 'call' && m.ownerId) {
      tasks.push({
        _id: `reaction/${s._id}/${m.customerId}/${f.key}`,
        storeId: s.storeId,
        ownerId: m.ownerId,
        customerId: m.customerId,
        kind: 'reaction_call',
        title: `电话回访：${pathText(f.path)}`,
        note: `「${s.name}」`,
        dueAt: now + a.slaHours * 3_600_000,
        strategyId: s._id,
        strategyName: s.name,
      });
    } else if (a.kind === 'reinvite' && m.ownerId) {
      tasks.push(sendTask(s, m.customerId, m.ownerId, f.key, `再次邀约：${s.name}`, now));
    } else if (a.kind === 'tag') {
      await customerRepo.modify<StoredCustomer, void>(m.customerId, (c) => ({ next: { ...c, tags: setTag(c.tags, tagAssignment(a.tagId, 'rule', now)) }, result: undefined }));
    } else if (a.kind === 'move') {
      const target = await strategyOf(memo, a.strategyId);
      if (target && target.storeId === s.storeId && target.status === 'issued') await enrol(target, [m.customerId], now);
    } else if (a.kind === 'notify') {
      await noticeRepo.add([{ _id: `reaction/${s._id}/${m.customerId}/${f.key}`, storeId: s.storeId, kind: 'reaction', text: `${name}：${pathText(f.path)}（${s.name}）`, strategyId: s._id, customerId: m.customerId, at: now }]);
    }
  }
  if (tasks.length) await createTasks(tasks, now);
}

/**
 * Changes a member's facts and runs the rules on the result, as one compare-and-set on the
 * member (a concurrent change makes it read again and redo, which the derived ids make safe).
 */
async function react(memberId: string, change: (m: StrategyMemberDoc) => Partial<StrategyMemberDoc>, memo: StrategyMemo, now: number): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const [m] = await memberRepo.getMany([memberId]);
    if (!m || m.status === 'moved') return;
    const s = await strategyOf(memo, m.strategyId);
    if (!s) return;
    const next: StrategyMemberDoc = { ...m, ...change(m), updatedAt: Math.max(now, m.updatedAt + 1) };
    if (!m.holdout && s.status === 'issued') {
      const e = evaluate(s.rules, next, m.fired, now, m.reinvites);
      if (e.fire.length) await runFirings(s, next, e.fire, memo, now);
      next.fired = [...m.fired, ...e.fired];
      next.reinvites = m.reinvites + e.fire.filter((f) => f.action.kind === 'reinvite').length;
      next.nextCheckAt = e.nextCheckAt;
    } else next.nextCheckAt = undefined;
    if (await memberRepo.replaceIf(next, m.updatedAt)) return;
  }
  console.error(`[strategies] member ${memberId} kept changing; its reaction waits for the timer`);
}

/** What the strategy's sends to the customer say now (opens, dwell, registration). */
async function sendFacts(m: StrategyMemberDoc): Promise<Partial<ReactionFacts> & { everOpenedAt?: number }> {
  const sends = (await byIds<SendDoc>(Collections.sends, m.sendIds)).sort((a, b) => a.at - b.at);
  const latest = sends[sends.length - 1];
  const min = (xs: (number | undefined)[]) => {
    const v = xs.filter((x): x is number => x !== undefined);
    return v.length ? Math.min(...v) : undefined;
  };
  return {
    ...(latest ? { sentAt: latest.at } : {}),
    openedAt: latest?.firstOpenAt,
    everOpenedAt: min(sends.map((x) => x.firstOpenAt)),
    dwellSeconds: sends.reduce((n, x) => n + (x.dwellSeconds ?? 0), 0),
    registeredAt: min([m.registeredAt, ...sends.map((x) => x.registeredAt)]),
  };
}

/** A send of the strategy was recorded: a new round for the customer. */
export async function noteStrategySend(send: SendDoc, now: number): Promise<void> {
  if (!send.strategyId) return;
  await react(
    memberRepo.id(send.strategyId, send.customerId),
    (m) => {
      const sendIds = m.sendIds.includes(send._id) ? m.sendIds : [...m.sendIds, send._id];
      return { sendIds, round: sendIds.length, sentAt: Math.max(m.sentAt ?? 0, send.at), openedAt: m.sendIds.includes(send._id) ? m.openedAt : undefined, ...(m.channel ? {} : { channel: send.channel }) };
    },
    new Map(),
    now,
  );
}

/** The customer opened, stayed on or registered through a send of a strategy. */
export async function reactToSend(sendId: string, now: number): Promise<void> {
  const send = await sendTrackingRepo.get(sendId);
  if (!send?.strategyId) return;
  const id = memberRepo.id(send.strategyId, send.customerId);
  const [m] = await memberRepo.getMany([id]);
  if (!m) return;
  const facts = await sendFacts(m.sendIds.includes(send._id) ? m : { ...m, sendIds: [...m.sendIds, send._id] });
  await react(id, () => facts, new Map(), now);
}

/** Event types that are facts for reactions, and the fact each sets. */
const EVENT_FACTS: Partial<Record<TouchpointType, 'checkedInAt' | 'testDroveAt' | 'orderedAt'>> = { store_visit: 'checkedInAt', test_drive: 'testDroveAt', order: 'orderedAt' };

/** Whether events of these types can matter to a customer's strategies (the pipeline's cheap test). */
export const reactsTo = (types: readonly TouchpointType[]) => types.some((t) => EVENT_FACTS[t] !== undefined);

/** Events applied to a customer in active strategies: visits, test drives and orders become facts. */
export async function reactToEvents(c: Pick<StoredCustomer, '_id' | 'activeStrategies'>, events: readonly Pick<EventDoc, 'type' | 'timestamp'>[], now: number): Promise<void> {
  const relevant = events.filter((e) => EVENT_FACTS[e.type]);
  if (!relevant.length || !c.activeStrategies?.length) return;
  const memo: StrategyMemo = new Map();
  await inParallel(c.activeStrategies, 4, (strategyId) =>
    react(
      memberRepo.id(strategyId, c._id),
      (m) => {
        const out: Partial<StrategyMemberDoc> = {};
        for (const e of relevant) {
          const field = EVENT_FACTS[e.type]!;
          // Only what happened after the customer joined the strategy counts for it.
          if (e.timestamp < m.enrolledAt) continue;
          const had = out[field] ?? m[field];
          out[field] = had === undefined ? e.timestamp : Math.min(had, e.timestamp);
        }
        return out;
      },
      memo,
      now,
    ),
  );
}

/** Members the timer looks at per page. */
const DUE_PAGE = 100;

/**
 * The timer: members whose deadline has passed, soonest first, until none is left or the
 * budget is spent (the next minute's run carries on).
 */
export async function reactToDeadlines(now: number, budgetMs: number): Promise<{ members: number }> {
  const elapsed = stopwatch();
  const memo: StrategyMemo = new Map();
  let n = 0;
  for (;;) {
    const due = await memberRepo.due(now, DUE_PAGE);
    if (!due.length) break;
    await inParallel(due, 8, (m) => react(m._id, () => ({}), memo, now));
    n += due.length;
    if (due.length < DUE_PAGE || elapsed() > budgetMs) break;
  }
  return { members: n };
}

/**
 * leads: a consultant's own leads or a manager's store, ranked (grade, then score) or latest
 * activity first, with filters and search; the store's pool (公海) and claiming from it; the
 * manager's team and reassignment; and the hourly timer that recounts the consultants' lead
 * counters and returns neglected leads to the pool (a resumable job: its first slice runs here,
 * the rest in the `jobs` function).
 */
import config from './config.json';
import type { CustomerDoc, StaffDoc } from '../../types/model';
import type { ClaimResult, FilterOption, LeadFilterOptions, ParsedParams, ReassignResult, TeamMember } from '../../types/api';
import { action, defineFunction } from '../_lib/entry';
import { ApiError, invalidInput } from '../_lib/errors';
import { customerRepo, leadCursorKey, parseCursor, type FacetCount, type LeadQuery, type LeadRow } from '../_lib/repo/customers';
import { staffRepo } from '../_lib/repo/staff';
import { loadLookups } from '../_lib/lookups';
import { loadsAsDecided } from '../_lib/allocation';
import { loadRepo } from '../_lib/repo/loads';
import { noSuchCustomer } from '../_lib/scope';
import { runAndContinue, startRecycling } from '../_lib/jobs';
import { sliceBudget } from '../_core/jobs';
import { pageOf } from '../_core/cursor';
import { inParallel } from '../_core/parallel';
import { toLeadSummary, type Lookups } from '../_core/views';
import { claimDecision, reassign, DEFAULT_POLICY, type ConsultantLoad, type ReassignResult as ReassignPlan, CLAIM_MESSAGES, REASSIGN_MESSAGES } from '../_core/allocation';
import { channelName, modelById, tagById } from '../_core/catalog';
import {
  filterIssues,
  parseSearch,
  raceMessage,
  reassignSummary,
  releaseToPool,
  slaOverdueCutoffs,
  type ReassignTarget,
} from '../_core/leads';

/**
 * How long after its last write a lead counter is recounted: longer than any call that reserves
 * a lead and then changes its owner can run (the longest function timeout is 60 s).
 */
const COUNTER_QUIET_MS = 10 * 60_000;

type FilterParams = ParsedParams<'leads', 'pool'>;

/** Filter options shown per kind: enough to choose from on a phone, not a wall of chips. */
const OPTION_LIMITS = { tags: 30, models: 20, channels: 20 } as const;
/** Conditional writes in flight at once (bulk reassignment). */
const WRITE_CONCURRENCY = 10;

function leadQuery(p: FilterParams, scope: { storeId: string; ownerId?: string }, now: number): LeadQuery {
  const issues = filterIssues(p);
  if (issues.length) throw invalidInput(issues);
  const q: LeadQuery = { ...scope, sort: p.sort };
  if (p.grades?.length) q.grades = p.grades;
  if (p.stages?.length) q.stages = p.stages;
  if (p.tagId) q.tagId = p.tagId;
  if (p.modelId) q.modelId = p.modelId;
  if (p.channel) q.channel = p.channel;
  if (p.q) q.search = parseSearch(p.q);
  if (p.overdue) q.overdue = slaOverdueCutoffs(now, DEFAULT_POLICY);
  return q;
}

async function leadsPage(p: FilterParams, scope: { storeId: string; ownerId?: string }, withOwner: boolean, now: number) {
  const q = leadQuery(p, scope, now);
  const [rows, lookups] = await Promise.all([customerRepo.leadsPage(q, parseCursor(p.cursor), p.limit), loadLookups(now)]);
  const page = pageOf<LeadRow>(rows, p.limit, leadCursorKey(q.sort));
  return {
    items: page.items.map((r) => toLeadSummary(r, lookups, withOwner, now)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}


/**
 * A reassignment plan whose moves are already reserved on the target's counters (capacity
 * only: a manager's assignment is not held to the daily cap, but counts toward it). When a
 * concurrent change took the room meanwhile, plan again with fresh counters.
 */
async function reservedPlan(manager: { role: 'manager'; storeId: string }, leads: Parameters<typeof reassign>[1], staff: StaffDoc, now: number): Promise<ReassignPlan> {
  // First without the counters: a refusal (the target is no consultant, no lead of the store
  // to move) must not make the target a counter document, which reading them does the first time.
  const unloaded = reassign(manager, leads, loadsAsDecided([staff], new Map())[0], DEFAULT_POLICY);
  if (!unloaded.ok || !unloaded.moves.length) return unloaded;
  for (let attempt = 0; ; attempt++) {
    const load = loadsAsDecided([staff], await loadRepo.of([staff], now))[0];
    const plan = reassign(manager, leads, load, DEFAULT_POLICY);
    if (!plan.ok || !plan.moves.length) return plan;
    if (await loadRepo.reserve(staff, { n: plan.moves.length, capacity: staff.capacity }, now)) return plan;
    if (attempt >= 3) return { ...plan, moves: [], rejected: [...plan.rejected, ...plan.moves.map((m) => ({ leadId: m.leadId, code: 'AT_CAPACITY' as const, message: REASSIGN_MESSAGES.AT_CAPACITY }))] };
  }
}

function options(counts: FacetCount[], name: (id: string) => string | undefined, limit: number): FilterOption[] {
  return counts
    .flatMap((c) => {
      const n = name(c.id);
      return n ? [{ id: c.id, name: n, count: c.count }] : [];
    })
    .slice(0, limit);
}

/**
 * Carries out a reassignment plan with one conditional write per lead (the target's counters
 * were reserved for every move before), then gives back what was not used and the previous
 * owners' counts.
 */
async function applyPlan(plan: Extract<ReassignPlan, { ok: true }>, requested: readonly string[], storeId: string, to: string | undefined, lookups: Lookups, now: number) {
  const movedSet = new Set(plan.unchanged);
  const refusedBy = new Map(plan.rejected.map((r) => [r.leadId, r.message]));
  const releasedBy = new Map<string, number>();
  let moved = 0;
  await loadRepo.touch(plan.moves.flatMap((m) => (m.from ? [m.from] : [])), now);
  await inParallel(plan.moves, WRITE_CONCURRENCY, async (m) => {
    if (await customerRepo.moveOwner(m.leadId, storeId, m.from, to, now)) {
      moved++;
      if (m.from) releasedBy.set(m.from, (releasedBy.get(m.from) ?? 0) + 1);
      return movedSet.add(m.leadId);
    }
    // The lead changed hands since it was read: report it, never overwrite.
    const current = await customerRepo.getFields(m.leadId, ['ownerId']);
    if (current && current.ownerId === to) return movedSet.add(m.leadId);
    refusedBy.set(m.leadId, raceMessage(current, lookups.staffName));
    return undefined;
  });
  await Promise.all([
    ...[...releasedBy].map(([staffId, n]) => loadRepo.release(staffId, n, now)),
    ...(to ? [loadRepo.release(to, plan.moves.length - moved, now, { today: true })] : []),
  ]);
  const order = [...new Set(requested)];
  return {
    moved: order.filter((id) => movedSet.has(id)),
    refused: order.flatMap((id) => (refusedBy.has(id) ? [{ customerId: id, message: refusedBy.get(id)! }] : [])),
  };
}

export const main = defineFunction(
  'leads',
  {
    list: action(['consultant', 'manager'], async (params, { caller, now }) => {
      if (caller.role === 'consultant' && params.ownerId && params.ownerId !== caller.staffId) {
        throw new ApiError('FORBIDDEN', 'ownerId: consultants see only their own leads');
      }
      const ownerId = caller.role === 'consultant' ? caller.staffId : params.ownerId;
      return leadsPage(params, { storeId: caller.storeId, ...(ownerId ? { ownerId } : {}) }, caller.role === 'manager', now);
    }),

    pool: action(['consultant', 'manager'], async (params, { caller, now }) => leadsPage(params, { storeId: caller.storeId, ownerId: 'pool' }, false, now)),

    claim: action(['consultant'], async ({ customerId: named }, { caller, now }): Promise<ClaimResult> => {
      // A merged-away lead (a stale pool list) stands for its survivor, as everywhere else; claiming
      // the tombstone itself could never take it and answered "claimed" for nothing.
      const [lead, staff] = await Promise.all([customerRepo.live<CustomerDoc>(named), staffRepo.get(caller.staffId)]);
      if (!lead || lead.storeId !== caller.storeId) throw noSuchCustomer();
      const customerId = lead._id;
      if (!staff) throw new ApiError('UNAUTHENTICATED', 'the account behind this session no longer exists');
      const loadNow = async (): Promise<ConsultantLoad> => loadsAsDecided([staff], await loadRepo.of([staff], now))[0];
      // Refusals about the lead itself (someone else's, a cooldown) are decided without the
      // counters: reading them makes the counter document the first time, and a refusal writes nothing.
      let decision = claimDecision(lead, loadsAsDecided([staff], new Map())[0], DEFAULT_POLICY, now);
      if (decision.ok && !decision.alreadyYours) {
        let load = await loadNow();
        decision = claimDecision(lead, load, DEFAULT_POLICY, now);
        // Reserve the room first: of concurrent claims only those that fit the limits get this far.
        if (decision.ok && !(await loadRepo.reserve(staff, { n: 1, capacity: staff.capacity, dailyCap: DEFAULT_POLICY.dailyCap }, now))) {
          // Refused by the counters: whichever limit is reached now is the answer.
          load = await loadNow();
          const code = load.activeLeads >= staff.capacity ? 'AT_CAPACITY' : 'DAILY_CAP';
          decision = { ok: false, code, message: CLAIM_MESSAGES[code] };
        } else if (decision.ok && !(await customerRepo.takeFromPool(customerId, caller.staffId, now))) {
          await loadRepo.release(staff._id, 1, now, { today: true });
          // Someone else's claim (or a manager's assignment) landed first: ask again with the lead as it is now.
          const current = await customerRepo.get(customerId);
          decision = claimDecision(current ?? lead, load, DEFAULT_POLICY, now);
        }
      }
      if (!decision.ok) return { claimed: false, code: decision.code, message: decision.message };
      const claimed = decision.alreadyYours ? lead : { ...lead, ownerId: caller.staffId, assignedAt: now, firstContactAt: undefined, recycledFrom: undefined };
      return { claimed: true, lead: toLeadSummary(claimed, await loadLookups(now), false, now) };
    }),

    filters: action(['consultant', 'manager'], async (params, { caller, now }): Promise<LeadFilterOptions> => {
      const owner = params.pool ? 'pool' : caller.role === 'consultant' ? caller.staffId : undefined;
      const q = leadQuery({ ...params, sort: 'rank', limit: 1 }, { storeId: caller.storeId, ...(owner ? { ownerId: owner } : {}) }, now);
      // Ask for a few more than shown: ids unknown to the catalog are dropped.
      const f = await customerRepo.facets(q, { tags: OPTION_LIMITS.tags + 10, models: OPTION_LIMITS.models + 5, channels: OPTION_LIMITS.channels });
      return {
        tags: options(f.tags, (id) => tagById(id)?.name, OPTION_LIMITS.tags),
        models: options(f.models, (id) => modelById(id)?.name, OPTION_LIMITS.models),
        channels: options(f.channels, channelName, OPTION_LIMITS.channels),
      };
    }),

    team: action(['manager'], async (_params, { caller, now }): Promise<TeamMember[]> => {
      const consultants = await staffRepo.consultantsOf(caller.storeId);
      const cutoffs = slaOverdueCutoffs(now, DEFAULT_POLICY);
      const [loads, overdue] = await Promise.all([loadRepo.of(consultants, now), Promise.all(consultants.map((s) => customerRepo.countOverdue(s._id, cutoffs)))]);
      return consultants.map((s, i) => ({
        id: s._id,
        name: s.name,
        modelLines: s.modelLines,
        capacity: s.capacity,
        activeLeads: loads.get(s._id)?.active ?? 0,
        receivedToday: loads.get(s._id)?.today ?? 0,
        overdue: overdue[i],
      }));
    }),

    reassign: action(['manager'], async ({ customerIds, to }, { caller, now }): Promise<ReassignResult> => {
      const found = new Map((await customerRepo.getMany(customerIds)).map((c) => [c._id, c]));
      // Unknown ids look like other stores' leads, so ids cannot be probed.
      const leads = customerIds.map((id) => {
        const c = found.get(id);
        return c ? { id, storeId: c.storeId, ...(c.ownerId ? { ownerId: c.ownerId } : {}) } : { id, storeId: '' };
      });
      const manager = { role: caller.role, storeId: caller.storeId };
      let plan: ReassignPlan;
      let target: ReassignTarget;
      if (to === 'pool') {
        plan = releaseToPool(manager, leads, DEFAULT_POLICY);
        target = { kind: 'pool' };
      } else {
        const staff = await staffRepo.get(to);
        if (!staff || staff.storeId !== caller.storeId) {
          throw new ApiError('NOT_FOUND', 'to: no such consultant in your store', [{ field: 'to', message: 'no such consultant in your store' }]);
        }
        plan = await reservedPlan(manager, leads, staff, now);
        target = { kind: 'consultant', name: staff.name };
      }
      if (!plan.ok) {
        const field = plan.code === 'TOO_MANY' ? 'customerIds' : 'to';
        throw new ApiError('INVALID_INPUT', `${field}: cannot reassign (${plan.code})`, [{ field, message: plan.message }]);
      }
      const result = await applyPlan(plan, customerIds, caller.storeId, to === 'pool' ? undefined : to, await loadLookups(now), now);
      return { ...result, message: reassignSummary(target, result.moved.length, result.refused) };
    }),
  },
  {
    timers: {
      // Hourly (one timer per function): first the lead counters a crash left high are brought
      // back to the truth, so no consultant stays blocked from claiming by leads they do not hold;
      // then leads without follow-up for their grade's number of days go back to the store's pool.
      recycle: async (now) => {
        const consultants = (await staffRepo.all()).filter((s) => s.role === 'consultant' && s.active);
        const recount = await loadRepo.recountAll(consultants, now, COUNTER_QUIET_MS);
        return { ...(await runAndContinue((await startRecycling(now))._id, { budget: sliceBudget(config.timeout), now })), recount };
      },
    },
  },
);

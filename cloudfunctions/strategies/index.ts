/**
 * strategies: the manager's MA strategies (audience + material + channel + send window +
 * reaction rules), issued as tasks to the consultants, with live progress and funnels; the
 * manager's home (store KPIs, notices). The `react` timer, every minute, runs the reaction
 * deadlines that passed and, once a day from 09:00, care for owners (birthdays, holidays).
 * See docs/decisions/0017-strategies-and-reaction-rules.md.
 */
import config from './config.json';
import type { FunnelView, IssueResult, StrategyProgress, StrategyView } from '../../types/api';
import type { StrategyDoc, StrategyMemberDoc } from '../../types/model';
import { FUNNEL_STEP_LABELS, SEND_CHANNEL_LABELS } from '../../types/vocabulary';
import { action, defineFunction } from '../_lib/entry';
import { ApiError, invalidInput } from '../_lib/errors';
import { loadLookups } from '../_lib/lookups';
import { reactToDeadlines, startIssue } from '../_lib/strategies';
import { runAndContinue } from '../_lib/jobs';
import { jobRepo } from '../_lib/repo/jobs';
import { isUnfinished, jobIds, progressOf, SLICE_ITEMS } from '../_core/jobs';
import { runCare } from '../_lib/care';
import { audienceRepo } from '../_lib/repo/audiences';
import { customerRepo } from '../_lib/repo/customers';
import { materialRepo } from '../_lib/repo/materials';
import { memberRepo, noticeRepo, strategyRepo } from '../_lib/repo/strategies';
import { DEFAULT_POLICY } from '../_core/allocation/policy';
import { slaStatus } from '../_core/allocation/sla';
import { chinaDayStart, DAY } from '../_core/events/day-buckets';
import { tagById } from '../_core/catalog/tags';
import { actionText, checkRules, conditionText, FUNNEL_STEPS, funnelOf, nodesOf, stepRates, type FunnelCounts } from '../_core/strategies';
import type { ReactionRule } from '../../types/strategy';

/** The slice an issue call runs itself: short, the manager is waiting (the rest runs in the `jobs` function). */
const FIRST_SLICE = { maxItems: SLICE_ITEMS, softMs: 5_000 };

const noSuchStrategy = () => new ApiError('NOT_FOUND', 'strategyId: no such strategy', [{ field: 'strategyId', message: 'no such strategy' }]);

/** The store's own strategy; another store's reads like one that does not exist. */
async function strategyOf(storeId: string, id: string): Promise<StrategyDoc> {
  const s = await strategyRepo.get(id);
  if (!s || s.storeId !== storeId) throw noSuchStrategy();
  return s;
}

function ruleLines(rules: readonly ReactionRule[], names: (id: string) => string | undefined, depth = 0): string[] {
  return rules.flatMap((r) => [
    `${'　'.repeat(depth)}${depth ? '且' : '若'}${conditionText(r.when)}${r.then.length ? ` → ${r.then.map((a) => actionText(a, { tag: (t) => tagById(t)?.name, strategy: names })).join('、')}` : ''}`,
    ...ruleLines(r.next ?? [], names, depth + 1),
  ]);
}

async function view(s: StrategyDoc): Promise<StrategyView> {
  const moves = nodesOf(s.rules).flatMap((n) => n.then.flatMap((a) => (a.kind === 'move' ? [a.strategyId] : [])));
  const [audience, material, targets, run] = await Promise.all([
    audienceRepo.get(s.storeId, s.audienceId),
    materialRepo.get(s.materialId),
    moves.length ? strategyRepo.getMany(moves) : [],
    s.status === 'issued' ? jobRepo.get(jobIds.strategyIssue(s._id)) : undefined,
  ]);
  const names = new Map(targets.filter((t) => t.storeId === s.storeId).map((t) => [t._id, t.name]));
  return {
    id: s._id,
    name: s.name,
    audienceId: s.audienceId,
    ...(audience ? { audience: { name: audience.name, count: audience.count } } : {}),
    materialId: s.materialId,
    ...(material ? { material: { title: material.title, kind: material.kind } } : {}),
    channel: s.channel,
    window: s.window,
    rules: s.rules,
    holdoutPercent: s.holdoutPercent,
    status: s.status,
    version: s.version,
    updatedAt: s.updatedAt,
    ...(s.issuedAt ? { issuedAt: s.issuedAt } : {}),
    ...(s.issued ? { issued: s.issued } : {}),
    ruleLines: ruleLines(s.rules, (id) => names.get(id)),
    // An issue still going (or one that gave up): how far it got.
    ...(run && run.status !== 'done' ? { issuing: progressOf(run) } : {}),
  };
}

const pct = (x: number) => Math.round(x * 100);

function funnelView(label: string, c: FunnelCounts): FunnelView {
  const rates = stepRates(c);
  return {
    label,
    steps: FUNNEL_STEPS.map((key) => ({ key, label: FUNNEL_STEP_LABELS[key], count: c[key], rateFromPrevious: key === 'invited' ? 100 : pct(rates[key]), rateFromInvited: c.invited ? pct(c[key] / c.invited) : 0 })),
  };
}

export const main = defineFunction(
  'strategies',
  {
    list: action(['manager'], async (_p, { caller }) => {
      const list = await strategyRepo.ofStore(caller.storeId);
      return list.map((s) => ({
        id: s._id,
        name: s.name,
        status: s.status,
        updatedAt: s.updatedAt,
        ...(s.issuedAt ? { issuedAt: s.issuedAt } : {}),
        invited: (s.issued?.members ?? 0) - (s.issued?.holdout ?? 0),
      }));
    }),

    get: action(['manager'], async ({ strategyId }, { caller }) => view(await strategyOf(caller.storeId, strategyId))),

    save: action(['manager'], async (p, { caller, now }) => {
      const existing = await strategyRepo.get(p.strategyId);
      if (existing && existing.storeId !== caller.storeId) throw noSuchStrategy();
      if ((existing?.version ?? 0) !== p.expectedVersion) throw new ApiError('CONFLICT', `expectedVersion: the strategy is at version ${existing?.version ?? 0}`);
      const [audience, material] = await Promise.all([audienceRepo.get(caller.storeId, p.audienceId), materialRepo.get(p.materialId)]);
      const issues = checkRules(p.rules, (t) => !!tagById(t), p.strategyId);
      if (!audience) issues.push({ field: 'audienceId', message: 'no such audience' });
      if (!material || material.archived || (material.storeId !== undefined && material.storeId !== caller.storeId)) issues.push({ field: 'materialId', message: 'no such material' });
      const moves = nodesOf(p.rules).flatMap((n) => n.then.flatMap((a) => (a.kind === 'move' ? [a.strategyId] : [])));
      if (moves.length) {
        const found = new Set((await strategyRepo.getMany(moves)).filter((t) => t.storeId === caller.storeId).map((t) => t._id));
        for (const m of moves) if (!found.has(m)) issues.push({ field: 'rules', message: `no strategy ${m} to move customers into` });
      }
      if (issues.length) throw invalidInput(issues);
      const doc: StrategyDoc = {
        _id: p.strategyId,
        storeId: caller.storeId,
        name: p.name,
        audienceId: p.audienceId,
        materialId: p.materialId,
        ...(material!.activityId ? { activityId: material!.activityId } : {}),
        channel: p.channel,
        window: p.window,
        rules: p.rules,
        holdoutPercent: p.holdoutPercent,
        status: existing?.status ?? 'draft',
        version: p.expectedVersion + 1,
        createdBy: existing?.createdBy ?? caller.staffId,
        createdAt: existing?.createdAt ?? now,
        updatedBy: caller.staffId,
        updatedAt: now,
        ...(existing?.issuedAt ? { issuedAt: existing.issuedAt, issuedBy: existing.issuedBy } : {}),
        ...(existing?.issued ? { issued: existing.issued } : {}),
      };
      const saved = existing ? await strategyRepo.replace(doc, existing.version) : await strategyRepo.create(doc);
      if (!saved) throw new ApiError('CONFLICT', 'expectedVersion: someone saved the strategy meanwhile');
      return view(doc);
    }),

    // Issuing is a resumable job (docs/decisions/0010-resumable-jobs.md): its first slice runs in
    // this call, which covers most audiences; a larger one goes on in the `jobs` function and the
    // manager sees its progress on the strategy (`issuing`). A second call joins the run under way.
    issue: action(['manager'], async ({ strategyId }, { caller, now }): Promise<IssueResult> => {
      const s = await strategyOf(caller.storeId, strategyId);
      if (s.status === 'ended') throw new ApiError('CONFLICT', 'strategyId: the strategy has ended');
      const { job, audience } = await startIssue(s, caller.staffId, now);
      await runAndContinue(job._id, { budget: FIRST_SLICE, now });
      const [run, after] = await Promise.all([jobRepo.get(job._id), strategyOf(caller.storeId, strategyId)]);
      const r = run?.issue ?? { members: 0, holdout: 0, tasks: 0, allocated: 0, unallocated: 0 };
      const going = run && isUnfinished(run);
      const message = going
        ? `正在下发：已处理 ${run.processed} / ${progressOf(run).total} 位客户，其余在后台继续`
        : r.members
          ? `已下发 ${r.tasks} 个任务${r.holdout ? `，${r.holdout} 位客户为对照组（不发送）` : ''}${r.unallocated ? `，${r.unallocated} 位公海客户暂无顾问可分配` : ''}`
          : '人群中没有新客户，未重复下发';
      return { strategy: await view(after), audience, ...r, message, ...(going ? { job: progressOf(run) } : {}) };
    }),

    progress: action(['manager'], async ({ strategyId }, { caller, now }): Promise<StrategyProgress> => {
      const s = await strategyOf(caller.storeId, strategyId);
      const members: StrategyMemberDoc[] = [];
      for await (const page of memberRepo.pagesOf(s._id)) members.push(...page.filter((m) => m.storeId === caller.storeId));
      const [f, lookups, v] = await Promise.all([funnelOf(members), loadLookups(now), view(s)]);
      const opened = members.filter((m) => !m.holdout && m.everOpenedAt !== undefined);
      return {
        strategy: v,
        total: funnelView(s.name, f.total),
        byConsultant: [...f.byConsultant].sort((a, b) => b[1].invited - a[1].invited || a[0].localeCompare(b[0])).map(([id, c]) => funnelView(lookups.staffName(id) ?? '顾问', c)),
        byChannel: [...f.byChannel].map(([ch, c]) => funnelView(ch === 'unsent' ? '尚未发送' : SEND_CHANNEL_LABELS[ch], c)),
        ...(f.holdout.members ? { holdout: { members: f.holdout.members, treatedRate: pct(f.treated.rate), holdoutRate: pct(f.holdout.rate), upliftPoints: pct(f.uplift ?? 0) } } : {}),
        averageDwellSeconds: opened.length ? Math.round(opened.reduce((n, m) => n + m.dwellSeconds, 0) / opened.length) : 0,
        at: now,
      };
    }),

    home: action(['manager'], async (_p, { caller, now }) => {
      const [counts, awaiting, notices] = await Promise.all([
        customerRepo.storeCounts(caller.storeId, chinaDayStart(now), now - 7 * DAY),
        customerRepo.awaitingFirstContactInStore(caller.storeId),
        noticeRepo.latest(caller.storeId, 10),
      ]);
      const overdue = awaiting.filter((c) => {
        const due = c.oem?.lead?.firstContactDueAt;
        return slaStatus({ assignedAt: c.assignedAt, ...(c.grade ? { grade: c.grade } : {}), ...(due !== undefined && due > c.assignedAt ? { dueAt: due } : {}) }, now, DEFAULT_POLICY).deadline < now;
      }).length;
      return {
        kpis: {
          newLeadsToday: counts.newToday,
          overdueFirstContacts: overdue,
          followUpRate: counts.activeLeads ? Math.round((counts.followedUp / counts.activeLeads) * 100) : 0,
          followedUp: counts.followedUp,
          activeLeads: counts.activeLeads,
        },
        notices: notices.map((n) => ({ id: n._id, text: n.text, at: n.at, read: n.readAt !== undefined })),
      };
    }),
  },
  {
    timers: {
      // Within 60% of the function's timeout, like a job slice (docs/decisions/0010-resumable-jobs.md).
      react: async (now) => ({ ...(await reactToDeadlines(now, config.timeout * 1000 * 0.4)), care: await runCare(now) }),
    },
  },
);

/**
 * audiences: a store manager's saved audiences (人群圈选). `preview` counts a rule live over the
 * store's customers (the warm per-store index of `_lib/audiences.ts`, no event read), with a
 * sample of members and the rule in Chinese; a condition the store does not count yet is named
 * (保存后统计). `save` keeps a versioned rule as a dynamic audience (whoever matches now) or a
 * snapshot (the members as of the save); a rule that needs new counters extends the store's
 * counter set and starts the backfill job. Every read and write is the caller's store's.
 */
import type { AudienceMemberView, AudienceView, MissingCounterView } from '../../types/api';
import type { AudienceLeaf, AudienceNode, AudienceRule } from '../../types/audience';
import type { AudienceDoc, AudienceSpecDoc } from '../../types/model';
import { STAGE_LABELS } from '../../types/vocabulary';
import { counterDefOf, describeAudience, matchesOfRule, validateAudienceRule } from '../_core/audiences';
import { progressOf, jobIds } from '../_core/jobs';
import { evaluateRule, forgetSpec, specOf } from '../_lib/audiences';
import { action, defineFunction } from '../_lib/entry';
import { ApiError, invalidInput } from '../_lib/errors';
import { continueLater, startAudienceBackfill } from '../_lib/jobs';
import { loadLookups } from '../_lib/lookups';
import { audienceMemberRepo, audienceRepo, audienceSpecRepo } from '../_lib/repo/audiences';
import { customerRepo } from '../_lib/repo/customers';
import { jobRepo } from '../_lib/repo/jobs';

const noSuchAudience = () => new ApiError('NOT_FOUND', 'audienceId: no such audience', [{ field: 'audienceId', message: 'no such audience' }]);

/** The catalog checks of a rule (tags, models, channels, properties), each issue on `rule.<path>`. */
function checkedRule(rule: AudienceRule, now: number): AudienceRule {
  const r = validateAudienceRule(rule, now);
  if (!r.ok) throw invalidInput(r.issues.map((i) => ({ field: `rule.${i.field}`, message: i.message })));
  return r.rule;
}

async function describe(rule: AudienceRule, now: number): Promise<string> {
  const lookups = await loadLookups(now);
  return describeAudience(rule, { storeName: lookups.storeName, staffName: lookups.staffName });
}

/** The behaviour conditions whose counters are missing, in Chinese. */
async function missingViews(rule: AudienceRule, missing: readonly string[], now: number): Promise<MissingCounterView[]> {
  if (!missing.length) return [];
  const wanted = new Set(missing);
  const out = new Map<string, string>();
  const walk = (n: AudienceNode): void => {
    if (n.kind === 'and' || n.kind === 'or') n.of.forEach(walk);
    else if (n.kind === 'not') walk(n.of);
    else if (n.kind === 'behaviour') {
      const id = counterDefOf(n.event).id;
      if (wanted.has(id) && !out.has(id)) out.set(id, describeAudience({ version: 1, root: n as AudienceLeaf }));
    }
  };
  walk(rule.root);
  void now;
  return [...out].map(([counterId, description]) => ({ counterId, description }));
}

async function memberViews(ids: readonly string[], storeId: string, now: number): Promise<AudienceMemberView[]> {
  if (!ids.length) return [];
  const [rows, lookups] = await Promise.all([customerRepo.memberRows(storeId, ids), loadLookups(now)]);
  const byId = new Map(rows.map((r) => [r._id, r]));
  return ids.flatMap((id) => {
    const c = byId.get(id);
    if (!c) return [];
    const owner = c.ownerId ? lookups.staffName(c.ownerId) : undefined;
    return [{ customerId: c._id, name: c.name, stageLabel: STAGE_LABELS[c.stage], ...(c.grade ? { grade: c.grade } : {}), ...(owner ? { ownerName: owner } : {}) }];
  });
}

async function viewOf(a: AudienceDoc, now: number, live?: { count?: number }): Promise<AudienceView> {
  const lookups = await loadLookups(now);
  const pending = (a.pendingCounters?.length ?? 0) > 0;
  const job = pending ? await jobRepo.get(jobIds.audienceBackfill(a.storeId)) : undefined;
  const count = a.mode === 'snapshot' ? (a.snapshotAt !== undefined ? a.count : null) : live ? (live.count ?? null) : pending ? null : a.count;
  const by = lookups.staffName(a.updatedBy);
  return {
    id: a._id,
    name: a.name,
    rule: a.rule,
    mode: a.mode,
    status: a.status,
    version: a.version,
    description: a.description,
    count,
    countedAt: live?.count !== undefined ? now : a.countedAt,
    ...(a.snapshotAt !== undefined ? { snapshotAt: a.snapshotAt } : {}),
    ...(job && pending ? { backfill: progressOf(job) } : {}),
    updatedAt: a.updatedAt,
    ...(by ? { updatedByName: by } : {}),
  };
}

/**
 * An audience whose counters were being backfilled, brought up to date once they are ready:
 * its pending mark goes, and a snapshot freezes its members now.
 */
async function settle(a: AudienceDoc, now: number): Promise<{ doc: AudienceDoc; count?: number; sample?: string[] }> {
  const sample = 8;
  if (a.mode === 'snapshot' && a.snapshotAt !== undefined) return { doc: a };
  const r = a.status === 'active' ? await evaluateRule(a.storeId, a.rule, now, { members: a.mode === 'snapshot', sample }) : undefined;
  if (!r || r.count === undefined) return { doc: a };
  let doc = a;
  if (a.pendingCounters?.length || a.mode === 'snapshot') {
    const { pendingCounters: _p, ...rest } = a;
    doc = { ...rest, count: r.count, countedAt: now };
    if (a.mode === 'snapshot') {
      await audienceMemberRepo.insert(a._id, a.storeId, r.members ?? []);
      doc.snapshotAt = now;
    }
    await audienceRepo.save(doc, a.version);
  }
  return { doc, count: r.count, sample: r.sample };
}

/** The store's counter set with the rule's matches added (never dropped on save: a concurrent save may need them). */
function withMatches(current: AudienceSpecDoc | undefined, storeId: string, rule: AudienceRule, now: number): AudienceSpecDoc | undefined {
  const before = specOf(current?.matches);
  const after = specOf([...(current?.matches ?? []), ...matchesOfRule(rule)]);
  if (current && after.sig === before.sig) return current;
  const ready = specOf(current?.readyMatches);
  const readyNow = after.ids.every((id) => ready.byId.has(id));
  const matches = after.counters.map((c) => c.match);
  return { _id: storeId, sig: after.sig, matches, readySig: readyNow ? after.sig : ready.sig, readyMatches: readyNow ? matches : ready.counters.map((c) => c.match), updatedAt: now };
}

export const main = defineFunction('audiences', {
  preview: action(['manager'], async ({ rule, sample }, { caller, now }) => {
    const checked = checkedRule(rule, now);
    const [r, description] = await Promise.all([evaluateRule(caller.storeId, checked, now, { sample }), describe(checked, now)]);
    const [members, missing] = await Promise.all([memberViews(r.sample ?? [], caller.storeId, now), missingViews(checked, r.missing, now)]);
    return { count: r.count ?? null, total: r.total, sample: members, description, missing, countedAt: now };
  }),

  save: action(['manager'], async ({ audienceId, name, rule, mode, expectedVersion }, { caller, now }) => {
    const checked = checkedRule(rule, now);
    const existing = await audienceRepo.get(caller.storeId, audienceId);
    // An edit of an audience the store does not have (another store's) reads like an unknown one.
    if (!existing && expectedVersion > 0) throw noSuchAudience();
    if ((existing?.version ?? 0) !== expectedVersion) {
      throw new ApiError('CONFLICT', `expectedVersion: the audience is at version ${existing?.version ?? 0}; reload it and apply your change again`, [
        { field: 'expectedVersion', message: `the stored audience is version ${existing?.version ?? 0}` },
      ]);
    }
    const spec = await audienceSpecRepo.update(caller.storeId, (cur) => withMatches(cur, caller.storeId, checked, now));
    forgetSpec(caller.storeId);
    const r = await evaluateRule(caller.storeId, checked, now, { members: mode === 'snapshot' });
    const doc: AudienceDoc = {
      _id: audienceId,
      storeId: caller.storeId,
      name,
      rule: checked,
      mode,
      status: 'active',
      version: expectedVersion + 1,
      description: await describe(checked, now),
      count: r.count ?? 0,
      countedAt: now,
      ...(r.missing.length ? { pendingCounters: r.missing } : {}),
      createdBy: existing?.createdBy ?? caller.staffId,
      createdAt: existing?.createdAt ?? now,
      updatedBy: caller.staffId,
      updatedAt: now,
    };
    // A snapshot's members are written before the document that names them (a retry rewrites the same ids).
    if (mode === 'snapshot' && r.count !== undefined) {
      await audienceMemberRepo.insert(audienceId, caller.storeId, r.members ?? []);
      doc.snapshotAt = now;
    }
    if (!(await audienceRepo.save(doc, expectedVersion))) {
      throw new ApiError('CONFLICT', 'expectedVersion: someone saved this audience a moment ago; reload it and apply your change again', [
        { field: 'expectedVersion', message: 'the stored audience changed while saving' },
      ]);
    }
    if (spec && spec.readySig !== spec.sig) {
      const job = await startAudienceBackfill(caller.storeId, spec.sig, caller.staffId, now);
      await continueLater(job._id);
    }
    return viewOf(doc, now, r.count !== undefined ? { count: r.count } : undefined);
  }),

  list: action(['manager'], async (_params, { caller, now }) => {
    const docs = await audienceRepo.list(caller.storeId);
    const settled = await Promise.all(docs.map((d) => settle(d, now)));
    return Promise.all(settled.map((s) => viewOf(s.doc, now, s.count !== undefined ? { count: s.count } : undefined)));
  }),

  get: action(['manager'], async ({ audienceId, sample }, { caller, now }) => {
    const a = await audienceRepo.get(caller.storeId, audienceId);
    if (!a) throw noSuchAudience();
    const s = await settle(a, now);
    let ids = s.sample ?? [];
    if (s.doc.mode === 'snapshot' && s.doc.snapshotAt !== undefined) {
      ids = [];
      for await (const page of audienceMemberRepo.pages(caller.storeId, audienceId)) {
        for (const m of page) if (ids.length < sample) ids.push(m.customerId);
        if (ids.length >= sample) break;
      }
    }
    const [view, members] = await Promise.all([viewOf(s.doc, now, s.count !== undefined ? { count: s.count } : undefined), memberViews(ids.slice(0, sample), caller.storeId, now)]);
    return { ...view, sample: members };
  }),

  archive: action(['manager'], async ({ audienceId }, { caller, now }) => {
    if (!(await audienceRepo.archive(caller.storeId, audienceId, caller.staffId, now))) {
      const a = await audienceRepo.get(caller.storeId, audienceId);
      if (!a) throw noSuchAudience();
      return viewOf(a, now);
    }
    const a = (await audienceRepo.get(caller.storeId, audienceId))!;
    return viewOf(a, now);
  }),
});

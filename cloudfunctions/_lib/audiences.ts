/**
 * Audiences wired to the database: each store's counter set, the features the pipeline keeps
 * on customers, and the per-store columnar index live counts and members are evaluated on.
 *
 * Membership is not stored per customer: it is a function of the customer's features and
 * profile (both on the customer document, written by whoever changes them) and of the time.
 * A warm function instance keeps one `AudienceIndex` per store; every use first reads the
 * store's counter set and the customers written since its last look (one round trip of latency
 * for both), so an instance never answers from rows another instance changed
 * (docs/decisions/0016-audiences.md, "Wiring").
 *
 * For other functions (strategies): `membersOf(storeId, audienceId, { ownerId })`.
 */
import type { ConsentPurpose as AudienceConsent, EventMatch } from '../../types/audience';
import { Collections, type AudienceDoc, type AudienceSpecDoc, type CurrentConsents, type EventDoc, type StoredAudienceFeatures, type StoredCustomer } from '../../types/model';
import {
  AudienceIndex,
  compileAudience,
  counterSpec,
  emptyFeatures,
  featuresStatus,
  MissingCounterError,
  profileOf,
  refitFeatures,
  type AudienceFeatures,
  type AudienceProfile,
  type CounterSpec,
} from '../_core/audiences';
import { _, pagesOf } from './cloud';
import { ApiError, notFound } from './errors';
import { audienceMemberRepo, audienceRepo, audienceSpecRepo } from './repo/audiences';
import { customerRepo } from './repo/customers';
import { eventRepo } from './repo/events';

// ---------- counter sets ----------

const specs = new Map<string, CounterSpec>();

/** The same compiled set for the same matches (compiling is cheap, but the index keys on identity). */
export function specOf(matches: readonly EventMatch[] | undefined): CounterSpec {
  const spec = counterSpec(matches ?? []);
  const known = specs.get(spec.sig);
  if (known) return known;
  specs.set(spec.sig, spec);
  return spec;
}

/**
 * How long the pipeline trusts the counter set it read for a store. A customer whose features
 * carry another signature makes it read again at once; the backfill job and the index loader
 * fit whatever a stale instance left behind.
 */
export const SPEC_TTL_MS = 30_000;
const pipelineSpecs = new Map<string, { doc: Promise<AudienceSpecDoc | undefined>; at: number }>();

/**
 * The store's counter set as the pipeline keeps it (`sig`), cached per instance (the read
 * itself, so the customers of one batch, applied in parallel, share it); undefined: no audiences.
 */
export async function keptSpecOf(storeId: string, now: number, fresh = false): Promise<CounterSpec | undefined> {
  let hit = pipelineSpecs.get(storeId);
  if (fresh || !hit || now - hit.at >= SPEC_TTL_MS || now < hit.at) {
    hit = { doc: audienceSpecRepo.get(storeId), at: now };
    pipelineSpecs.set(storeId, hit);
    hit.doc.catch(() => pipelineSpecs.get(storeId) === hit && pipelineSpecs.delete(storeId));
  }
  const doc = await hit.doc;
  return doc && doc.matches.length ? specOf(doc.matches) : undefined;
}

/** Forgets what this instance knows of a store's counter set (after a save here). */
export function forgetSpec(storeId: string): void {
  pipelineSpecs.delete(storeId);
}

// ---------- one customer ----------

/** The audience purposes a customer's consent ledger grants. */
export function audienceConsents(c: { consent?: CurrentConsents }): AudienceConsent[] {
  const out: AudienceConsent[] = [];
  if (c.consent?.contact?.granted) out.push('marketing');
  if (c.consent?.oem_sharing?.granted) out.push('group_sharing');
  return out;
}

export function audienceProfileOf(c: Parameters<typeof profileOf>[0] & { consent?: CurrentConsents }): AudienceProfile {
  return profileOf(c, audienceConsents(c));
}

/** The customer's features as the pure core types them. */
export const featuresOf = (c: Pick<StoredCustomer, 'audienceFeatures'>): AudienceFeatures | undefined => c.audienceFeatures as AudienceFeatures | undefined;

export const storedFeatures = (f: AudienceFeatures): StoredAudienceFeatures => ({ v: 1, sig: f.sig, ids: [...f.ids], d: f.d });

/**
 * Features fitted to `spec` without the history when that is possible (the same set, or only
 * counters to drop, or no counters at all); undefined when a counter must be backfilled.
 */
export function fitWithoutHistory(f: AudienceFeatures | undefined, spec: CounterSpec): AudienceFeatures | undefined {
  if (!f) return spec.ids.length ? undefined : emptyFeatures(spec);
  if (f.sig === spec.sig) return f;
  const status = featuresStatus(f, spec);
  if (!status.current && status.missing.length) return undefined;
  return refitFeatures(f, spec);
}

/** Features fitted to `spec` from the customer's (and merged customers') projected events. */
export function fitFromHistory(f: AudienceFeatures | undefined, spec: CounterSpec, events: readonly EventDoc[]): AudienceFeatures {
  return refitFeatures(f ?? { v: 1, sig: '', ids: [], d: [] }, spec, events);
}

// ---------- the per-store index ----------

/** Fields the index reads of a customer. */
const INDEX_FIELDS = ['storeId', 'ownerId', 'stage', 'grade', 'score.total', 'tags', 'vehiclesOfInterest', 'vehiclesOwned', 'consent', 'audienceFeatures', 'mergedInto', 'mergedIds', 'updatedAt'] as const;

/**
 * A write's `updatedAt` is its writer's clock when the write began; a transaction commits up to
 * 30 s later. Each refresh re-reads a minute back, so a late commit is never missed.
 */
const COMMIT_LAG_MS = 60_000;

interface StoreIndex {
  storeId: string;
  spec: CounterSpec;
  ix: AudienceIndex;
  /** Largest `updatedAt` seen. */
  seen: number;
  builtAt: number;
}

const indexes = new Map<string, StoreIndex>();
/** Builds under way, by store and counter set: concurrent first previews share one. */
const building = new Map<string, Promise<StoreIndex>>();

type IndexRow = Pick<StoredCustomer, '_id' | 'storeId' | 'ownerId' | 'stage' | 'grade' | 'score' | 'tags' | 'vehiclesOfInterest' | 'vehiclesOwned' | 'consent' | 'audienceFeatures' | 'mergedInto' | 'mergedIds' | 'updatedAt'>;

/** Rows fitted to the ready set; those that need their history read it in one walk. */
async function fitRows(rows: readonly IndexRow[], spec: CounterSpec): Promise<{ row: IndexRow; features: AudienceFeatures }[]> {
  const out: { row: IndexRow; features: AudienceFeatures }[] = [];
  const behind: IndexRow[] = [];
  for (const row of rows) {
    const f = fitWithoutHistory(featuresOf(row), spec);
    if (f) out.push({ row, features: f });
    else behind.push(row);
  }
  if (behind.length) {
    // Stragglers (a customer a stale instance wrote, a merge's survivor): rare, read in bulk.
    const events = await projectedHistories(behind);
    for (const row of behind) out.push({ row, features: fitFromHistory(featuresOf(row), spec, events(row)) });
  }
  return out;
}

async function buildIndex(storeId: string, spec: CounterSpec, now: number): Promise<StoreIndex> {
  const ids: string[] = [];
  const features: AudienceFeatures[] = [];
  const profiles: AudienceProfile[] = [];
  let seen = 0;
  for await (const page of pagesOf<IndexRow>(Collections.customers, { storeId, mergedInto: _.exists(false) }, { fields: INDEX_FIELDS })) {
    for (const { row, features: f } of await fitRows(page, spec)) {
      ids.push(row._id);
      features.push(f);
      profiles.push(audienceProfileOf(row));
      if (row.updatedAt > seen) seen = row.updatedAt;
    }
  }
  const ix = AudienceIndex.build(spec, { ids, features, profiles }, { capacity: ids.length + 1024 });
  return { storeId, spec, ix, seen: Math.max(seen, now - COMMIT_LAG_MS), builtAt: now };
}

function changedSince(storeId: string, since: number): AsyncGenerator<IndexRow[]> {
  return pagesOf<IndexRow>(Collections.customers, { storeId, updatedAt: _.gte(since - COMMIT_LAG_MS) }, { fields: INDEX_FIELDS });
}

async function refreshIndex(s: StoreIndex, pages: readonly IndexRow[][]): Promise<void> {
  for (const page of pages) {
    for (const { row, features } of await fitRows(page.filter((r) => !r.mergedInto), s.spec)) s.ix.upsert(row._id, features, audienceProfileOf(row));
    for (const row of page) {
      if (row.mergedInto) s.ix.remove(row._id);
      if (row.updatedAt > s.seen) s.seen = row.updatedAt;
    }
  }
}

/**
 * The store's index, current as of now: built on first use in this instance (or when the
 * store's ready counter set changed), else brought up to date with the customers written since
 * its last look. The counter set and the changed rows are read at once.
 */
export async function storeIndex(storeId: string, now: number): Promise<StoreIndex> {
  const warm = indexes.get(storeId);
  const collect = async (): Promise<IndexRow[][]> => {
    const out: IndexRow[][] = [];
    if (warm) for await (const page of changedSince(storeId, warm.seen)) out.push(page);
    return out;
  };
  const [doc, changed] = await Promise.all([audienceSpecRepo.get(storeId), collect()]);
  const spec = specOf(doc?.readyMatches);
  if (warm && warm.spec.sig === spec.sig) {
    await refreshIndex(warm, changed);
    return warm;
  }
  const key = `${storeId}|${spec.sig}`;
  let pending = building.get(key);
  if (!pending) {
    pending = buildIndex(storeId, spec, now).then(
      (built) => {
        indexes.set(storeId, built);
        building.delete(key);
        return built;
      },
      (err: unknown) => {
        building.delete(key);
        throw err;
      },
    );
    building.set(key, pending);
  }
  return pending;
}

export interface LiveCount {
  /** Undefined when the rule needs counters the store does not keep yet (counted after saving). */
  count?: number;
  /** Counter ids the rule needs that the store's ready set lacks. */
  missing: string[];
  /** Live customers of the store in the index. */
  total: number;
  /** The members (customer ids), when asked for. */
  members?: string[];
  /** Up to `sample` members picked at random (stable for a rule), when asked for. */
  sample?: string[];
}

/** A rule's members now, over the store's index. */
export async function evaluateRule(storeId: string, rule: AudienceDoc['rule'], now: number, opts: { ownerId?: string | null; members?: boolean; sample?: number } = {}): Promise<LiveCount> {
  const s = await storeIndex(storeId, now);
  const compiled = compileAudience(rule);
  const total = s.ix.size;
  const missing = compiled.counterIds.filter((id) => !s.spec.byId.has(id));
  if (missing.length) return { missing, total };
  try {
    const bits = compiled.evaluate(s.ix, now);
    if (opts.ownerId !== undefined) {
      const code = opts.ownerId === null ? 0 : s.ix.ownerCode(opts.ownerId);
      const drop: number[] = [];
      bits.forEach((row) => void (s.ix.owner[row] !== code && drop.push(row)));
      for (const row of drop) bits.delete(row);
    }
    const out: LiveCount = { count: bits.count(), missing: [], total };
    if (opts.members) out.members = s.ix.members(bits);
    if (opts.sample) out.sample = s.ix.sample(bits, opts.sample, 0x5eed);
    return out;
  } catch (err) {
    if (err instanceof MissingCounterError) return { missing: [err.counterId], total };
    throw err;
  }
}

// ---------- the backfill job ----------

/** Conditional writes retried per customer when an event's transaction wrote it in between. */
const BACKFILL_TRIES = 3;

/**
 * One page of a store's backfill (the `audienceBackfill` job): customers after `afterId` in
 * `_id` order whose features lack a counter of the set `sig` get it counted from their stored
 * history (read in one walk for the page) and written only if the customer did not change
 * since it was read; one that did is read again (an event's transaction that refitted it
 * meanwhile leaves nothing to do). The last page marks the set ready for live counts. A set
 * that is no longer the store's ends the job (the save that replaced it started its own run).
 */
export async function backfillPage(storeId: string, sig: string, afterId: string | undefined, limit: number, now: number): Promise<{ lastId?: string; read: number; written: number }> {
  const doc = await audienceSpecRepo.get(storeId);
  if (!doc || doc.sig !== sig) return { read: 0, written: 0 };
  const spec = specOf(doc.matches);
  const page = await customerRepo.pageInIdOrder<StoredCustomer>({ storeId }, afterId, limit);
  if (!page.length) {
    await audienceSpecRepo.markReady(storeId, sig, now);
    return { read: 0, written: 0 };
  }
  let written = 0;
  let todo = page.filter((c) => !c.mergedInto && !fitWithoutHistory(featuresOf(c), spec));
  for (let round = 0; todo.length && round < BACKFILL_TRIES; round++) {
    const events = await projectedHistories(todo);
    const again: string[] = [];
    await Promise.all(
      todo.map(async (c) => {
        const f = fitFromHistory(featuresOf(c), spec, events(c));
        if (await customerRepo.patchIfUnchanged(c._id, c.updatedAt, { audienceFeatures: storedFeatures(f) }, [], now)) written++;
        else again.push(c._id);
      }),
    );
    todo = (await customerRepo.getMany<StoredCustomer>(again)).filter((c) => !c.mergedInto && !fitWithoutHistory(featuresOf(c), spec));
  }
  if (todo.length) throw new Error(`audience backfill of ${storeId}: ${todo.length} customers kept changing`);
  return { lastId: page[page.length - 1]._id, read: page.length, written };
}

/** The projected events of these customers (and those merged into them), in one walk. */
async function projectedHistories(customers: readonly Pick<StoredCustomer, '_id' | 'mergedIds'>[]): Promise<(c: Pick<StoredCustomer, '_id' | 'mergedIds'>) => EventDoc[]> {
  const byCustomer = new Map<string, EventDoc[]>();
  for (const e of await eventRepo.ofCustomers(customers.flatMap((c) => [c._id, ...(c.mergedIds ?? [])]))) {
    if ((e as { pending?: boolean }).pending) continue;
    const list = byCustomer.get(e.customerId) ?? byCustomer.set(e.customerId, []).get(e.customerId)!;
    list.push(e);
  }
  return (c) => [c._id, ...(c.mergedIds ?? [])].flatMap((id) => byCustomer.get(id) ?? []);
}

// ---------- the contract other functions use ----------

export interface MembersOptions {
  /** Only the members this consultant owns; `null`: only those in the store's pool. */
  ownerId?: string | null;
  /** The time membership is judged at (the function's clock). */
  now: number;
}

/**
 * The customer ids of a saved audience of the store (bulk: read page by page whatever the
 * cloud's read cap). A dynamic audience is whoever matches its rule now; a snapshot is the
 * members frozen when it was saved (still of the store, not merged away, and owned by
 * `ownerId` now when it is given). NOT_FOUND for an unknown id or another store's audience;
 * CONFLICT while a dynamic audience waits for its counters' backfill.
 */
export async function membersOf(storeId: string, audienceId: string, opts: MembersOptions): Promise<string[]> {
  const audience = await audienceRepo.get(storeId, audienceId);
  if (!audience) throw notFound('audience');
  if (audience.mode === 'snapshot') {
    const frozen: string[] = [];
    for await (const page of audienceMemberRepo.pages(storeId, audienceId)) for (const m of page) frozen.push(m.customerId);
    if (!frozen.length) return [];
    const now = await customerRepo.liveIn(storeId, frozen);
    return now.filter((c) => opts.ownerId === undefined || (c.ownerId ?? null) === opts.ownerId).map((c) => c._id);
  }
  const r = await evaluateRule(storeId, audience.rule, opts.now, { ownerId: opts.ownerId, members: true });
  if (r.count === undefined) throw new ApiError('CONFLICT', `audience ${audienceId} waits for its counters to be backfilled`);
  return r.members ?? [];
}

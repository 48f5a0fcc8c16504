/**
 * `oneid.resolve_per_s`: identifier sets, as events carry them, resolved to customers against
 * an identity index of ~1M identifiers: `identifiersFrom` (normalise, drop placeholders), the
 * owners of the known identifiers, the candidate customers (and whoever they were merged
 * into, `missingCandidates`), then `resolve`. In process, the index is a Map and the customers
 * another. `oneid.resolve_sdk_per_s`: the same with both lookups through the real
 * wx-server-sdk against the emulator (as the track function does), 8 requests in flight.
 *
 * The population is synthetic: customers with a phone, unionid, openid, WeCom external id or
 * OEM id each with a fixed chance (~3.4 identifiers per customer, like the demo), stored as
 * the identity and customer documents OneID reads. The incoming mix: returning people (part
 * of their identifiers), returning people with an identifier new to us, new people, one
 * person's phone with another's unionid (merge or conflict) and placeholders.
 */
import { newCustomer, type OneIdCustomer } from '../cloudfunctions/_core/oneid/customer';
import { identifierKey, identifiersFrom, type Identifier } from '../cloudfunctions/_core/oneid/identifiers';
import { missingCandidates, resolve, type ResolveCandidate, type ResolvePlan } from '../cloudfunctions/_core/oneid/resolve';
import { Collections, type IdentityDoc, type IdentityType } from '../types/model';
import type { BigStore } from './big-store';
import { got, sdkDb } from './profile-read';
import { figure, type Figure } from './report';
import { msSince, prng } from './stats';

export interface OneIdOptions {
  identifiers: number;
  inProcessResolves: number;
  sdkSeconds: number;
  sdkConcurrency: number;
}

export const ONEID_DEFAULTS: OneIdOptions = { identifiers: 1_000_000, inProcessResolves: 200_000, sdkSeconds: 5, sdkConcurrency: 8 };

/** Chance that a customer holds each identifier type (sum ~3.4, as in the demo). */
const HOLDS: Record<IdentityType, number> = { phone: 0.85, unionid: 0.75, openid: 0.8, externalUserId: 0.6, oemId: 0.4 };
const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const info = (line: string) => process.stderr.write(`  oneid: ${line}\n`);

/** Identifier values of person `i` (customers are 0..n-1; higher numbers are new people). */
function valueOf(type: IdentityType, i: number): string {
  const n = String(i + 100_000).padStart(9, '0');
  switch (type) {
    case 'phone':
      return `13${n}`;
    case 'oemId':
      return `LS${n}`;
    case 'unionid':
      return `oU_${n}`;
    case 'externalUserId':
      return `wm_${n}`;
    case 'openid':
      return `oP_${n}`;
  }
}

interface Population {
  index: Map<string, string>;
  customers: Map<string, OneIdCustomer>;
  /** Each customer's identifiers. */
  held: Identifier[][];
}

function population(identifiers: number): Population {
  const rand = prng(11);
  const index = new Map<string, string>();
  const customers = new Map<string, OneIdCustomer>();
  const held: Identifier[][] = [];
  for (let i = 0; index.size < identifiers; i++) {
    const ids: Identifier[] = [];
    for (const type of Object.keys(HOLDS) as IdentityType[]) if (rand() < HOLDS[type]) ids.push({ type, value: valueOf(type, i) });
    if (!ids.length) ids.push({ type: 'openid', value: valueOf('openid', i) });
    const id = `oid-${i}`;
    customers.set(id, newCustomer({ id, identifiers: ids, storeId: 'store-sh-pudong', sourceChannel: 'miniprogram', now: NOW - i * 1000, source: 'customer' }));
    for (const x of ids) index.set(identifierKey(x), id);
    held.push(ids);
  }
  return { index, customers, held };
}

type RawIdentities = Partial<Record<IdentityType, string>>;

const raw = (ids: readonly Identifier[]): RawIdentities => Object.fromEntries(ids.map((x) => [x.type, x.type === 'phone' ? `${x.value.slice(0, 3)} ${x.value.slice(3, 7)} ${x.value.slice(7)}` : x.value]));

/** The incoming identifier sets, deterministic. */
function incoming(p: Population, n: number): RawIdentities[] {
  const rand = prng(23);
  const people = p.held.length;
  const some = (ids: Identifier[]) => ids.filter(() => rand() < 0.6).concat(ids[Math.floor(rand() * ids.length)]);
  const out: RawIdentities[] = [];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rand() * people);
    const r = rand();
    if (r < 0.5) out.push(raw(some(p.held[i])));
    else if (r < 0.65) out.push({ ...raw(some(p.held[i])), openid: valueOf('openid', people + k) });
    else if (r < 0.85) out.push({ phone: valueOf('phone', people + k), openid: valueOf('openid', people + k) });
    else if (r < 0.95) out.push({ phone: valueOf('phone', i), unionid: valueOf('unionid', (i + 1 + Math.floor(rand() * 1000)) % people) });
    else out.push({ phone: '13800138000', openid: valueOf('openid', i) });
  }
  return out;
}

/** Resolves one identifier set with the two lookups OneID needs. */
async function resolveOne(
  identities: RawIdentities,
  owners: (keys: string[]) => Promise<Record<string, string>> | Record<string, string>,
  load: (ids: string[]) => Promise<ResolveCandidate[]> | ResolveCandidate[],
): Promise<ResolvePlan> {
  const { identifiers } = identifiersFrom(identities);
  const known = await owners(identifiers.map(identifierKey));
  const candidates: ResolveCandidate[] = [];
  for (let round = 0; round < 5; round++) {
    const missing = missingCandidates({ owners: known, candidates });
    if (!missing.length) return resolve({ incoming: identifiers, owners: known, candidates });
    candidates.push(...(await load(missing)));
  }
  throw new Error('oneid bench: candidates kept changing');
}

/** The same without promises: what the in-process figure measures. */
function resolveSync(identities: RawIdentities, p: Population): ResolvePlan {
  const { identifiers } = identifiersFrom(identities);
  const known: Record<string, string> = {};
  for (const x of identifiers) {
    const key = identifierKey(x);
    const owner = p.index.get(key);
    if (owner !== undefined) known[key] = owner;
  }
  const candidates: ResolveCandidate[] = [];
  for (;;) {
    const missing = missingCandidates({ owners: known, candidates });
    if (!missing.length) return resolve({ incoming: identifiers, owners: known, candidates });
    for (const id of missing) candidates.push(p.customers.get(id)!);
  }
}

/** Identity documents are store-scoped; the bench's population lives in one store. */
const BENCH_STORE = 'bench-store';

export async function oneIdBench(store: BigStore | undefined, record: (f: Figure) => void, o: OneIdOptions = ONEID_DEFAULTS): Promise<void> {
  let t = process.hrtime.bigint();
  const p = population(o.identifiers);
  const sets = incoming(p, o.inProcessResolves);
  info(`${p.index.size} identifiers of ${p.customers.size} customers built in ${(msSince(t) / 1000).toFixed(1)} s`);

  for (const s of sets.slice(0, 5_000)) resolveSync(s, p);
  const kinds: Record<string, number> = {};
  t = process.hrtime.bigint();
  for (const s of sets) {
    const plan = resolveSync(s, p);
    kinds[plan.kind] = (kinds[plan.kind] ?? 0) + 1;
  }
  const seconds = msSince(t) / 1000;
  info(`in process: ${sets.length} sets in ${seconds.toFixed(2)} s; plans ${JSON.stringify(kinds)}`);
  record(figure('oneid.resolve_per_s', sets.length / seconds, 'resolves/s'));

  if (!store) return;
  t = process.hrtime.bigint();
  const identities: IdentityDoc[] = [];
  for (const [key, customerId] of p.index) {
    const sep = key.indexOf(':');
    identities.push({ _id: `${BENCH_STORE}/${key}`, storeId: BENCH_STORE, type: key.slice(0, sep) as IdentityType, value: key.slice(sep + 1), customerId, source: 'store' });
  }
  for (let i = 0; i < identities.length; i += 20_000) store.emulator.db.insertMany(Collections.identities, identities.slice(i, i + 20_000));
  identities.length = 0;
  const docs = [...p.customers.values()];
  for (let i = 0; i < docs.length; i += 20_000) store.emulator.db.insertMany(Collections.customers, docs.slice(i, i + 20_000));
  info(`identities and customers loaded into the emulator in ${(msSince(t) / 1000).toFixed(1)} s`);

  const db = sdkDb();
  const _ = db.command;
  const owners = async (keys: string[]) => {
    if (!keys.length) return {};
    const found = await got<IdentityDoc[]>(db.collection(Collections.identities).where({ _id: _.in(keys.map((k) => `${BENCH_STORE}/${k}`)) }).limit(keys.length));
    return Object.fromEntries(found.map((d) => [d._id.slice(BENCH_STORE.length + 1), d.customerId]));
  };
  const load = (ids: string[]) => got<ResolveCandidate[]>(db.collection(Collections.customers).where({ _id: _.in(ids) }).limit(ids.length));

  // Loading blocked the event loop long enough for kept-alive sockets to be dropped: the
  // first read may fail on a dead one, the next opens a fresh one.
  for (let attempt = 1; ; attempt++) {
    try {
      await owners([identifierKey({ type: 'phone', value: valueOf('phone', 0) })]);
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  // The store must give the same plans as the in-process index.
  for (const s of sets.slice(0, 200)) {
    const a = JSON.stringify(await resolveOne(s, owners, load));
    if (a !== JSON.stringify(resolveSync(s, p))) throw new Error(`oneid bench: emulator and in-process plans differ for ${JSON.stringify(s)}`);
  }
  let next = 200;
  let done = 0;
  const deadline = Date.now() + o.sdkSeconds * 1000;
  t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: o.sdkConcurrency }, async () => {
      while (Date.now() < deadline) {
        await resolveOne(sets[next++ % sets.length], owners, load);
        done++;
      }
    }),
  );
  const sdkSeconds = msSince(t) / 1000;
  info(`through the SDK: ${done} sets in ${sdkSeconds.toFixed(1)} s, ${o.sdkConcurrency} in flight`);
  record(figure('oneid.resolve_sdk_per_s', done / sdkSeconds, 'resolves/s'));
}

/**
 * The one place that initialises wx-server-sdk. Everything that reads or writes the cloud
 * database imports `db` and `_` from here; the same code runs in CloudBase and on the emulator.
 * Also here: how the platform's errors are recognised, and reads that page by what came back.
 */
import cloud from 'wx-server-sdk';
import { inParallel } from '../_core/parallel';

// The SDK's typings omit the symbol it documents for "the environment this function runs in".
// keepalive: false is what the SDK picks itself inside CloudBase (TENCENTCLOUD_RUNENV=SCF).
// Elsewhere (the local cloud) it would default to its own keep-alive agent of at most 100
// sockets, and each request queued behind those leaves a 'connect' listener on a socket that
// has long connected (MaxListenersExceededWarning under the chaos test's load); Node's own
// agent still keeps connections alive.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string, keepalive: false } as Parameters<typeof cloud.init>[0]);

// throwOnNotFound: false makes `doc(id).get()` of a missing document answer `{ data: null }`
// (what the server sends) instead of an error that can only be told apart by its text.
export const db = cloud.database({ throwOnNotFound: false } as Parameters<typeof cloud.database>[0]);
export const _ = db.command;

export interface WxIdentity {
  openid?: string;
  appid?: string;
  unionid?: string;
}

/** The mini-program caller as the platform vouches for it (empty for HTTP access and timers). */
export function wxIdentity(): WxIdentity {
  const ctx = cloud.getWXContext();
  return { openid: ctx.OPENID || undefined, appid: ctx.APPID || undefined, unionid: ctx.UNIONID || undefined };
}

/**
 * How this run was triggered, as the platform set it: `wx_client`, `wx_http`, `wx_trigger`
 * (timer), with `,scf` appended per function-to-function hop. It is the value
 * getWXContext().SOURCE reports (wx-server-sdk copies TCB_SOURCE), read directly because the SDK
 * reports nothing at all when WX_CONTEXT_KEYS is unset. No caller can choose it: see
 * docs/decisions/0005-timers-trust-the-platform-source.md.
 */
export function invocationSource(): string | undefined {
  return process.env.TCB_SOURCE || undefined;
}

/** The client's address as the platform saw it (mini-program calls; the emulator's HTTP access). */
export function platformClientIp(): string | undefined {
  const ctx = cloud.getWXContext() as { CLIENTIP?: unknown; CLIENTIPV6?: unknown };
  const ip = ctx.CLIENTIP || ctx.CLIENTIPV6;
  return typeof ip === 'string' && ip ? ip : undefined;
}

/**
 * Calls another function of this environment and waits at most `waitMs` for its answer
 * (wx-server-sdk's request timeout). The callee runs on when the wait ends: CloudBase does not
 * stop an invocation whose caller stopped listening.
 */
export async function callFunction(name: string, data: object, waitMs: number): Promise<unknown> {
  // The SDK's typings omit `timeout`, which it passes on to the request.
  const options = { name, data, timeout: waitMs } as Parameters<typeof cloud.callFunction>[0];
  const res = (await cloud.callFunction(options)) as { result?: unknown };
  return res.result;
}

/**
 * The phone number behind the code of the mini-program's getPhoneNumber button, as the platform
 * vouches for it (cloud call 云调用 `phonenumber.getPhoneNumber`; the function's config.json
 * lists the permission). undefined when the platform refuses the code (used, expired, made up).
 */
export async function phoneOfCode(code: string): Promise<string | undefined> {
  type PhoneApi = { phonenumber: { getPhoneNumber(p: { code: string }): Promise<{ phoneInfo?: { purePhoneNumber?: string; countryCode?: string } }> } };
  try {
    const res = await (cloud.openapi as unknown as PhoneApi).phonenumber.getPhoneNumber({ code });
    const phone = res.phoneInfo?.purePhoneNumber;
    return phone && (res.phoneInfo?.countryCode ?? '86') === '86' ? phone : undefined;
  } catch (err) {
    // WeChat's refusals of the code itself (40029 invalid code, 40163 used); anything else is a failure.
    const code = (err as { errCode?: unknown }).errCode;
    if (code === 40029 || code === 40163 || code === 40013) return undefined;
    throw err;
  }
}

// ---------- errors ----------

/**
 * What a database failure means, recognised by code. wx-server-sdk keeps only a numeric
 * `errCode` and folds every code it has no number for into -501001 (SYS_ERR), carrying the
 * server's own error code in the message: `[ResourceUnavailable.TransactionConflict]`,
 * `[ResourceUnavailable.TransactionNotExist]`, MongoDB's `E11000`. A raw node-sdk error (a
 * conflict at commit) still has the string `code`. Sources: emulator/README.md "Errors".
 */
export type CloudFailure = 'duplicate' | 'conflict' | 'transaction-gone' | 'missing-collection';

const SYS_ERR = -501001;
const DATABASE_REQUEST_FAILED = -502001;
const DATABASE_COLLECTION_NOT_EXIST = -502005;

interface SdkError {
  errCode?: unknown;
  code?: unknown;
  message?: unknown;
  errMsg?: unknown;
}

export function cloudFailureOf(err: unknown): CloudFailure | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as SdkError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const errCode = typeof e.errCode === 'number' ? e.errCode : undefined;
  const text = String(e.errMsg ?? e.message ?? '');
  if (code === 'DATABASE_TRANSACTION_CONFLICT') return 'conflict';
  if (code === 'DATABASE_TRANSACTION_FAIL') return 'transaction-gone';
  if (code === 'DATABASE_DUPLICATE_WRITE') return 'duplicate';
  if (code === 'DATABASE_COLLECTION_NOT_EXIST' || errCode === DATABASE_COLLECTION_NOT_EXIST) return 'missing-collection';
  if (errCode === DATABASE_REQUEST_FAILED || errCode === SYS_ERR) {
    if (/\bE11000\b|DATABASE_DUPLICATE_WRITE|\[FailedOperation\.DuplicateWrite\]/.test(text)) return 'duplicate';
    if (errCode === SYS_ERR && /\[ResourceUnavailable\.Transaction(Conflict|Busy)\]/.test(text)) return 'conflict';
    if (errCode === SYS_ERR && /\[ResourceUnavailable\.TransactionNotExist\]/.test(text)) return 'transaction-gone';
  }
  return undefined;
}

/** The cloud's answer to an insert whose `_id` is taken. */
export const isDuplicateKey = (err: unknown) => cloudFailureOf(err) === 'duplicate';

// ---------- reads ----------

/** Runs a query and returns its rows (the SDK's typings mix in callback overloads). */
export async function rows<T>(query: { get(): unknown }): Promise<T[]> {
  const res = (await query.get()) as { data: T[] };
  return res.data;
}

export async function firstRow<T>(query: { limit(n: number): { get(): unknown } }): Promise<T | undefined> {
  return (await rows<T>(query.limit(1)))[0];
}

/** Most ids in one `_.in` read; chunks are read together. */
const IN_CHUNK = 500;

/**
 * Fewest rows a read returns when more match. The server SDK asks for 100 without `.limit()`
 * and up to 1000 with it; no cloud answers fewer than its own default page, so a read that
 * returns fewer than this (and fewer than it asked for) returned everything. One more read to
 * see an empty page would cost a round trip on every small list.
 */
const READ_FLOOR = 100;
const complete = (returned: number, asked: number) => returned < Math.min(asked, READ_FLOOR);

interface Filterable {
  where(cond: object): { field(f: object): { limit(n: number): { get(): unknown } }; limit(n: number): { get(): unknown } };
}

/**
 * Documents of `collection` by id (only those also matching `where`, if given), however many
 * the cloud returns per read: ids not answered are asked again until a read returns nothing
 * new. Missing ids are simply absent.
 */
export async function byIds<T extends { _id: string }>(collection: string, ids: readonly string[], fields?: readonly string[], where: object = {}): Promise<T[]> {
  const wanted = [...new Set(ids)];
  const found = new Map<string, T>();
  const c = db.collection(collection) as unknown as Filterable;
  const chunks: string[][] = [];
  for (let i = 0; i < wanted.length; i += IN_CHUNK) chunks.push(wanted.slice(i, i + IN_CHUNK));
  await Promise.all(
    chunks.map(async (chunk) => {
      let rest = chunk;
      while (rest.length) {
        const q = c.where({ ...where, _id: _.in(rest) });
        const page = await rows<T>(fields ? q.field(Object.fromEntries(['_id', ...fields].map((f) => [f, true]))).limit(rest.length) : q.limit(rest.length));
        for (const d of page) found.set(d._id, d);
        if (!page.length || complete(page.length, rest.length)) break;
        rest = rest.filter((id) => !found.has(id));
      }
    }),
  );
  return [...found.values()];
}

interface Ordered {
  where(cond: object): Ordered;
  field(f: object): Ordered;
  orderBy(field: string, order: 'asc' | 'desc'): Ordered;
  limit(n: number): Ordered;
  get(): unknown;
}

/**
 * Every document matching `where`, page by page in `_id` order. A page ends the walk only when
 * it is empty or short of the read floor, so a cloud that returns fewer rows than asked never
 * truncates it.
 */
export async function* pagesOf<T extends { _id: string }>(collection: string, where: object, opts: { pageSize?: number; fields?: readonly string[] } = {}): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const cond = after === undefined ? where : _.and([where, { _id: _.gt(after) }]);
    let q = (db.collection(collection) as unknown as Ordered).where(cond);
    if (opts.fields) q = q.field(Object.fromEntries(['_id', ...opts.fields].map((f) => [f, true])));
    const asked = opts.pageSize ?? 1000;
    const page = await rows<T>(q.orderBy('_id', 'asc').limit(asked));
    if (!page.length) return;
    yield page;
    if (complete(page.length, asked)) return;
    after = page[page.length - 1]._id;
  }
}

/** All of `pagesOf`, in one array (small collections: staff, stores, materials). */
export async function allOf<T extends { _id: string }>(collection: string, where: object = {}, fields?: readonly string[]): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pagesOf<T>(collection, where, fields ? { fields } : {})) out.push(...page);
  return out;
}

// ---------- writes ----------

/** Inserts a document with its own `_id`; false when that id is taken (a concurrent insert won). */
export async function addOnce<T extends { _id: string }>(collection: string, doc: T): Promise<boolean> {
  try {
    await db.collection(collection).add({ data: doc });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Most documents in one insert request. */
const INSERT_CHUNK = 200;

/**
 * Inserts documents with their own `_id`s, a request per chunk. Returns the ids that were
 * taken already (by an earlier attempt or a concurrent writer), as their stored documents, so
 * the caller can tell its own earlier write from someone else's. When a chunk hits a taken id
 * (CloudBase may have inserted the documents before it), each of its documents is written on
 * its own.
 */
export async function insertAll<T extends { _id: string }>(collection: string, docs: readonly T[]): Promise<Map<string, T>> {
  const taken = new Map<string, T>();
  for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
    const chunk = docs.slice(i, i + INSERT_CHUNK);
    try {
      await db.collection(collection).add({ data: chunk as T[] });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = new Map((await byIds<T>(collection, chunk.map((d) => d._id))).map((d) => [d._id, d]));
      for (const d of chunk) {
        const stored = existing.get(d._id);
        if (stored) taken.set(d._id, stored);
        else if (!(await addOnce(collection, d))) taken.set(d._id, (await byIds<T>(collection, [d._id]))[0] ?? d);
      }
    }
  }
  return taken;
}

/** Keyset paging, newest first: rows after `cursor` in (`field` desc, `_id` desc) order. */
export function olderThan(field: string, cursor: { value: number; id: string }) {
  return _.or([{ [field]: _.lt(cursor.value) }, { [field]: cursor.value, _id: _.lt(cursor.id) }]);
}

// ---------- bulk writes, several requests in flight (bounded) ----------
// In the cloud each request is a round trip, and chunks of one collection do not depend on each other.

/**
 * Chunks a request carries: the SDK's `add` of an array, and the ids of one `_.in` of a write.
 * A multi-document update or remove is not paged like a read (no 100/1000-row cap applies), so
 * ids go 500 to a request as in `byIds`; 100 made the upload's `markSent` five requests a batch.
 */
const BULK_CHUNK = 200;
const ID_CHUNK = 500;
const CONCURRENCY = 4;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts documents with their own `_id`s, several chunks at once. Returns the ids that were
 * taken already, with their stored documents (see `insertAll`): for an insert-only writer a
 * taken id means "already done", or someone else's document to look at.
 */
export async function insertMany<T extends { _id: string }>(collection: string, docs: readonly T[]): Promise<Map<string, T>> {
  const taken = new Map<string, T>();
  await inParallel(chunks(docs, BULK_CHUNK), CONCURRENCY, async (chunk) => {
    for (const [id, d] of await insertAll<T>(collection, chunk)) taken.set(id, d);
  });
  return taken;
}

/** Updates the documents with these ids (and matching `where`); returns how many changed. */
export async function updateByIds(collection: string, ids: readonly string[], data: object, where: object = {}): Promise<number> {
  let updated = 0;
  await inParallel(chunks([...new Set(ids)], ID_CHUNK), CONCURRENCY, async (chunk) => {
    const res = (await db.collection(collection).where({ ...where, _id: _.in(chunk) }).update({ data })) as { stats: { updated: number } };
    updated += res.stats.updated;
  });
  return updated;
}

export async function removeByIds(collection: string, ids: readonly string[]): Promise<void> {
  await inParallel(chunks([...new Set(ids)], ID_CHUNK), CONCURRENCY, async (chunk) => {
    await db.collection(collection).where({ _id: _.in(chunk) }).remove();
  });
}

/**
 * The one place that initialises wx-server-sdk. Everything that reads or writes the cloud
 * database imports `db` and `_` from here; the same code runs in CloudBase and on the emulator.
 */
import cloud from 'wx-server-sdk';

// The SDK's typings omit the symbol it documents for "the environment this function runs in".
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export const db = cloud.database();
export const _ = db.command;

export interface WxIdentity {
  openid?: string;
  appid?: string;
  unionid?: string;
}

/** The mini-program caller as the platform vouches for it (empty for HTTP access and timers). */
export function wxIdentity(): WxIdentity {
  const ctx = cloud.getWXContext();
  return {
    openid: ctx.OPENID || undefined,
    appid: ctx.APPID || undefined,
    unionid: ctx.UNIONID || undefined,
  };
}

/** Runs a query and returns its rows (the SDK's typings mix in callback overloads). */
export async function rows<T>(query: { get(): unknown }): Promise<T[]> {
  const res = (await query.get()) as { data: T[] };
  return res.data;
}

/**
 * Ids per `in` read: far below any read cap the cloud applies (1000), so a read that returns
 * fewer rows means the others do not exist, not that they were cut off.
 */
export const READ_CHUNK = 100;

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function firstRow<T>(query: { limit(n: number): { get(): unknown } }): Promise<T | undefined> {
  return (await rows<T>(query.limit(1)))[0];
}

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

/** Keyset paging, newest first: rows after `cursor` in (`field` desc, `_id` desc) order. */
export function olderThan(field: string, cursor: { value: number; id: string }) {
  return _.or([{ [field]: _.lt(cursor.value) }, { [field]: cursor.value, _id: _.lt(cursor.id) }]);
}

/** The cloud's answer to an insert whose `_id` is taken (MongoDB's E11000). */
export function isDuplicateKey(err: unknown): boolean {
  const text = err instanceof Error ? err.message : typeof err === 'object' && err !== null ? JSON.stringify(err) : String(err);
  return /duplicate key|E11000/i.test(text);
}

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

/**
 * How this run was triggered, as the platform set it: `wx_client`, `wx_http`, `wx_trigger`
 * (timer), with `,scf` appended per function-to-function hop. It is the value
 * getWXContext().SOURCE reports (wx-server-sdk copies TCB_SOURCE), read directly because the SDK
 * reports nothing at all when WX_CONTEXT_KEYS is unset. No caller can choose it: see
 * docs/decisions/0004-timers-trust-the-platform-source.md.
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

/** Runs a query and returns its rows (the SDK's typings mix in callback overloads). */
export async function rows<T>(query: { get(): unknown }): Promise<T[]> {
  const res = (await query.get()) as { data: T[] };
  return res.data;
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

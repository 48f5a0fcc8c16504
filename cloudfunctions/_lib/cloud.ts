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

export async function firstRow<T>(query: { limit(n: number): { get(): unknown } }): Promise<T | undefined> {
  return (await rows<T>(query.limit(1)))[0];
}

/** The cloud's answer to an insert whose `_id` is taken (MongoDB's E11000). */
export function isDuplicateKey(err: unknown): boolean {
  const text = err instanceof Error ? err.message : typeof err === 'object' && err !== null ? JSON.stringify(err) : String(err);
  return /duplicate key|E11000/i.test(text);
}

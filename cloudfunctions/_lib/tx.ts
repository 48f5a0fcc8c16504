/**
 * Document transactions, one way for every caller. The SDK's own `runTransaction` retries on
 * any error (a refusal or a bug included), hides the real one and drops the callback's
 * result; `inTransaction` retries only a write conflict and keeps both. Typings too: the
 * SDK's say `any`.
 */
import { cloudFailureOf, db } from './cloud';

export interface TxDoc {
  get(): Promise<unknown>;
  set(o: { data: object }): Promise<unknown>;
  update(o: { data: object }): Promise<unknown>;
}

export interface Tx {
  collection(name: string): { doc(id: string): TxDoc };
}

export interface StartedTx extends Tx {
  commit(): Promise<unknown>;
  rollback(reason?: unknown): Promise<unknown>;
}

const isConflict = (err: unknown) => cloudFailureOf(err) === 'conflict';

/** A transactional read; undefined when the document does not exist. Errors propagate. */
export async function txGet<T>(t: Tx, collection: string, id: string): Promise<T | undefined> {
  const { data } = (await t.collection(collection).doc(id).get()) as { data?: T | null };
  return data ?? undefined;
}

/** The document as `set` takes it (the id is the doc reference's). */
export function withoutId<T extends { _id: string }>(doc: T): Omit<T, '_id'> {
  const { _id: _ignored, ...rest } = doc;
  return rest;
}

/** Sets some fields of a document, keeping the others. */
export async function txUpdate(t: Tx, collection: string, id: string, data: object): Promise<void> {
  await t.collection(collection).doc(id).update({ data });
}

/** Writes the whole document under its own `_id`. */
export async function txPut<T extends { _id: string }>(t: Tx, collection: string, doc: T): Promise<void> {
  await t.collection(collection).doc(doc._id).set({ data: withoutId(doc) });
}

/**
 * Runs `work` in a transaction and commits it, again from the start when it conflicts with a
 * concurrent writer (each conflict means another writer committed).
 */
export async function inTransaction<R>(work: (t: Tx) => Promise<R>, attempts = 8, start: () => Promise<StartedTx> = () => db.startTransaction() as Promise<StartedTx>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const t = await start();
    let result: R;
    try {
      result = await work(t);
    } catch (err) {
      await t.rollback().catch(() => undefined);
      if (attempt < attempts && isConflict(err)) continue;
      throw err;
    }
    try {
      await t.commit();
      return result;
    } catch (err) {
      if (attempt >= attempts || !isConflict(err)) throw err;
      // Jittered pause so racing writers do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}

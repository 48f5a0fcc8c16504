import { randomBytes } from 'node:crypto';
import { applyModifier, newDocId, type EmbeddedDb, type WriteOp } from './embedded-db';
import { cloneDoc, type Doc } from './ejson';
import { CloudError, cloudMessages } from './errors';

interface Touched {
  collection: string;
  id: string;
  /** The committed document when the transaction first touched it (its identity is its version). */
  observed: Doc | undefined;
}

interface Transaction {
  touched: Map<string, Touched>;
  /** Buffered final state per document: a document, or null for deleted. */
  writes: Map<string, WriteOp>;
  startedAt: number;
}

/** CloudBase aborts a transaction not committed or aborted within 30 s of its start; so does the emulator. */
export const TRANSACTION_LIFETIME_MS = 30_000;

function key(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}

/**
 * Document-level transactions with optimistic concurrency. Reads see the transaction's own
 * writes; writes are buffered until commit. Commit fails with the cloud's conflict error when
 * any document the transaction read or wrote was changed by someone else since it first
 * touched it, and then nothing of it is applied; otherwise all its writes land atomically.
 */
export class TransactionManager {
  private readonly open = new Map<string, Transaction>();

  constructor(
    private readonly db: EmbeddedDb,
    private readonly lifetimeMs = TRANSACTION_LIFETIME_MS,
  ) {}

  // Real time, not the stack's clock: the limit is the platform's, whatever the functions' date.
  start(): string {
    const now = Date.now();
    for (const [id, t] of this.open) if (now - t.startedAt > this.lifetimeMs) this.open.delete(id);
    const id = randomBytes(12).toString('hex');
    this.open.set(id, { touched: new Map(), writes: new Map(), startedAt: now });
    return id;
  }

  get(txId: string, collection: string, id: string): Doc | undefined {
    const view = this.view(this.tx(txId), collection, id);
    return view && cloneDoc(view);
  }

  insert(txId: string, collection: string, doc: Doc): string {
    const t = this.tx(txId);
    const id = doc._id === undefined || doc._id === null ? newDocId() : String(doc._id);
    if (this.view(t, collection, id)) throw new CloudError('DATABASE_REQUEST_FAILED', cloudMessages.duplicateKey(collection, id));
    t.writes.set(key(collection, id), { collection, id, doc: { ...doc, _id: doc._id ?? id }, insert: true });
    return id;
  }

  update(txId: string, collection: string, id: string, modifier: Doc): number {
    const t = this.tx(txId);
    const current = this.view(t, collection, id);
    if (!current) return 0;
    const next = applyModifier(current, modifier, { _id: current._id });
    if (!next) return 0;
    this.write(t, collection, id, next);
    return 1;
  }

  set(txId: string, collection: string, id: string, data: Doc): { updated: number; upsertedId?: string } {
    const t = this.tx(txId);
    const current = this.view(t, collection, id);
    const { _id: _ignored, ...rest } = data;
    this.write(t, collection, id, { _id: current ? current._id : id, ...rest });
    return current ? { updated: 1 } : { updated: 0, upsertedId: id };
  }

  remove(txId: string, collection: string, id: string): number {
    const t = this.tx(txId);
    if (!this.view(t, collection, id)) return 0;
    this.write(t, collection, id, null);
    return 1;
  }

  commit(txId: string): void {
    const t = this.tx(txId);
    this.open.delete(txId);
    for (const touched of t.touched.values()) {
      if (this.db.peek(touched.collection, touched.id) !== touched.observed) {
        throw new CloudError('DATABASE_TRANSACTION_CONFLICT', cloudMessages.transactionConflict);
      }
    }
    this.db.commit(Array.from(t.writes.values()));
  }

  abort(txId: string): void {
    this.tx(txId);
    this.open.delete(txId);
  }

  private tx(txId: string): Transaction {
    const t = this.open.get(txId);
    if (t && Date.now() - t.startedAt > this.lifetimeMs) this.open.delete(txId);
    if (!t || !this.open.has(txId)) throw new CloudError('DATABASE_TRANSACTION_FAIL', cloudMessages.transactionNotExist());
    return t;
  }

  private touch(t: Transaction, collection: string, id: string): Touched {
    const k = key(collection, id);
    let touched = t.touched.get(k);
    if (!touched) {
      touched = { collection, id, observed: this.db.peek(collection, id) };
      t.touched.set(k, touched);
    }
    return touched;
  }

  private view(t: Transaction, collection: string, id: string): Doc | undefined {
    const touched = this.touch(t, collection, id);
    const pending = t.writes.get(key(collection, id));
    if (pending) return pending.doc ?? undefined;
    return touched.observed;
  }

  private write(t: Transaction, collection: string, id: string, doc: Doc | null): void {
    const k = key(collection, id);
    const inserted = t.writes.get(k)?.insert === true;
    t.writes.set(k, { collection, id, doc, insert: inserted && doc !== null });
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Aggregator, ProcessingMode, Query, update as applyUpdate } from 'mingo';
import { cloneDoc, copyForStore, parseStoredArray, stringifyEjson, type Doc } from './ejson';
import { CloudError, cloudMessages } from './errors';
import { compileFastTest, firstInOrder } from './fast-match';
import { HashIndex } from './hash-index';
import { RangeIndex, rangeBoundsOf } from './range-index';
import { isValidCollectionName, loadSchemaFile, parseSchema, type DbSchema, type DbSchemaFile } from './schema';

export type { Doc } from './ejson';
export type SortSpec = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

export interface QueryPlan {
  /** Index fields (or `_id`) that narrowed the candidates; empty when the collection was scanned. */
  indexes: string[];
  /** Documents the query predicate was evaluated on. */
  examined: number;
}

/** One document write of a batch: `doc: null` deletes. `insert` fails if the id exists. */
export interface WriteOp {
  collection: string;
  id: string;
  doc: Doc | null;
  insert?: boolean;
  /** The store may keep `doc` itself: nobody else holds it (else it keeps a copy). */
  owned?: boolean;
}

/** Told of every document a committed write touched, removals included. */
export type WriteListener = (collection: string, id: string) => void;

interface Statements {
  all: Database.Statement;
  insert: Database.Statement;
  insertBatch: Database.Statement;
  upsert: Database.Statement;
  remove: Database.Statement;
}

interface Collection {
  name: string;
  docs: Map<string, Doc>;
  /** Insertion rank per id, so index-served results come back in natural (insertion) order too. */
  rank: Map<string, number>;
  nextRank: number;
  indexes: Map<string, HashIndex>;
  /** The first two keys of each compound index, for an equality and a range (see `RangeIndex`). */
  ranges: RangeIndex[];
  sql: Statements;
  /** Documents written (inserted, replaced, updated or removed) since the store opened. */
  writes: number;
}

const STORE_FILE = 'cloud.sqlite';
const FORMAT_VERSION = '1';
const TABLE_PREFIX = 'col_';
/** Rows per multi-row INSERT: fewer JS-to-SQLite calls make bulk loads ~35% faster. */
const BULK_ROWS = 1000;
const INSERT_BATCH = 200;
const LOAD_CHUNK = 50_000;
const MINGO = { idKey: '_id' } as const;

function tableName(collection: string): string {
  return `"${TABLE_PREFIX}${collection}"`;
}

/** CloudBase-style automatic `_id`: 32 lowercase hex characters. */
export function newDocId(): string {
  return randomBytes(16).toString('hex');
}

function docKey(id: unknown): string {
  return typeof id === 'string' ? id : String(id);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);
}

/**
 * The emulator's database: SQLite (better-sqlite3) is the source of truth, one table per
 * collection `(_id TEXT PRIMARY KEY, doc TEXT)` holding relaxed EJSON; every collection is also
 * held in memory, where mingo evaluates queries, updates and pipelines, and where the declared
 * equality indexes (and `_id`) narrow a query's candidates before any scan. Every write goes
 * to SQLite first, synchronously and in one SQLite transaction per call, then to memory.
 */
export class EmbeddedDb {
  private readonly collections = new Map<string, Collection>();
  private closed = false;
  private readonly writeListeners = new Set<WriteListener>();
  /** The plan of the last find/count/update/remove/aggregate, for tests and diagnostics. */
  lastPlan: QueryPlan = { indexes: [], examined: 0 };

  private constructor(
    private readonly sqlite: Database.Database,
    private readonly schema: DbSchema,
    readonly file: string,
  ) {}

  /** Opens (or creates) the store in `dir`; `schema` is a schema (database.json's content) or the path of its JSON file. */
  static open(dir: string, schema: DbSchemaFile | string): EmbeddedDb {
    const parsed = typeof schema === 'string' ? loadSchemaFile(schema) : parseSchema(schema);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, STORE_FILE);
    const sqlite = new Database(file, { timeout: 200 });
    // One emulator per store: a second opener (another `npm start`) fails instead of sharing it.
    try {
      sqlite.pragma('locking_mode = EXCLUSIVE');
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      // A bigger page cache keeps bulk inserts of random _ids (the seed's events) from thrashing.
      sqlite.pragma('cache_size = -65536');
      sqlite.exec('CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    } catch (err) {
      sqlite.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new Error(`${file} is in use by another emulator`);
      throw err;
    }
    const version = sqlite.prepare('SELECT value FROM _meta WHERE key = ?').pluck().get('format') as string | undefined;
    if (version === undefined) sqlite.prepare('INSERT INTO _meta (key, value) VALUES (?, ?)').run('format', FORMAT_VERSION);
    else if (version !== FORMAT_VERSION) {
      sqlite.close();
      throw new Error(`${file}: store format ${version}, this emulator reads format ${FORMAT_VERSION}`);
    }
    const db = new EmbeddedDb(sqlite, parsed, file);
    const existing = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'col\\_%' ESCAPE '\\'")
      .pluck()
      .all() as string[];
    const names = new Set([...Object.keys(parsed.collections), ...existing.map((t) => t.slice(TABLE_PREFIX.length))]);
    for (const name of names) db.attach(name);
    return db;
  }

  collectionNames(): string[] {
    return Array.from(this.collections.keys()).sort();
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name);
  }

  /** Throws the cloud's "collection does not exist" error for an unknown collection. */
  assertCollection(name: string): void {
    this.coll(name);
  }

  /** `db.createCollection`: fails the way the cloud does when it already exists. */
  createCollection(name: string): void {
    this.assertOpen();
    if (!isValidCollectionName(name)) throw new CloudError('INVALID_PARAM', `invalid collection name: ${name}`);
    if (this.collections.has(name)) throw new CloudError('DATABASE_COLLECTION_ALREADY_EXIST', cloudMessages.collectionExists(name));
    this.attach(name);
  }

  indexedFields(collection: string): string[] {
    return Array.from(this.coll(collection).indexes.keys());
  }

  isEmpty(): boolean {
    for (const c of this.collections.values()) if (c.docs.size > 0) return false;
    return true;
  }

  /**
   * Bulk insert in one SQLite transaction; documents without `_id` get one. Returns the ids.
   * `owned`: the caller gives the documents away (the wire's freshly parsed ones), so the store
   * keeps them instead of copies.
   */
  insertMany(collection: string, docs: readonly object[], options: { owned?: boolean } = {}): string[] {
    const c = this.coll(collection);
    const rows: Array<{ id: string; doc: Doc; text: string }> = [];
    for (const input of docs as readonly Doc[]) {
      const withId = input._id === undefined || input._id === null ? { _id: newDocId(), ...input } : input;
      const { doc, text } = options.owned ? { doc: withId, text: stringifyEjson(withId) } : copyForStore(withId);
      rows.push({ id: docKey(withId._id), doc, text });
    }
    // Bulk loads (the seed) skip the WAL's sync on checkpoints: twice as fast on slow disks, and
    // a crash mid-load leaves an empty or partial demo that the next start re-seeds anyway.
    const bulk = rows.length >= BULK_ROWS;
    if (bulk) this.sqlite.pragma('synchronous = OFF');
    try {
      this.sqlite.transaction(() => {
        let i = 0;
        const args: string[] = [];
        for (; i + INSERT_BATCH <= rows.length; i += INSERT_BATCH) {
          args.length = 0;
          for (let j = i; j < i + INSERT_BATCH; j++) args.push(rows[j].id, rows[j].text);
          c.sql.insertBatch.run(args);
        }
        for (; i < rows.length; i++) c.sql.insert.run(rows[i].id, rows[i].text);
      })();
    } catch (err) {
      // The primary key caught a duplicate (nothing was written); name it as MongoDB would.
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err;
      const seen = new Set<string>();
      const dup = rows.find((r) => c.docs.has(r.id) || seen.has(r.id) || !seen.add(r.id));
      throw new CloudError('DATABASE_REQUEST_FAILED', cloudMessages.duplicateKey(collection, dup?.id ?? ''));
    } finally {
      if (bulk) this.sqlite.pragma('synchronous = NORMAL');
    }
    for (const row of rows) this.putInMemory(c, row.id, row.doc);
    this.written(c, rows.map((r) => r.id));
    return rows.map((r) => r.id);
  }

  insertOne(collection: string, doc: object): string {
    return this.insertMany(collection, [doc])[0];
  }

  /** Matching documents (copies), like `find(query).sort().skip().limit()` with a projection. */
  find<T = Doc>(collection: string, query: object = {}, options: FindOptions = {}): T[] {
    return this.select(collection, query as Doc, options).map((d) => cloneDoc(d)) as T[];
  }

  findById<T = Doc>(collection: string, id: string | number): T | undefined {
    const doc = this.coll(collection).docs.get(docKey(id));
    return doc && (cloneDoc(doc) as T);
  }

  count(collection: string, filter: object = {}): number {
    const query = filter as Doc;
    const c = this.coll(collection);
    if (Object.keys(query).length === 0) {
      this.lastPlan = { indexes: [], examined: 0 };
      return c.docs.size;
    }
    return this.match(c, query, false).length;
  }

  /**
   * Documents matching `query` without copying them (callers must not mutate them); projected
   * documents are new objects.
   */
  select(collection: string, query: Doc, options: FindOptions = {}): Doc[] {
    const c = this.coll(collection);
    const { sort, projection } = options;
    const sorted = sort !== undefined && Object.keys(sort).length > 0;
    let docs = this.match(c, query, !sorted);
    const skip = Math.max(0, options.skip ?? 0);
    const limit = options.limit;
    if (sorted) docs = (limit !== undefined && firstInOrder(docs, sort, skip + limit)) || new Query({}, MINGO).find<Doc>(docs).sort(sort).all();
    if (skip || limit !== undefined) docs = docs.slice(skip, limit === undefined ? undefined : skip + limit);
    // Project only the page: projecting every candidate before sorting costs more than the query.
    if (projection && Object.keys(projection).length) docs = new Query({}, MINGO).find<Doc>(docs, projection).all();
    return docs;
  }

  /** Applies update operators to the matching documents (first only unless `multi`). */
  update(collection: string, query: Doc, modifier: Doc, options: { multi: boolean }): { matched: number; updated: number } {
    const c = this.coll(collection);
    const targets = this.match(c, query);
    const chosen = options.multi ? targets : targets.slice(0, 1);
    const writes: WriteOp[] = [];
    for (const doc of chosen) {
      const next = applyModifier(doc, modifier, query);
      if (next) writes.push({ collection, id: docKey(doc._id), doc: next, owned: true });
    }
    this.commit(writes);
    return { matched: chosen.length, updated: writes.length };
  }

  /** `doc(id).set(data)`: replaces the whole document, or inserts it when `upsert`. */
  replace(collection: string, id: string | number, data: Doc, options: { upsert: boolean }): { updated: number; upsertedId?: string } {
    const c = this.coll(collection);
    const key = docKey(id);
    const existing = c.docs.get(key);
    if (!existing && !options.upsert) return { updated: 0 };
    const next: Doc = { _id: existing ? existing._id : id, ...withoutId(data) };
    this.commit([{ collection, id: key, doc: next }]);
    return existing ? { updated: 1 } : { updated: 0, upsertedId: key };
  }

  remove(collection: string, query: Doc, options: { multi: boolean }): number {
    const c = this.coll(collection);
    const targets = this.match(c, query);
    const chosen = options.multi ? targets : targets.slice(0, 1);
    this.commit(chosen.map((doc) => ({ collection, id: docKey(doc._id), doc: null })));
    return chosen.length;
  }

  /**
   * Runs an aggregation pipeline; a leading `$match` uses the indexes. `$lookup` and friends
   * resolve other collections of this store.
   */
  aggregate(collection: string, pipeline: Doc[]): Doc[] {
    const c = this.coll(collection);
    let stages = pipeline;
    let source: Doc[];
    const first = stages[0];
    if (first && isPlainObject(first.$match) && Object.keys(first).length === 1) {
      source = this.match(c, first.$match);
      stages = stages.slice(1);
    } else {
      source = Array.from(c.docs.values());
      this.lastPlan = { indexes: [], examined: source.length };
    }
    const aggregator = new Aggregator(stages, {
      ...MINGO,
      processingMode: ProcessingMode.CLONE_INPUT,
      collectionResolver: (name: string) => Array.from(this.coll(name).docs.values(), (d) => cloneDoc(d)),
    });
    return aggregator.run<Doc>(source.map((d) => d));
  }

  /**
   * The stored document itself (not a copy); callers must not mutate it. Every write stores a
   * new object, so its identity is the document's version (transactions compare it at commit).
   */
  peek(collection: string, id: string | number): Doc | undefined {
    return this.coll(collection).docs.get(docKey(id));
  }

  /** Applies a batch of document writes atomically: all of them reach SQLite in one transaction, or none. */
  commit(ops: readonly WriteOp[]): void {
    if (ops.length === 0) return;
    this.assertOpen();
    const prepared = ops.map((op) => {
      const c = this.coll(op.collection);
      if (op.insert && c.docs.has(op.id)) throw new CloudError('DATABASE_REQUEST_FAILED', cloudMessages.duplicateKey(op.collection, op.id));
      const stored = op.doc ? (op.owned ? { doc: op.doc, text: stringifyEjson(op.doc) } : copyForStore(op.doc)) : undefined;
      return { op, c, doc: stored?.doc, text: stored?.text ?? '' };
    });
    this.sqlite.transaction(() => {
      for (const { op, c, text } of prepared) {
        if (op.doc) c.sql.upsert.run(op.id, text);
        else c.sql.remove.run(op.id);
      }
    })();
    for (const { op, c, doc } of prepared) {
      if (doc) this.putInMemory(c, op.id, doc);
      else this.dropFromMemory(c, op.id);
    }
    for (const { op, c } of prepared) this.written(c, [op.id]);
  }

  /**
   * How many document writes `collection` has committed since the store opened: a cheap "did
   * anything change" check (tests compare it around a call instead of hashing every document).
   * It counts writes, not differences: a write that stores the same content counts too.
   */
  writeCount(collection: string): number {
    return this.coll(collection).writes;
  }

  /** `writeCount` of every collection, by name. */
  writeCounts(): Record<string, number> {
    return Object.fromEntries(Array.from(this.collections.values(), (c) => [c.name, c.writes]));
  }

  /** Calls `listener` with each document a committed write touches; returns the unsubscribe. */
  onWrite(listener: WriteListener): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /**
   * SHA-256 of a collection's stored content (every `_id` and document text, by `_id`), read
   * from SQLite, which every write reaches first: equal hashes mean equal content.
   */
  contentHash(collection: string): string {
    const hash = createHash('sha256');
    for (const [id, doc] of this.coll(collection).sql.all.raw().iterate() as IterableIterator<[string, string]>) hash.update(id).update('\t').update(doc).update('\n');
    return hash.digest('hex');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sqlite.close();
    this.collections.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('EmbeddedDb is closed');
  }

  private coll(name: string): Collection {
    this.assertOpen();
    const c = this.collections.get(name);
    if (!c) throw new CloudError('DATABASE_COLLECTION_NOT_EXIST', cloudMessages.collectionNotExist(name));
    return c;
  }

  private attach(name: string): void {
    const table = tableName(name);
    this.sqlite.exec(`CREATE TABLE IF NOT EXISTS ${table} (_id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
    const c: Collection = {
      name,
      docs: new Map(),
      rank: new Map(),
      nextRank: 0,
      writes: 0,
      indexes: new Map((this.schema.collections[name]?.indexes ?? []).map((f) => [f, new HashIndex(f)])),
      ranges: (this.schema.collections[name]?.cloudIndexes ?? [])
        .filter((i) => i.keys.length >= 2 && i.keys[0].field !== '_id' && !i.keys[0].field.includes('.') && !i.keys[1].field.includes('.'))
        .map((i) => new RangeIndex(i.name, i.keys[0].field, i.keys[1].field)),
      sql: {
        all: this.sqlite.prepare(`SELECT _id, doc FROM ${table} ORDER BY _id`),
        insert: this.sqlite.prepare(`INSERT INTO ${table} (_id, doc) VALUES (?, ?)`),
        insertBatch: this.sqlite.prepare(`INSERT INTO ${table} (_id, doc) VALUES ${Array(INSERT_BATCH).fill('(?, ?)').join(', ')}`),
        upsert: this.sqlite.prepare(`INSERT INTO ${table} (_id, doc) VALUES (?, ?) ON CONFLICT(_id) DO UPDATE SET doc = excluded.doc`),
        remove: this.sqlite.prepare(`DELETE FROM ${table} WHERE _id = ?`),
      },
    };
    // One JSON array per chunk parses about twice as fast as a JSON.parse per row.
    const chunk = this.sqlite.prepare(
      `SELECT '[' || group_concat(doc, ',') || ']', max(_id), count(*) FROM (SELECT _id, doc FROM ${table} WHERE _id > ? ORDER BY _id LIMIT ${LOAD_CHUNK})`,
    );
    let after = '';
    for (;;) {
      const [json, last, n] = chunk.raw().get(after) as [string | null, string | null, number];
      if (!json || last === null || n === 0) break;
      for (const doc of parseStoredArray(json)) {
        const id = docKey(doc._id);
        c.docs.set(id, doc);
        c.rank.set(id, c.nextRank++);
        for (const index of c.indexes.values()) index.add(id, doc);
        for (const range of c.ranges) range.add(id, doc);
      }
      if (n < LOAD_CHUNK) break;
      after = last;
    }
    this.collections.set(name, c);
  }

  private written(c: Collection, ids: readonly string[]): void {
    c.writes += ids.length;
    for (const listener of this.writeListeners) for (const id of ids) listener(c.name, id);
  }

  private putInMemory(c: Collection, id: string, doc: Doc): void {
    const old = c.docs.get(id);
    if (old) {
      for (const index of c.indexes.values()) index.remove(id, old);
      for (const range of c.ranges) range.remove(id, old);
    } else c.rank.set(id, c.nextRank++);
    c.docs.set(id, doc);
    for (const index of c.indexes.values()) index.add(id, doc);
    for (const range of c.ranges) range.add(id, doc);
  }

  private dropFromMemory(c: Collection, id: string): void {
    const old = c.docs.get(id);
    if (!old) return;
    for (const index of c.indexes.values()) index.remove(id, old);
    for (const range of c.ranges) range.remove(id, old);
    c.docs.delete(id);
    c.rank.delete(id);
  }

  /** Matching documents; `ordered` puts index-served results in natural order (not needed to count or sort). */
  private match(c: Collection, query: Doc, ordered = true): Doc[] {
    const used: string[] = [];
    const covered: Covered = new Map();
    const ids = this.candidates(c, query, used, covered);
    // Conditions an index answers exactly need no second evaluation (mingo's $in is slow), in
    // the query itself or in one of its `$and` branches (the candidates are their intersection).
    const residual = ids && covered.size ? residualOf(query, covered) : query;
    const predicate = Object.keys(residual).length ? new Query(residual, MINGO) : undefined;
    // Plain conditions are judged natively; mingo only sees what the fast test cannot judge.
    const fast = predicate && compileFastTest(residual);
    const holds = !predicate ? () => true : fast ? (doc: Doc) => fast(doc) ?? predicate.test(doc) : (doc: Doc) => predicate.test(doc);
    const out: Doc[] = [];
    let examined = 0;
    if (ids) {
      for (const id of ids) {
        const doc = c.docs.get(id);
        if (!doc) continue;
        examined++;
        if (holds(doc)) out.push(doc);
      }
      if (ordered) {
        const rank = (d: Doc) => c.rank.get(docKey(d._id)) ?? 0;
        out.sort((a, b) => rank(a) - rank(b));
      }
    } else {
      for (const doc of c.docs.values()) {
        examined++;
        if (holds(doc)) out.push(doc);
      }
    }
    this.lastPlan = { indexes: ids ? used : [], examined };
    return out;
  }

  /**
   * The candidates a compound index gives for an equality on its first field and a range on
   * its second among the query's conjuncts (the narrowest when several indexes apply).
   */
  private rangeCandidates(c: Collection, query: Doc): { ids: ReadonlySet<string>; index: string } | undefined {
    if (!c.ranges.length) return undefined;
    const parts = conjuncts(query);
    let best: { ids: ReadonlySet<string>; index: string } | undefined;
    for (const range of c.ranges) {
      const eq = parts.find(([k, v]) => k === range.eqField && isPureEquality(v) && equalityValues(v)?.length === 1);
      const bounds = parts.filter(([k]) => k === range.rangeField).map(([, v]) => rangeBoundsOf(v));
      if (!eq || bounds.length !== 1 || !bounds[0]) continue;
      const ids = range.lookup((equalityValues(eq[1]) as unknown[])[0], bounds[0]);
      if (ids && (!best || ids.size < best.ids.size)) best = { ids, index: range.name };
    }
    return best;
  }

  /** A superset of the matching ids from `_id` and the declared indexes, or undefined to scan. */
  private candidates(c: Collection, query: Doc, used: string[], covered?: Covered): ReadonlySet<string> | undefined {
    const sets: ReadonlySet<string>[] = [];
    for (const [key, value] of Object.entries(query)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const sub of value) {
          const s = isPlainObject(sub) ? this.candidates(c, sub, used, covered) : undefined;
          if (s) sets.push(s);
        }
      } else if (key === '$or' && Array.isArray(value) && value.length > 0) {
        const branchUsed: string[] = [];
        const branches = value.map((sub) => (isPlainObject(sub) ? this.candidates(c, sub, branchUsed) : undefined));
        if (branches.every((b): b is ReadonlySet<string> => b !== undefined)) {
          const union = new Set<string>();
          for (const b of branches) for (const id of b) union.add(id);
          sets.push(union);
          used.push(...branchUsed);
        }
      } else if (!key.startsWith('$')) {
        const values = equalityValues(value);
        if (!values) continue;
        if (key === '_id') {
          sets.push(new Set(values.filter((v) => typeof v === 'string' || typeof v === 'number').map(docKey)));
          used.push('_id');
          continue;
        }
        const index = c.indexes.get(key);
        const s = index?.lookup(values);
        if (s) {
          sets.push(s);
          used.push(key);
          if (isPureEquality(value) && covered) {
            const keys = covered.get(query) ?? new Set<string>();
            keys.add(key);
            covered.set(query, keys);
          }
        }
      }
    }
    const ranged = this.rangeCandidates(c, query);
    if (ranged) {
      sets.push(ranged.ids);
      used.push(ranged.index);
    }
    if (sets.length === 0) return undefined;
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    if (rest.length === 0) return smallest;
    const out = new Set<string>();
    for (const id of smallest) if (rest.every((s) => s.has(id))) out.add(id);
    return out;
  }
}

/** Per query object (the query or one of its `$and` branches), the fields its index lookups answer exactly. */
type Covered = Map<Doc, Set<string>>;

/** The query without the conditions the candidates already guarantee. */
function residualOf(query: Doc, covered: Covered): Doc {
  const keys = covered.get(query);
  const out: Doc = {};
  for (const [key, value] of Object.entries(query)) {
    if (keys?.has(key)) continue;
    if (key === '$and' && Array.isArray(value)) {
      const rest = value.map((sub) => (isPlainObject(sub) ? residualOf(sub, covered) : sub)).filter((sub) => !isPlainObject(sub) || Object.keys(sub).length > 0);
      if (rest.length) out.$and = rest;
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** The conditions a query ANDs together, its own and those of its `$and` (nested), as [field, condition]. */
function conjuncts(query: Doc, out: [string, unknown][] = []): [string, unknown][] {
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const sub of value) if (isPlainObject(sub)) conjuncts(sub, out);
    } else if (!key.startsWith('$')) out.push([key, value]);
  }
  return out;
}

/** Values a field condition requires equality with: `v`, `{ $eq: v }` or `{ $in: [...] }`. */
function equalityValues(condition: unknown): unknown[] | undefined {
  if (!isPlainObject(condition)) {
    return condition instanceof RegExp || Array.isArray(condition) || condition === null || condition === undefined ? undefined : [condition];
  }
  if ('$eq' in condition && !isPlainObject(condition.$eq) && !Array.isArray(condition.$eq)) return [condition.$eq];
  if (Array.isArray(condition.$in) && condition.$in.every((v) => !isPlainObject(v) && !Array.isArray(v) && !(v instanceof RegExp) && v !== null)) {
    return condition.$in;
  }
  return undefined;
}

/** A condition the hash index answers exactly: a scalar, `{ $eq }` or `{ $in }` alone. */
function isPureEquality(condition: unknown): boolean {
  if (!isPlainObject(condition)) return true;
  const keys = Object.keys(condition);
  return keys.length === 1 && (keys[0] === '$eq' || keys[0] === '$in');
}

function withoutId(data: Doc): Doc {
  const { _id: _ignored, ...rest } = data;
  return rest;
}

/** Whether an update names a positional path (`a.$.b`, `a.$[]`, `a.$[x]`). */
function hasPositional(modifier: Doc): boolean {
  for (const fields of Object.values(modifier)) {
    if (!isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) if (path === '$' || path.startsWith('$') || path.includes('.$')) return true;
  }
  return false;
}

/** The updated copy of `doc`, or undefined when the modifier changes nothing. */
export function applyModifier(doc: Doc, modifier: Doc, condition?: Doc): Doc | undefined {
  const hasOperators = Object.keys(modifier).some((k) => k.startsWith('$'));
  const effective = hasOperators ? modifier : { $set: modifier };
  const next = cloneDoc(doc);
  // The document already matched: mingo needs the condition only to resolve a positional `$`
  // path, and testing it again per document costs more than the update itself.
  const changed = applyUpdate(next, effective, undefined, condition && hasPositional(effective) ? condition : undefined, { cloneMode: 'deep' });
  if (changed.length === 0) return undefined;
  if (docKey(next._id) !== docKey(doc._id) || changed.some((path) => path === '_id' || path.startsWith('_id.'))) {
    throw new CloudError('DATABASE_REQUEST_FAILED', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return next;
}

/** The embedded store on its own: durability, indexes, bulk loading. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { EmbeddedDb } from '../db/embedded-db';
import { SCHEMA_FILE, tempDir } from './helpers';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const schema = {
  collections: {
    customers: { indexes: ['storeId', 'profile.city', 'tags'] },
    events: { indexes: ['customerId'] },
  },
};

test('data survives close and reopen, dates included', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  db.insertMany('customers', [
    { _id: 'c1', storeId: 's1', seenAt: new Date('2025-01-02T03:04:05.678Z'), tags: ['vip'] },
    { _id: 'c2', storeId: 's2', tags: [] },
  ]);
  db.update('customers', { _id: 'c2' }, { $set: { storeId: 's1' }, $push: { tags: 'new' } }, { multi: false });
  db.replace('customers', 'c3', { storeId: 's3' }, { upsert: true });
  db.remove('customers', { _id: 'c1' }, { multi: false });
  db.insertOne('customers', { _id: 'c1', storeId: 's9', seenAt: new Date(0) });
  db.close();

  const again = EmbeddedDb.open(dir.dir, SCHEMA_FILE);
  expect(again.find('customers', {}, { sort: { _id: 1 } })).toEqual([
    { _id: 'c1', storeId: 's9', seenAt: new Date(0) },
    { _id: 'c2', storeId: 's1', tags: ['new'] },
    { _id: 'c3', storeId: 's3' },
  ]);
  expect(again.find('customers', { storeId: 's1' }).map((d) => d._id)).toEqual(['c2']);
  again.close();
});

test('a store is used by one emulator at a time', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  expect(() => EmbeddedDb.open(dir.dir, schema)).toThrow(/in use by another emulator/);
  db.close();
  EmbeddedDb.open(dir.dir, schema).close();
});

test('the store file is one SQLite table per collection with the document as JSON text', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  db.insertOne('events', { _id: 'e1', customerId: 'c1', at: new Date(1000) });
  db.close();
  const raw = new Database(join(dir.dir, 'cloud.sqlite'), { readonly: true });
  const rows = raw.prepare('SELECT _id, doc FROM col_events').all();
  raw.close();
  expect(rows).toEqual([{ _id: 'e1', doc: '{"_id":"e1","customerId":"c1","at":{"$date":"1970-01-01T00:00:01.000Z"}}' }]);
});

test('a query on an indexed field, plain or with $in, examines only the matching documents', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  db.insertMany(
    'events',
    Array.from({ length: 5000 }, (_, i) => ({ _id: `e${i}`, customerId: `c${i % 500}`, kind: i % 2 ? 'view' : 'visit' })),
  );
  expect(db.find('events', { customerId: 'c7', kind: 'view' }).map((d) => d._id)).toEqual(
    Array.from({ length: 10 }, (_, k) => `e${7 + k * 500}`),
  );
  expect(db.lastPlan).toEqual({ indexes: ['customerId'], examined: 10 });

  expect(db.count('events', { customerId: { $in: ['c1', 'c2', 'c3'] } })).toBe(30);
  expect(db.lastPlan).toEqual({ indexes: ['customerId'], examined: 30 });

  expect(db.count('events', { $or: [{ customerId: 'c1' }, { _id: 'e2' }] })).toBe(11);
  expect(db.lastPlan.examined).toBe(11);

  expect(db.count('events', { kind: 'view' })).toBe(2500);
  expect(db.lastPlan).toEqual({ indexes: [], examined: 5000 });
  db.close();
});

test('indexes follow every write: nested and array fields, updates, removals, transactions', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  db.insertMany('customers', [
    { _id: 'a', storeId: 's1', profile: { city: '上海' }, tags: ['suv', 'vip'] },
    { _id: 'b', storeId: 's1', profile: { city: '杭州' }, tags: ['sedan'] },
  ]);
  const ids = (q: object) => db.find('customers', q).map((d) => d._id);
  expect(ids({ 'profile.city': '上海' })).toEqual(['a']);
  expect(ids({ tags: 'vip' })).toEqual(['a']);
  expect(db.lastPlan.indexes).toEqual(['tags']);

  db.update('customers', { _id: 'a' }, { $set: { 'profile.city': '北京' }, $pull: { tags: 'vip' } }, { multi: false });
  db.update('customers', { storeId: 's1' }, { $set: { storeId: 's2' } }, { multi: true });
  expect(ids({ 'profile.city': '上海' })).toEqual([]);
  expect(ids({ 'profile.city': '北京' })).toEqual(['a']);
  expect(ids({ tags: 'vip' })).toEqual([]);
  expect(ids({ storeId: 's1' })).toEqual([]);
  expect(ids({ storeId: 's2' })).toEqual(['a', 'b']);

  db.commit([{ collection: 'customers', id: 'b', doc: null }, { collection: 'customers', id: 'c', doc: { _id: 'c', storeId: 's2' } }]);
  db.remove('customers', { _id: 'a' }, { multi: false });
  expect(ids({ storeId: 's2' })).toEqual(['c']);
  db.close();
});

test('numbers and strings stay distinct in an index; dates match by time', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  db.insertMany('customers', [
    { _id: 'n', storeId: 5 },
    { _id: 's', storeId: '5' },
    { _id: 'd', storeId: new Date(5) },
  ]);
  expect(db.find('customers', { storeId: 5 }).map((d) => d._id)).toEqual(['n']);
  expect(db.find('customers', { storeId: '5' }).map((d) => d._id)).toEqual(['s']);
  expect(db.find('customers', { storeId: new Date(5) }).map((d) => d._id)).toEqual(['d']);
  db.close();
});

test('a bulk insert is all or nothing', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  db.insertOne('events', { _id: 'dup', customerId: 'c0' });
  expect(() => db.insertMany('events', [{ _id: 'x1', customerId: 'c1' }, { _id: 'dup', customerId: 'c2' }])).toThrow(/duplicate key/);
  expect(db.count('events')).toBe(1);
  expect(db.find('events', { customerId: 'c1' })).toEqual([]);
  db.close();
});

test('isEmpty, collections from the schema, and copies that cannot corrupt the store', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  expect(db.isEmpty()).toBe(true);
  expect(db.collectionNames()).toEqual(['customers', 'events']);
  const source = { _id: 'c1', profile: { city: '上海' } };
  db.insertOne('customers', source);
  source.profile.city = '改了';
  const found = db.find<{ profile: { city: string } }>('customers', {});
  found[0].profile.city = '也改了';
  expect(db.findById('customers', 'c1')).toEqual({ _id: 'c1', profile: { city: '上海' } });
  expect(db.isEmpty()).toBe(false);
  expect(() => db.find('nope', {})).toThrow(/Db or Table not exist/);
  db.close();
});

// How fast: `npm run bench` (speed lives in benchmarks, not in tests).
test('50k documents loaded in bulk are all there, indexed, after reopening', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  const docs = Array.from({ length: 50_000 }, (_, i) => ({
    customerId: `c${i % 2000}`,
    kind: ['view', 'share', 'form', 'visit'][i % 4],
    at: 1_700_000_000_000 + i * 60_000,
    payload: { materialId: `m${i % 50}`, seconds: i % 300 },
  }));
  db.insertMany('events', docs);
  db.close();
  const again = EmbeddedDb.open(dir.dir, schema);
  expect(again.count('events')).toBe(50_000);
  expect(again.count('events', { customerId: 'c42' })).toBe(25);
  expect(again.indexedFields('events')).toContain('customerId');
  again.close();
});

test('write counts and listeners see every committed write, and the content hash follows the content', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  const seen: string[] = [];
  const stop = db.onWrite((collection, id) => seen.push(`${collection}/${id}`));
  const empty = db.contentHash('customers');
  db.insertMany('customers', [{ _id: 'c1', storeId: 's1' }, { _id: 'c2', storeId: 's2' }]);
  const afterInsert = db.contentHash('customers');
  expect(afterInsert).not.toBe(empty);
  expect(db.writeCount('customers')).toBe(2);

  // A read, a no-op update and a failed insert are not writes.
  db.find('customers', { storeId: 's1' });
  db.update('customers', { _id: 'c1' }, { $set: { storeId: 's1' } }, { multi: false });
  expect(() => db.insertOne('customers', { _id: 'c1' })).toThrow();
  expect(db.writeCounts()).toMatchObject({ customers: 2, events: 0 });
  expect(db.contentHash('customers')).toBe(afterInsert);

  db.update('customers', {}, { $set: { seen: true } }, { multi: true });
  db.replace('customers', 'c2', { storeId: 's2', seen: true }, { upsert: false });
  db.remove('customers', { _id: 'c1' }, { multi: false });
  db.commit([{ collection: 'events', id: 'e1', doc: { _id: 'e1', customerId: 'c2' } }]);
  expect(db.writeCounts()).toMatchObject({ customers: 6, events: 1 });
  expect(seen).toEqual(['customers/c1', 'customers/c2', 'customers/c1', 'customers/c2', 'customers/c2', 'customers/c1', 'events/e1']);

  // Putting back what was there gives back the hash: it reads content, not history.
  db.insertOne('customers', { _id: 'c1', storeId: 's1' });
  db.replace('customers', 'c2', { storeId: 's2' }, { upsert: false });
  expect(db.contentHash('customers')).toBe(afterInsert);
  stop();
  db.remove('events', {}, { multi: true });
  expect(seen).toHaveLength(9);
  db.close();
});

test('a positional update changes the array element the query matched, and only the matched documents', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  db.insertMany('customers', [
    { _id: 'c1', storeId: 's1', visits: [{ at: 1, kind: 'call' }, { at: 2, kind: 'visit' }] },
    { _id: 'c2', storeId: 's1', visits: [{ at: 3, kind: 'call' }] },
  ]);
  expect(db.update('customers', { _id: 'c1', 'visits.kind': 'visit' }, { $set: { 'visits.$.done': true } }, { multi: false })).toEqual({ matched: 1, updated: 1 });
  expect(db.update('customers', { storeId: 's1', kind: 'none' }, { $set: { seen: true } }, { multi: true })).toEqual({ matched: 0, updated: 0 });
  expect(db.findById('customers', 'c1')).toEqual({ _id: 'c1', storeId: 's1', visits: [{ at: 1, kind: 'call' }, { at: 2, kind: 'visit', done: true }] });
  db.close();
});

test('documents inserted as the caller gives them away are kept as they are; other callers get copies', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  const kept = { _id: 'c1', storeId: 's1', profile: { city: 'sh' }, seenAt: new Date(5) };
  const copied = { _id: 'c2', storeId: 's1', profile: { city: 'sh' } };
  db.insertMany('customers', [kept], { owned: true });
  db.insertMany('customers', [copied]);
  copied.profile.city = 'bj';
  expect(db.find('customers', { 'profile.city': 'sh' }).map((d) => d._id)).toEqual(['c1', 'c2']);
  db.close();
  const again = EmbeddedDb.open(dir.dir, schema);
  expect(again.findById('customers', 'c1')).toEqual(kept);
  again.close();
});

test('an indexed condition inside $and narrows the candidates and still holds for every result', () => {
  const db = EmbeddedDb.open(dir.dir, schema);
  db.insertMany('events', Array.from({ length: 60 }, (_, i) => ({ _id: `e${String(i).padStart(2, '0')}`, customerId: `c${i % 6}`, kind: i % 4 === 0 ? 'call' : 'visit' })));
  const page = db.find('events', { $and: [{ customerId: { $in: ['c1', 'c2'] }, kind: 'visit' }, { _id: { $gt: 'e20' } }] }, { sort: { _id: 1 } });
  expect(page.map((e) => e._id)).toEqual(['e25', 'e26', 'e31', 'e37', 'e38', 'e43', 'e49', 'e50', 'e55']);
  expect(db.lastPlan).toEqual({ indexes: ['customerId'], examined: 20 });
  expect(db.count('events', { $and: [{ customerId: 'c1' }, { $or: [{ kind: 'call' }, { customerId: 'c2' }] }] })).toBe(0);
  db.close();
});

/**
 * A compound index serves an equality on its first field and a range on its second (a store's
 * customers written since t, or after id x) with the same results as a scan, through writes,
 * removals and values of every kind, and reads only what is in range.
 */
import fc from 'fast-check';
import { EmbeddedDb } from '../db/embedded-db';
import { tempDir } from './helpers';

const indexed = { collections: { customers: { indexes: [{ name: 'store_updated', keys: { storeId: 1, updatedAt: 1, _id: 1 } }, { name: 'store_pages', keys: { storeId: 1, _id: 1 } }] } } };
const bare = { collections: { customers: { indexes: [] } } };

let dirs: ReturnType<typeof tempDir>[] = [];
const open = (schema: object) => {
  const d = tempDir();
  dirs.push(d);
  return EmbeddedDb.open(d.dir, schema as never);
};
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});

const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const updatedAt = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 9 }) }, fc.constantFrom('5', null, [3, 7]), fc.constant(undefined));
const storeId = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('s1', 's2') }, fc.constantFrom(null, ['s1', 's2']), fc.constant(undefined));
const write = fc.oneof(
  fc.record({ id: ids, storeId, updatedAt }, { noNullPrototype: true }).map((w) => ({ kind: 'put' as const, ...w })),
  ids.map((id) => ({ kind: 'remove' as const, id })),
  fc.constant({ kind: 'read' as const }),
);
const bound = fc.oneof(fc.integer({ min: -1, max: 10 }), fc.constantFrom('a', 'c', 'e', '5'));
const query = fc.oneof(
  fc.tuple(fc.constantFrom('s1', 's2'), fc.constantFrom('$gt', '$gte', '$lt', '$lte'), bound).map(([s, op, x]) => ({ storeId: s, updatedAt: { [op]: x } })),
  fc.tuple(fc.constantFrom('s1', 's2'), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })).map(([s, lo, hi]) => ({ storeId: s, updatedAt: { $gte: lo, $lt: hi } })),
  fc.tuple(fc.constantFrom('s1', 's2'), fc.constantFrom('a', 'c', 'f')).map(([s, after]) => ({ $and: [{ storeId: s, mergedInto: { $exists: false } }, { _id: { $gt: after } }] })),
);

test('equality plus range through the compound index matches a scan, through writes and removals', () => {
  fc.assert(
    fc.property(fc.array(write, { maxLength: 25 }), fc.array(query, { minLength: 1, maxLength: 4 }), (writes, queries) => {
      const a = open(indexed);
      const b = open(bare);
      const check = () => {
        for (const q of queries) {
          expect(a.find('customers', q, { sort: { _id: 1 } })).toEqual(b.find('customers', q, { sort: { _id: 1 } }));
        }
      };
      for (const w of writes) {
        if (w.kind === 'read') check();
        else if (w.kind === 'remove') for (const db of [a, b]) db.remove('customers', { _id: w.id }, { multi: false });
        else {
          const doc: Record<string, unknown> = {};
          if (w.storeId !== undefined) doc.storeId = w.storeId;
          if (w.updatedAt !== undefined) doc.updatedAt = w.updatedAt;
          for (const db of [a, b]) db.replace('customers', w.id, doc, { upsert: true });
        }
      }
      check();
      a.close();
      b.close();
    }),
    { numRuns: 120 },
  );
});

test('a store\'s customers written since t read only those, not the whole store', () => {
  const db = open(indexed);
  db.insertMany(
    'customers',
    Array.from({ length: 5000 }, (_, i) => ({ _id: `c${String(i).padStart(5, '0')}`, storeId: i % 2 ? 's1' : 's2', updatedAt: i })),
  );
  // Read once (the index sorts on its first range read), then written: the order is kept.
  expect(db.count('customers', { storeId: 's1', updatedAt: { $gte: 4990 } })).toBe(5);
  db.replace('customers', 'c00001', { storeId: 's1', updatedAt: 10_000 }, { upsert: false });
  const since = db.find<{ _id: string }>('customers', { storeId: 's1', updatedAt: { $gte: 4990 } }, { sort: { _id: 1 } });
  expect(since.map((c) => c._id)).toEqual(['c00001', 'c04991', 'c04993', 'c04995', 'c04997', 'c04999']);
  expect(db.lastPlan.indexes).toContain('store_updated');
  expect(db.lastPlan.examined).toBe(6);
  db.find('customers', { $and: [{ storeId: 's2' }, { _id: { $gt: 'c04990' } }] }, { sort: { _id: 1 }, limit: 3 });
  expect(db.lastPlan.indexes).toContain('store_pages');
  expect(db.lastPlan.examined).toBe(4);
  db.close();
});

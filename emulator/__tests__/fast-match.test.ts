/**
 * The native matching and partial sort of plain queries give exactly what mingo gives, on
 * documents whose fields hold every kind of value (missing, null, arrays, objects, dates, other
 * types), over random queries and sorts.
 */
import fc from 'fast-check';
import { Query } from 'mingo';
import type { Doc } from '../db/ejson';
import { compileFastTest, firstInOrder } from '../db/fast-match';

const FIELDS = ['a', 'b', 'c'] as const;
const scalar = fc.oneof(fc.constantFrom('x', 'y', 'ab', '', '10', '9'), fc.integer({ min: -3, max: 12 }), fc.boolean(), fc.constantFrom(0.5, -0));
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  fc.constant(null),
  fc.array(scalar, { maxLength: 3 }),
  fc.constant(new Date(5)),
  fc.record({ x: scalar }, { noNullPrototype: true }),
);
const doc = fc.record({ a: value, b: value, c: value }, { requiredKeys: [], noNullPrototype: true });
const operand = fc.oneof(fc.constantFrom('x', 'y', 'ab', '10'), fc.integer({ min: -3, max: 12 }), fc.boolean());
const op = fc.oneof(
  operand.map((v) => v),
  fc.tuple(fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte'), operand).map(([o, v]) => ({ [o]: v })),
  fc.tuple(fc.constantFrom('$in', '$nin'), fc.array(operand, { maxLength: 3 })).map(([o, v]) => ({ [o]: v })),
  fc.boolean().map((v) => ({ $exists: v })),
  fc.tuple(operand, operand).map(([lo, hi]) => ({ $gte: lo, $lt: hi })),
);
const query = fc
  .tuple(fc.dictionary(fc.constantFrom(...FIELDS), op, { maxKeys: 2, noNullPrototype: true }), fc.option(fc.dictionary(fc.constantFrom(...FIELDS), op, { minKeys: 1, maxKeys: 2, noNullPrototype: true }), { nil: undefined }))
  .map(([q, and]) => (and ? { ...q, $and: [and] } : q) as Doc);

test('plain conditions match natively exactly the documents mingo matches', () => {
  fc.assert(
    fc.property(fc.array(doc, { maxLength: 30 }), query, (docs, q) => {
      const fast = compileFastTest(q);
      if (!fast) return;
      const mingo = new Query(q);
      for (const d of docs) {
        const verdict = fast(d as Doc);
        if (verdict !== undefined) expect([q, d, verdict]).toEqual([q, d, mingo.test(d)]);
      }
    }),
    { numRuns: 3000 },
  );
});

test('a range on a field is judged natively for every string or number of its type, not left to mingo', () => {
  const fast = compileFastTest({ storeId: 's1', updatedAt: { $gte: 100 }, $and: [{ mergedInto: { $exists: false } }] });
  expect(fast?.({ storeId: 's1', updatedAt: 150 })).toBe(true);
  expect(fast?.({ storeId: 's1', updatedAt: 50 })).toBe(false);
  expect(fast?.({ storeId: 's2', updatedAt: 150 })).toBe(false);
  expect(fast?.({ storeId: 's1', updatedAt: 150, mergedInto: 'c9' })).toBe(false);
  // Values mingo must judge: an array, a date.
  expect(fast?.({ storeId: 's1', updatedAt: [150] })).toBeUndefined();
  expect(fast?.({ storeId: 's1', updatedAt: new Date(150) })).toBeUndefined();
  // Conditions it does not know leave the whole query to mingo.
  expect(compileFastTest({ 'a.b': 1 })).toBeUndefined();
  expect(compileFastTest({ a: { $regex: 'x' } })).toBeUndefined();
  expect(compileFastTest({ a: null })).toBeUndefined();
});

test('the first k in order are the first k of mingo\'s stable sort', () => {
  const sortable = fc.oneof(
    fc.array(fc.record({ _id: fc.string({ maxLength: 3 }), n: fc.integer({ min: 0, max: 5 }), s: fc.constantFrom('a', 'b', 'c') }, { noNullPrototype: true }), { maxLength: 60 }),
    fc.array(fc.record({ _id: fc.string({ maxLength: 3 }), n: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant('5')), s: fc.constantFrom('a', 'b') }, { noNullPrototype: true }), { maxLength: 20 }),
  );
  const spec = fc.constantFrom<Record<string, 1 | -1>>({ _id: 1 }, { n: -1, _id: -1 }, { s: 1, n: 1 }, { n: 1 }, { s: -1 });
  fc.assert(
    fc.property(sortable, spec, fc.integer({ min: 0, max: 25 }), (docs, sort, k) => {
      const want = new Query({}).find<Doc>(docs as Doc[]).sort(sort).all().slice(0, k);
      const got = firstInOrder(docs as Doc[], sort, k);
      if (got) expect(got).toEqual(want);
      else expect(docs.length === 0 || docs.some((d) => typeof d.n !== typeof docs[0].n)).toBe(true);
    }),
    { numRuns: 2000 },
  );
});

/**
 * database.json: single-field indexes as field paths, compound ones as named ordered keys. The
 * emulator hashes each single field and each compound index's first field; the cloud gets all.
 */
import { parseSchema } from '../db/schema';

const parse = (indexes: unknown[]) => parseSchema({ collections: { events: { indexes } } }, 'test.json').collections.events;

test('field paths stay single-field indexes, hashed by the emulator and ascending in the cloud', () => {
  const c = parse(['customerId', 'tags.tagId', '_id']);
  expect(c.indexes).toEqual(['customerId', 'tags.tagId']);
  expect(c.cloudIndexes).toEqual([
    { name: 'customerId_1', keys: [{ field: 'customerId', direction: 1 }], unique: false },
    { name: 'tags_tagId_1', keys: [{ field: 'tags.tagId', direction: 1 }], unique: false },
  ]);
});

test('a compound index keeps its key order and directions; the emulator hashes its first field', () => {
  const c = parse([{ name: 'timeline', keys: { customerId: 1, timestamp: -1, _id: -1 }, for: 'a timeline, newest first' }, 'type']);
  expect(c.indexes).toEqual(['customerId', 'type']);
  expect(c.cloudIndexes[0]).toEqual({
    name: 'timeline',
    keys: [
      { field: 'customerId', direction: 1 },
      { field: 'timestamp', direction: -1 },
      { field: '_id', direction: -1 },
    ],
    unique: false,
    for: 'a timeline, newest first',
  });
});

test.each([
  [[{ name: 'a', keys: { customerId: 1 } }, { name: 'a', keys: { type: 1 } }], /two indexes named "a"/],
  [['customerId', { name: 'timeline', keys: { customerId: 1, timestamp: -1 } }], /"customerId" is already the first field of index "timeline"/],
  [[{ name: 'x', keys: { timestamp: 'desc' } }], /must be 1 \(ascending\) or -1/],
  [[{ name: 'x', keys: {} }], /"keys" must be an object/],
  [[{ name: 'x', keys: { '1': 1 } }], /cannot be ordered/],
  [[{ name: 'x', keys: { a: 1 }, sparse: true }], /unknown "sparse"/],
  [[{ name: '9x', keys: { a: 1 } }], /index name/],
  [['$where'], /not a field path/],
  [[42], /an index is a field path or/],
])('rejects %j', (indexes, message) => {
  expect(() => parse(indexes)).toThrow(message);
});

import type { Doc } from './ejson';

/**
 * Native evaluation of the plain conditions most queries are made of, before mingo: a
 * top-level field compared with a string, number or boolean (`v`, `$eq`, `$ne`, `$gt`, `$gte`,
 * `$lt`, `$lte`, `$in`, `$nin`) or tested with `$exists`, alone or under `$and`.
 *
 * CloudBase answers a range on an indexed field (`{ storeId, updatedAt: _.gte(t) }` over the
 * compound index `storeId, updatedAt`) from the index; the emulator narrows by the equality
 * part and then tests every candidate. With mingo that test costs ~10 µs a document (a
 * 100,000-customer store: a second per read), which no indexed cloud query costs; natively it
 * is a few nanoseconds.
 *
 * The fast test decides only the documents whose value it can judge exactly as MongoDB
 * does: a missing field, or a string/number/boolean of the operand's type. For any other
 * value (null, an array, an object, a date, a value of another type) it answers `undefined`
 * and the caller asks mingo, so results never differ from mingo's.
 */
export type FastTest = (doc: Doc) => boolean | undefined;

type Scalar = string | number | boolean;

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && !Number.isNaN(v));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp);
}

/** One field's test on its value (`undefined` when the field is missing). */
type FieldTest = (v: unknown) => boolean | undefined;

/** Whether `v` can be judged natively against operands of type `t`. */
const judgeable = (v: unknown, t: string) => typeof v === t && (t !== 'number' || !Number.isNaN(v));

function operatorTest(op: string, operand: unknown): FieldTest | undefined {
  switch (op) {
    case '$eq':
    case '$ne': {
      if (!isScalar(operand)) return undefined;
      const ne = op === '$ne';
      // Missing: never equal. Another scalar type: never equal (no coercion in MongoDB).
      return (v) => (v === undefined ? ne : isScalar(v) ? (v === operand) !== ne : undefined);
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      if (typeof operand !== 'string' && !(typeof operand === 'number' && !Number.isNaN(operand))) return undefined;
      const t = typeof operand;
      const x = operand as number | string;
      const cmp =
        op === '$gt' ? (v: number | string) => v > x : op === '$gte' ? (v: number | string) => v >= x : op === '$lt' ? (v: number | string) => v < x : (v: number | string) => v <= x;
      return (v) => (v === undefined ? false : judgeable(v, t) ? cmp(v as number | string) : undefined);
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand) || !operand.every(isScalar)) return undefined;
      const set = new Set<unknown>(operand);
      const nin = op === '$nin';
      return (v) => (v === undefined ? nin : isScalar(v) ? set.has(v) !== nin : undefined);
    }
    case '$exists': {
      if (typeof operand !== 'boolean') return undefined;
      return (v) => (v !== undefined) === operand;
    }
    default:
      return undefined;
  }
}

function fieldTest(condition: unknown): FieldTest | undefined {
  if (!isPlainObject(condition)) return operatorTest('$eq', condition);
  const ops = Object.entries(condition);
  if (ops.length === 0 || ops.some(([op]) => !op.startsWith('$'))) return undefined;
  const tests: FieldTest[] = [];
  for (const [op, operand] of ops) {
    const t = operatorTest(op, operand);
    if (!t) return undefined;
    tests.push(t);
  }
  if (tests.length === 1) return tests[0];
  return (v) => {
    let unsure = false;
    for (const t of tests) {
      const r = t(v);
      if (r === false) return false;
      if (r === undefined) unsure = true;
    }
    return unsure ? undefined : true;
  };
}

/** The native test of `query`, or undefined when some condition is not one it knows. */
export function compileFastTest(query: Doc): FastTest | undefined {
  const tests: FastTest[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and') {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      for (const sub of value) {
        const t = isPlainObject(sub) ? compileFastTest(sub) : undefined;
        if (!t) return undefined;
        tests.push(t);
      }
      continue;
    }
    // Operators, dotted paths (they walk arrays) and the empty name stay with mingo.
    if (key === '' || key.startsWith('$') || key.includes('.')) return undefined;
    const t = fieldTest(value);
    if (!t) return undefined;
    tests.push((doc) => t(Object.prototype.hasOwnProperty.call(doc, key) ? doc[key] : undefined));
  }
  if (tests.length === 1) return tests[0];
  return (doc) => {
    let unsure = false;
    for (const t of tests) {
      const r = t(doc);
      if (r === false) return false;
      if (r === undefined) unsure = true;
    }
    return unsure ? undefined : true;
  };
}

/**
 * The first `k` documents in `sort` order (ties in their given order, as mingo's stable sort
 * leaves them), when every sort key is a top-level field holding strings throughout or
 * numbers throughout; undefined otherwise (mingo sorts). A page of 1,000 out of 100,000
 * candidates is then a partial sort, not a full one, as an index scan would give it.
 */
export function firstInOrder(docs: readonly Doc[], sort: Record<string, 1 | -1>, k: number): Doc[] | undefined {
  const keys = Object.keys(sort);
  if (!keys.length || keys.some((f) => f === '' || f.includes('.') || f.startsWith('$'))) return undefined;
  const dirs = keys.map((f) => (sort[f] === -1 ? -1 : 1));
  const types = keys.map((f) => (docs.length ? typeof docs[0][f] : ''));
  if (types.some((t) => t !== 'string' && t !== 'number')) return undefined;
  for (const d of docs) {
    for (let j = 0; j < keys.length; j++) {
      const v = d[keys[j]];
      if (typeof v !== types[j] || (typeof v === 'number' && Number.isNaN(v))) return undefined;
    }
  }
  const cmp = (a: Doc, b: Doc): number => {
    for (let j = 0; j < keys.length; j++) {
      const x = a[keys[j]] as string | number;
      const y = b[keys[j]] as string | number;
      if (x < y) return -dirs[j];
      if (x > y) return dirs[j];
    }
    return 0;
  };
  if (k <= 0) return [];
  // A buffer of up to 2k, sorted (stably) and cut back to k whenever it fills. Once cut, its
  // last is a bound: a later document not before it has k documents ahead of it already.
  const buf: Doc[] = [];
  let bound: Doc | undefined;
  for (const d of docs) {
    if (bound && cmp(d, bound) >= 0) continue;
    if (buf.length === 2 * k) {
      buf.sort(cmp);
      buf.length = k;
      bound = buf[k - 1];
      if (cmp(d, bound) >= 0) continue;
    }
    buf.push(d);
  }
  buf.sort(cmp);
  if (buf.length > k) buf.length = k;
  return buf;
}

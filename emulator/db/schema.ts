import { readFileSync } from 'node:fs';

/**
 * The collections a cloud environment has and their indexes, from one file
 * (cloudfunctions/database.json) read by the emulator and by scripts/cloud-indexes.ts:
 *
 *   { "collections": { "events": { "indexes": [
 *       "type",
 *       { "name": "timeline", "keys": { "customerId": 1, "timestamp": -1, "_id": -1 } }
 *   ] } } }
 *
 * A string is a single-field ascending index; an object is a named index whose `keys` list the
 * fields in order with 1 (ascending) or -1 (descending), optionally `unique` and a `for` saying
 * which query it serves. The emulator keeps an
 * equality hash index on each single field and on the first field of each compound index (which
 * is what its equality lookups use), and a range index on a compound index's first two keys
 * (`RangeIndex`); the cloud gets every index as written.
 */
export interface DbSchema {
  collections: Record<string, CollectionSchema>;
}

/** database.json as written (what parseSchema reads). */
export interface DbSchemaFile {
  collections: Record<string, { indexes?: (string | IndexFileEntry)[] }>;
}

export interface IndexFileEntry {
  name: string;
  /** Fields in index order: 1 ascending, -1 descending. */
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  for?: string;
}

export interface CollectionSchema {
  /** Fields the emulator keeps an equality hash index on. */
  indexes: string[];
  /** Every index as the cloud database creates it, in the file's order. */
  cloudIndexes: CloudIndex[];
}

export interface CloudIndex {
  name: string;
  keys: { field: string; direction: 1 | -1 }[];
  unique: boolean;
  /** Which query it serves, in words. */
  for?: string;
}

/** CloudBase collection names: letters, digits, `_` and `-`, starting with a letter or `_`. */
const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const FIELD_PATH = /^[^.$\s][^$\s]*$/;
const INDEX_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export function isValidCollectionName(name: string): boolean {
  return COLLECTION_NAME.test(name);
}

const isFieldPath = (f: unknown): f is string => typeof f === 'string' && FIELD_PATH.test(f) && !f.endsWith('.');

export function parseSchema(raw: unknown, source = 'schema'): DbSchema {
  const fail = (why: string): never => {
    throw new Error(`${source}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('must be an object');
  const collections = (raw as { collections?: unknown }).collections;
  if (typeof collections !== 'object' || collections === null || Array.isArray(collections)) {
    fail('"collections" must be an object of collection name -> { indexes: [...] }');
  }
  const out: DbSchema = { collections: {} };
  for (const [name, spec] of Object.entries(collections as Record<string, unknown>)) {
    if (!isValidCollectionName(name)) fail(`invalid collection name "${name}"`);
    const entries = (spec as { indexes?: unknown } | null)?.indexes ?? [];
    if (!Array.isArray(entries)) fail(`collection "${name}": "indexes" must be a list`);
    const cloudIndexes = (entries as unknown[]).map((entry) => parseIndex(entry, (why) => fail(`collection "${name}": ${why}`)));
    const names = new Set<string>();
    for (const index of cloudIndexes) {
      if (names.has(index.name)) fail(`collection "${name}": two indexes named "${index.name}"`);
      names.add(index.name);
    }
    // A single-field index on a compound index's first field would only slow writes down: the compound one serves it.
    for (const single of cloudIndexes.filter((i) => i.keys.length === 1)) {
      const covering = cloudIndexes.find((i) => i.keys.length > 1 && i.keys[0].field === single.keys[0].field);
      if (covering && !single.unique) fail(`collection "${name}": "${single.keys[0].field}" is already the first field of index "${covering.name}"`);
    }
    const hashed = cloudIndexes.map((i) => i.keys[0].field).filter((f) => f !== '_id');
    out.collections[name] = { indexes: Array.from(new Set(hashed)), cloudIndexes: cloudIndexes.filter((i) => !(i.keys.length === 1 && i.keys[0].field === '_id')) };
  }
  return out;
}

function parseIndex(entry: unknown, fail: (why: string) => never): CloudIndex {
  if (typeof entry === 'string') {
    if (!isFieldPath(entry)) fail(`"${entry}" is not a field path`);
    return { name: `${entry.replace(/\./g, '_')}_1`, keys: [{ field: entry, direction: 1 }], unique: false };
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail('an index is a field path or { "name", "keys": { field: 1 | -1, ... }, "unique"?, "for"? }');
  }
  const { name, keys, unique, for: purpose, ...extra } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || !INDEX_NAME.test(name)) fail(`index name ${JSON.stringify(name)}: letters, digits, _ and -, starting with a letter or _`);
  const label = name as string;
  if (Object.keys(extra).length) fail(`index "${label}": unknown ${Object.keys(extra).map((k) => `"${k}"`).join(', ')}`);
  if (unique !== undefined && typeof unique !== 'boolean') fail(`index "${label}": "unique" must be true or false`);
  if (purpose !== undefined && typeof purpose !== 'string') fail(`index "${label}": "for" must be a sentence`);
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || !Object.keys(keys).length) {
    fail(`index "${label}": "keys" must be an object of field -> 1 or -1, in index order`);
  }
  const fields = Object.entries(keys as Record<string, unknown>).map(([field, direction]) => {
    if (!isFieldPath(field)) fail(`index "${label}": "${field}" is not a field path`);
    // JSON objects keep the order of their keys except integer-like ones, which would silently reorder the index.
    if (/^\d+$/.test(field)) fail(`index "${label}": "${field}" cannot be ordered as an index key`);
    if (direction !== 1 && direction !== -1) fail(`index "${label}": "${field}" must be 1 (ascending) or -1 (descending)`);
    return { field, direction: direction as 1 | -1 };
  });
  return { name: label, keys: fields, unique: unique === true, ...(typeof purpose === 'string' ? { for: purpose } : {}) };
}

export function loadSchemaFile(file: string): DbSchema {
  return parseSchema(JSON.parse(readFileSync(file, 'utf8')), file);
}

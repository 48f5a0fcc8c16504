import { readFileSync } from 'node:fs';

/**
 * The collections a cloud environment has and the single-field equality indexes the emulator
 * keeps for them, e.g. `{ "collections": { "events": { "indexes": ["customerId"] } } }`.
 */
export interface DbSchema {
  collections: Record<string, { indexes: string[] }>;
}

/** CloudBase collection names: letters, digits, `_` and `-`, starting with a letter or `_`. */
const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const FIELD_PATH = /^[^.$\s][^$\s]*$/;

export function isValidCollectionName(name: string): boolean {
  return COLLECTION_NAME.test(name);
}

export function parseSchema(raw: unknown, source = 'schema'): DbSchema {
  const fail = (why: string): never => {
    throw new Error(`${source}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('must be an object');
  const collections = (raw as { collections?: unknown }).collections;
  if (typeof collections !== 'object' || collections === null || Array.isArray(collections)) {
    fail('"collections" must be an object of collection name -> { indexes: string[] }');
  }
  const out: DbSchema = { collections: {} };
  for (const [name, spec] of Object.entries(collections as Record<string, unknown>)) {
    if (!isValidCollectionName(name)) fail(`invalid collection name "${name}"`);
    const indexes = (spec as { indexes?: unknown } | null)?.indexes ?? [];
    if (!Array.isArray(indexes) || indexes.some((f) => typeof f !== 'string' || !FIELD_PATH.test(f) || f.endsWith('.'))) {
      fail(`collection "${name}": "indexes" must be a list of field paths`);
    }
    out.collections[name] = { indexes: Array.from(new Set((indexes as string[]).filter((f) => f !== '_id'))) };
  }
  return out;
}

export function loadSchemaFile(file: string): DbSchema {
  return parseSchema(JSON.parse(readFileSync(file, 'utf8')), file);
}

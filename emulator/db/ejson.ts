/**
 * MongoDB Extended JSON as the CloudBase SDK speaks it.
 *
 * The SDK sends canonical EJSON (`{"$numberInt":"1"}`, `{"$date":{"$numberLong":"0"}}`,
 * `{"$regularExpression":{...}}`) plus one CloudBase extension, `{"$tcb_server_date":{"offset":n}}`
 * (db.serverDate()), and parses replies with bson's relaxed EJSON. Documents are stored in the
 * same relaxed form, so the store file stays readable JSON.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Doc = Record<string, unknown>;

const NUMBER_KEYS = new Set(['$numberInt', '$numberLong', '$numberDouble', '$numberDecimal']);
/** Single keys that make an object one EJSON value. */
const TYPED_KEYS = new Set([...NUMBER_KEYS, '$date', '$oid', '$tcb_server_date', '$regularExpression']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);
}

function toNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (raw === 'Infinity') return Infinity;
  if (raw === '-Infinity') return -Infinity;
  if (raw === 'NaN') return NaN;
  return Number(raw);
}

function toDate(raw: unknown): Date {
  if (typeof raw === 'string') return new Date(raw);
  if (typeof raw === 'number') return new Date(raw);
  if (isPlainObject(raw) && '$numberLong' in raw) return new Date(Number(raw.$numberLong));
  return new Date(NaN);
}

/** JavaScript has no `x` (extended) flag; `s`, `i`, `m`, `u` carry over. */
function toRegExp(pattern: string, options: string): RegExp {
  const flags = Array.from(new Set(options.split('').filter((f) => 'imsu'.includes(f)))).join('');
  return new RegExp(pattern, flags);
}

/**
 * Turns parsed EJSON into JavaScript values: numbers, Date, RegExp; server dates become `now`
 * plus their offset.
 */
export function decodeEjson(value: unknown, now: number = Date.now()): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeEjson(v, now));
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0];
    if (NUMBER_KEYS.has(key)) return toNumber(value[key]);
    if (key === '$date') return toDate(value.$date);
    if (key === '$oid') return String(value.$oid);
    if (key === '$tcb_server_date') {
      const spec = value.$tcb_server_date;
      const offset = isPlainObject(spec) ? Number(decodeEjson(spec.offset, now)) || 0 : 0;
      return new Date(now + offset);
    }
    if (key === '$regularExpression' && isPlainObject(value.$regularExpression)) {
      const { pattern, options } = value.$regularExpression;
      return toRegExp(String(pattern ?? ''), String(options ?? ''));
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = decodeEjson(value[key], now);
  return out;
}

/**
 * `decodeEjson` for a value nobody else holds (fresh from JSON.parse): containers are decoded
 * where they are instead of copied, which spares the garbage of a second tree per request.
 */
function decodeFresh(value: unknown, now: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeFresh(value[i], now);
    return value;
  }
  const obj = value as Record<string, unknown>;
  let only: string | undefined;
  let n = 0;
  for (const key in obj) {
    if (++n > 1) break;
    only = key;
  }
  if (n === 1 && only !== undefined && TYPED_KEYS.has(only)) return decodeEjson(obj, now);
  for (const key of Object.keys(obj)) obj[key] = decodeFresh(obj[key], now);
  return obj;
}

/** Parses an EJSON string the SDK sent. */
export function parseEjson(text: string, now: number = Date.now()): unknown {
  return decodeFresh(JSON.parse(text), now);
}

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  // JSON.stringify has already applied Date#toJSON to `value`; the holder still has the Date.
  const original = this[key];
  if (original instanceof Date) {
    return Number.isNaN(original.getTime()) ? null : { $date: original.toISOString() };
  }
  if (original instanceof RegExp) {
    return { $regularExpression: { pattern: original.source, options: original.flags } };
  }
  return value;
}

/**
 * Relaxed EJSON, the form replies and stored documents use. Most documents hold no Date or
 * RegExp: a walk to say so costs far less than calling the replacer for every key.
 */
export function stringifyEjson(value: unknown): string {
  return holdsTyped(value) ? JSON.stringify(value, replacer) : JSON.stringify(value);
}

/** A deep copy that keeps Date and RegExp values, and says whether it met any. */
function copy(value: unknown, typed: { found: boolean }): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => copy(v, typed));
  if (value instanceof Date) {
    typed.found = true;
    return new Date(value.getTime());
  }
  if (value instanceof RegExp) {
    typed.found = true;
    return new RegExp(value.source, value.flags);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], typed);
  return out;
}

export function cloneDoc<T>(value: T): T {
  return copy(value, { found: false }) as T;
}

/** Whether a value holds a Date or RegExp anywhere (the stored text then needs the EJSON replacer). */
function holdsTyped(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof Date || value instanceof RegExp) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (holdsTyped(v)) return true;
    return false;
  }
  for (const key in value as Record<string, unknown>) if (holdsTyped((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** A private copy of a document and its stored text (native JSON.stringify unless it holds a Date or RegExp). */
export function copyForStore(doc: Doc): { doc: Doc; text: string } {
  const typed = { found: false };
  const copied = copy(doc, typed) as Doc;
  // The copy already knows whether it met a Date or RegExp: no second walk to find out.
  return { doc: copied, text: typed.found ? JSON.stringify(copied, replacer) : JSON.stringify(copied) };
}


/** Parses a JSON array of stored documents; only walks them when the text holds a typed value. */
export function parseStoredArray(text: string): Doc[] {
  const parsed = JSON.parse(text) as Doc[];
  if (text.includes('"$date"') || text.includes('"$regularExpression"')) return decodeFresh(parsed, Date.now()) as Doc[];
  return parsed;
}

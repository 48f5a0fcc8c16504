import { randomBytes } from 'node:crypto';
import type { EmbeddedDb } from '../db/embedded-db';
import { parseEjson, stringifyEjson, type Doc } from '../db/ejson';
import { CloudError } from '../db/errors';
import type { TransactionManager } from '../db/transactions';

/**
 * The CloudBase `/admin` API as @cloudbase/node-sdk (inside wx-server-sdk) calls it: a JSON body
 * with an `action` and its parameters; queries, updates and documents as EJSON strings. Replies
 * are HTTP 200 with `{ requestId, data }`, or `{ requestId, code, message }` on failure (the SDK
 * turns a `code` into an error with the matching numeric errCode).
 */
export interface AdminRequest {
  action?: unknown;
  [param: string]: unknown;
}

export type AdminReply = { requestId: string } & Record<string, unknown>;

export interface AdminDeps {
  db: EmbeddedDb;
  transactions: TransactionManager;
  /** Runs a cloud function for `functions.invokeFunction`; resolves to its JSON-able result. */
  invokeFunction(name: string, event: unknown, callerSource: string): Promise<unknown>;
  /** The stack's clock, for `db.serverDate()` (epoch ms). */
  now(): number;
  /**
   * Most rows one read returns (default MAX_LIMIT). CloudBase documents 1000 but may answer
   * fewer; a lower cap here proves code pages by the rows a read returned, not by a constant.
   */
  readCap?: number;
}

/** Server-side read limits of the CloudBase server SDK. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

function str(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new CloudError('INVALID_PARAM', `missing or invalid parameter: ${name}`);
  return value;
}

function ejsonParam(value: unknown, name: string, now: number): Doc | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new CloudError('INVALID_PARAM', `parameter ${name} must be an EJSON string`);
  let parsed: unknown;
  try {
    parsed = parseEjson(value, now);
  } catch {
    throw new CloudError('INVALID_PARAM', `parameter ${name} is not valid EJSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CloudError('INVALID_PARAM', `parameter ${name} must be an object`);
  }
  return parsed as Doc;
}

function docIdOf(query: Doc | undefined): string {
  const id = query?._id;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new CloudError('DATABASE_REQUEST_FAILED', 'transactions only support single-document operations by _id (doc(id).get/set/update/remove)');
  }
  return String(id);
}

function txIdOf(request: AdminRequest): string | undefined {
  return typeof request.transactionId === 'string' && request.transactionId !== '' ? request.transactionId : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export async function handleAdmin(request: AdminRequest, deps: AdminDeps, callerSource = ''): Promise<AdminReply> {
  const requestId = newRequestId();
  try {
    const data = await dispatch(request, deps, callerSource);
    return { requestId, ...data };
  } catch (err) {
    if (err instanceof CloudError) return { requestId, code: err.code, message: err.message };
    const message = err instanceof Error ? err.message : String(err);
    return { requestId, code: 'DATABASE_REQUEST_FAILED', message };
  }
}

async function dispatch(request: AdminRequest, deps: AdminDeps, callerSource: string): Promise<Record<string, unknown>> {
  const { db, transactions } = deps;
  const action = request.action;
  const now = deps.now();
  const txId = txIdOf(request);
  switch (action) {
    case 'database.getDocument': {
      const collection = str(request.collectionName, 'collectionName');
      const query = ejsonParam(request.query, 'query', now) ?? {};
      if (txId) {
        db.assertCollection(collection);
        const doc = transactions.get(txId, collection, docIdOf(query));
        return { data: { list: doc ? [stringifyEjson(doc)] : [] } };
      }
      const offset = Math.max(0, num(request.offset) ?? 0);
      const requested = num(request.limit);
      const cap = Math.min(deps.readCap ?? MAX_LIMIT, MAX_LIMIT);
      const limit = Math.min(requested && requested > 0 ? Math.min(requested, MAX_LIMIT) : DEFAULT_LIMIT, cap);
      const order = ejsonParam(request.order, 'order', now) as Record<string, 1 | -1> | undefined;
      const projection = ejsonParam(request.projection, 'projection', now);
      const docs = db.select(collection, query, { sort: order, skip: offset, limit, projection });
      return { data: { list: docs.map((d) => stringifyEjson(d)), offset, limit } };
    }
    case 'database.calculateDocument': {
      const collection = str(request.collectionName, 'collectionName');
      return { data: { total: db.count(collection, ejsonParam(request.query, 'query', now) ?? {}) } };
    }
    case 'database.insertDocument': {
      const collection = str(request.collectionName, 'collectionName');
      if (!Array.isArray(request.data) || request.data.length === 0) throw new CloudError('INVALID_PARAM', 'data must be a non-empty list');
      const docs = request.data.map((d, i) => ejsonParam(d, `data[${i}]`, now) ?? {});
      if (txId) {
        db.assertCollection(collection);
        return { data: { insertedIds: docs.map((d) => transactions.insert(txId, collection, d)) } };
      }
      // The parsed documents are this request's own: the store keeps them without a copy.
      return { data: { insertedIds: db.insertMany(collection, docs, { owned: true }) } };
    }
    case 'database.modifyDocument': {
      const collection = str(request.collectionName, 'collectionName');
      const query = ejsonParam(request.query, 'query', now) ?? {};
      const data = ejsonParam(request.data, 'data', now);
      if (!data) throw new CloudError('INVALID_PARAM', 'data is required');
      const replace = request.merge === false;
      if (txId) {
        db.assertCollection(collection);
        const id = docIdOf(query);
        if (replace) {
          const r = transactions.set(txId, collection, id, data);
          return { data: { updated: r.updated, upsert_id: r.upsertedId } };
        }
        return { data: { updated: transactions.update(txId, collection, id, data) } };
      }
      if (replace) {
        const r = db.replace(collection, docIdOf(query), data, { upsert: request.upsert === true });
        return { data: { updated: r.updated, upsert_id: r.upsertedId } };
      }
      const r = db.update(collection, query, data, { multi: request.multi !== false });
      return { data: { updated: r.updated } };
    }
    case 'database.removeDocument': {
      const collection = str(request.collectionName, 'collectionName');
      const query = ejsonParam(request.query, 'query', now) ?? {};
      if (txId) {
        db.assertCollection(collection);
        return { data: { deleted: transactions.remove(txId, collection, docIdOf(query)) } };
      }
      return { data: { deleted: db.remove(collection, query, { multi: request.multi !== false }) } };
    }
    case 'database.aggregateDocuments': {
      const collection = str(request.collectionName, 'collectionName');
      if (!Array.isArray(request.stages)) throw new CloudError('INVALID_PARAM', 'stages must be a list');
      const pipeline = request.stages.map((stage: unknown) => {
        const { stageKey, stageValue } = (stage ?? {}) as { stageKey?: unknown; stageValue?: unknown };
        if (typeof stageKey !== 'string' || typeof stageValue !== 'string') throw new CloudError('INVALID_PARAM', 'invalid aggregate stage');
        return { [stageKey]: parseEjson(stageValue, now) } as Doc;
      });
      return { data: { list: db.aggregate(collection, pipeline).map((d) => stringifyEjson(d)) } };
    }
    case 'database.addCollection': {
      db.createCollection(str(request.collectionName, 'collectionName'));
      return {};
    }
    case 'database.startTransaction':
      return { transactionId: transactions.start() };
    case 'database.commitTransaction':
      transactions.commit(str(request.transactionId, 'transactionId'));
      return {};
    case 'database.abortTransaction':
      transactions.abort(str(request.transactionId, 'transactionId'));
      return {};
    case 'functions.invokeFunction': {
      const name = str(request.function_name, 'function_name');
      const raw = typeof request.request_data === 'string' && request.request_data !== '' ? request.request_data : '{}';
      let event: unknown;
      try {
        event = JSON.parse(raw);
      } catch {
        throw new CloudError('INVALID_PARAM', 'request_data must be JSON');
      }
      const result = await deps.invokeFunction(name, event, callerSource);
      return { data: { response_data: JSON.stringify(result === undefined ? null : result) } };
    }
    default:
      throw new CloudError('INVALID_PARAM', `action ${String(action)} is not supported by the local emulator`);
  }
}

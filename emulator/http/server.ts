import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { serveStatic } from './static-files';

/** The event a function gets for an HTTP request (CloudBase HTTP access, 云接入). */
export interface HttpAccessEvent {
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

export type GatewayOutcome =
  | { kind: 'result'; value: unknown; roundTrips: number }
  | { kind: 'not-found' }
  | { kind: 'error'; requestId: string };

export interface ServerDeps {
  /** Handles one SDK call to /admin; `source` is the X-TCB-Source header, `seqId` the URL's (see functions/meter.ts). */
  admin(body: Record<string, unknown>, source: string, seqId: string | null): Promise<unknown>;
  gateway(name: string, event: HttpAccessEvent, clientIp: string | undefined): Promise<GatewayOutcome>;
  staticDir?: string;
  /** Called with every /admin request before it is handled (wire contract tests, diagnostics). */
  onAdminRequest?: (request: { body: Record<string, unknown>; headers: IncomingHttpHeaders; url: string }) => void;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const ALLOWED_HEADERS = 'content-type, authorization';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A function's reply in CloudBase integration-response form: `{ statusCode, headers, body, isBase64Encoded }`. */
function sendFunctionResult(res: ServerResponse, value: unknown, cors: Record<string, string>): void {
  if (isPlainObject(value) && typeof value.statusCode === 'number') {
    const headers: Record<string, string> = { ...cors };
    if (isPlainObject(value.headers)) for (const [k, v] of Object.entries(value.headers)) headers[k.toLowerCase()] = String(v);
    const raw = value.body;
    const text = typeof raw === 'string' ? raw : raw === undefined ? '' : JSON.stringify(raw);
    const body = value.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text);
    if (!headers['content-type'] && typeof raw !== 'string' && raw !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(body.length);
    res.writeHead(value.statusCode, headers);
    res.end(body);
    return;
  }
  sendJson(res, 200, value === undefined ? null : value, cors);
}

export function createEmulatorServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(req, res, deps).catch((err: unknown) => {
      process.stderr.write(`[emulator] ${req.method} ${req.url} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent) sendJson(res, err instanceof BodyTooLarge ? 413 : 500, { code: 'SYS_ERR', message: 'internal error' });
      else res.destroy();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const method = req.method ?? 'GET';
  const path = url.pathname;

  if (path === '/admin') {
    if (method !== 'POST') return sendJson(res, 405, { code: 'INVALID_PARAM', message: 'POST only' });
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch (err) {
      if (err instanceof BodyTooLarge) throw err;
      return sendJson(res, 200, { code: 'INVALID_PARAM', message: 'request body must be JSON' });
    }
    if (!isPlainObject(body)) return sendJson(res, 200, { code: 'INVALID_PARAM', message: 'request body must be a JSON object' });
    deps.onAdminRequest?.({ body, headers: req.headers, url: req.url ?? '' });
    const source = typeof req.headers['x-tcb-source'] === 'string' ? req.headers['x-tcb-source'] : '';
    return sendJson(res, 200, await deps.admin(body, source, url.searchParams.get('seqId')));
  }

  const fn = /^\/fn\/([^/]+)(\/.*)?$/.exec(path);
  if (fn) {
    const cors = corsHeaders(req);
    if (method === 'OPTIONS') {
      res.writeHead(204, cors);
      return void res.end();
    }
    let name: string;
    try {
      name = decodeURIComponent(fn[1]);
    } catch {
      return sendJson(res, 404, { code: 'FUNCTION_NOT_FOUND', message: 'function not found' }, cors);
    }
    const event: HttpAccessEvent = {
      path,
      httpMethod: method,
      headers: flatHeaders(req.headers),
      queryStringParameters: Object.fromEntries(url.searchParams),
      body: (await readBody(req)).toString('utf8'),
      isBase64Encoded: false,
    };
    const outcome = await deps.gateway(name, event, req.socket.remoteAddress);
    if (outcome.kind === 'not-found') return sendJson(res, 404, { code: 'FUNCTION_NOT_FOUND', message: `function ${name} not found` }, cors);
    if (outcome.kind === 'error') {
      return sendJson(res, 500, { code: 'FUNCTIONS_EXECUTE_FAIL', message: 'functions execute fail', requestId: outcome.requestId }, cors);
    }
    // The invocation's SDK round trips, for tests and benchmarks (CloudBase sends no such header).
    return sendFunctionResult(res, outcome.value, { ...cors, 'x-local-round-trips': String(outcome.roundTrips) });
  }

  if (method === 'OPTIONS') {
    res.writeHead(204, corsHeaders(req));
    return void res.end();
  }
  if (method === 'GET' || method === 'HEAD') return serveStatic(deps.staticDir, req, res, path);
  return sendJson(res, 404, { code: 'NOT_FOUND', message: 'not found' });
}

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

export interface GatewayDeps {
  gateway(name: string, event: HttpAccessEvent, clientIp: string | undefined): Promise<GatewayOutcome>;
  staticDir?: string;
  /**
   * Cross-origin callers allowed to read replies (CloudBase: the environment's 安全域名). The
   * gateway's own origin needs no entry: same-origin requests get no CORS headers at all.
   */
  allowedOrigins: readonly string[];
  /** The gateway's own origin, e.g. http://127.0.0.1:8080 (known once it listens). */
  ownOrigin(): string;
  /** Largest /fn request body; bigger ones get 413 before the function runs. */
  maxBodyBytes: number;
}

export interface AdminDeps {
  /** Handles one SDK call to /admin; `source` is the X-TCB-Source header, `seqId` the URL's (see functions/meter.ts). */
  admin(body: Record<string, unknown>, source: string, seqId: string | null): Promise<unknown>;
  /** Answers the SDK's cloud calls (`wx.openApi`, multipart with protobuf): a raw protobuf answer. */
  openApi?(body: Buffer, contentType: string): Promise<Buffer>;
  /** Called with every /admin request before it is handled (wire contract tests, diagnostics). */
  onAdminRequest?: (request: { body: Record<string, unknown>; headers: IncomingHttpHeaders; url: string }) => void;
}

/** CloudBase's limit for a function's request body over HTTP access (EXCEED_MAX_PAYLOAD_SIZE). */
export const DEFAULT_MAX_FN_BODY_BYTES = 6 * 1024 * 1024;
/** The SDK's own requests (batch inserts of a seed) can be large; still bounded. */
const MAX_ADMIN_BODY_BYTES = 64 * 1024 * 1024;
/** How long an over-large upload may keep sending after its 413 before the socket is cut. */
const DRAIN_MS = 10_000;
const ALLOWED_HEADERS = 'content-type, authorization';
const ALLOWED_METHODS = 'POST, OPTIONS';

class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * Reads a request body of at most `limit` bytes. A declared or streamed body over the limit
 * rejects with BodyTooLarge as soon as that is known; the caller answers 413 and the rest is
 * drained unread (see refuseTooLarge), so the client gets the answer instead of a reset.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.off('end', onEnd);
        chunks.length = 0;
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolvePromise(Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** 413 now; discard what the client is still sending (bounded in time), then close. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, err: BodyTooLarge, body: unknown, extra: Record<string, string> = {}): void {
  const cut = setTimeout(() => req.socket.destroy(), DRAIN_MS);
  cut.unref();
  req.on('end', () => clearTimeout(cut));
  req.on('close', () => clearTimeout(cut));
  req.resume();
  sendJson(res, 413, body ?? { code: 'EXCEED_MAX_PAYLOAD_SIZE', message: err.message }, { connection: 'close', ...extra });
}

function sendJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

type CorsDecision = { kind: 'none' } | { kind: 'same-origin' } | { kind: 'allowed'; headers: Record<string, string> } | { kind: 'refused' };

/**
 * CORS as CloudBase HTTP access does it from the 安全域名 list: an allowed origin gets the
 * allow headers; any other origin (`null` included) gets none, so the browser keeps the reply
 * from the page. Requests without an Origin (curl, servers) are not a CORS matter.
 */
function cors(req: IncomingMessage, deps: GatewayDeps): CorsDecision {
  const origin = req.headers.origin;
  if (origin === undefined) return { kind: 'none' };
  if (origin === deps.ownOrigin()) return { kind: 'same-origin' };
  if (origin !== 'null' && deps.allowedOrigins.includes(origin)) {
    return {
      kind: 'allowed',
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-max-age': '600',
        vary: 'Origin',
      },
    };
  }
  return { kind: 'refused' };
}

function corsHeaders(decision: CorsDecision): Record<string, string> {
  if (decision.kind === 'allowed') return decision.headers;
  // Replies differ by Origin, so shared caches must key on it.
  return decision.kind === 'none' ? {} : { vary: 'Origin' };
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
    const headers: Record<string, string> = {};
    if (isPlainObject(value.headers)) for (const [k, v] of Object.entries(value.headers)) headers[k.toLowerCase()] = String(v);
    // CORS is the gateway's decision, not the function's.
    for (const k of Object.keys(headers)) if (k.startsWith('access-control-')) delete headers[k];
    Object.assign(headers, cors);
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

function serve(label: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Server {
  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`[emulator] ${label} ${req.method} ${req.url} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent) sendJson(res, 500, { code: 'SYS_ERR', message: 'internal error' });
      else res.destroy();
    });
  });
}

/**
 * The public face: functions over HTTP access (/fn/<name>) and the built H5 app. It never
 * answers the SDK's wire protocol (/admin), which lives on the loopback-only admin server.
 */
export function createGatewayServer(deps: GatewayDeps): Server {
  return serve('gateway', (req, res) => handleGateway(req, res, deps));
}

/**
 * The SDK's wire endpoint (POST /admin), bound to loopback by the emulator. wx-server-sdk
 * never sends an Origin or Sec-Fetch-Site header; a request that does comes from a browser page
 * (perhaps one open on this machine) and is refused.
 */
/**
 * How long the SDK endpoint keeps an idle connection. The SDK's keep-alive agent drops an idle
 * socket after 4.8 s; Node's default here is 5 s, so a loaded machine (a late timer on either
 * side) reuses a socket the server is closing: ECONNRESET, a failed read the cloud's endpoint,
 * which keeps connections far longer, never gives. A 100k-customer index build died of it.
 */
const ADMIN_KEEP_ALIVE_MS = 65_000;

export function createAdminServer(deps: AdminDeps): Server {
  const server = serve('admin', (req, res) => handleAdmin(req, res, deps));
  server.keepAliveTimeout = ADMIN_KEEP_ALIVE_MS;
  server.headersTimeout = ADMIN_KEEP_ALIVE_MS + 1000;
  return server;
}

async function handleAdmin(req: IncomingMessage, res: ServerResponse, deps: AdminDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const path = url.pathname;
  if (path !== '/admin') return sendJson(res, 404, { code: 'NOT_FOUND', message: 'not found' });
  if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined) {
    return sendJson(res, 403, { code: 'INVALID_REQUEST_SOURCE', message: 'browser requests are not accepted here' });
  }
  if (req.method !== 'POST') return sendJson(res, 405, { code: 'INVALID_PARAM', message: 'POST only' }, { allow: 'POST' });
  let body: unknown;
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data') && deps.openApi) {
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_ADMIN_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) return refuseTooLarge(req, res, err, { code: 'INVALID_PARAM', message: err.message });
      throw err;
    }
    const answer = await deps.openApi(raw, contentType);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': answer.length });
    res.end(answer);
    return;
  }
  try {
    body = JSON.parse((await readBody(req, MAX_ADMIN_BODY_BYTES)).toString('utf8'));
  } catch (err) {
    if (err instanceof BodyTooLarge) return refuseTooLarge(req, res, err, { code: 'INVALID_PARAM', message: err.message });
    return sendJson(res, 200, { code: 'INVALID_PARAM', message: 'request body must be JSON' });
  }
  if (!isPlainObject(body)) return sendJson(res, 200, { code: 'INVALID_PARAM', message: 'request body must be a JSON object' });
  deps.onAdminRequest?.({ body, headers: req.headers, url: req.url ?? '' });
  const source = typeof req.headers['x-tcb-source'] === 'string' ? req.headers['x-tcb-source'] : '';
  return sendJson(res, 200, await deps.admin(body, source, url.searchParams.get('seqId')));
}

async function handleGateway(req: IncomingMessage, res: ServerResponse, deps: GatewayDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const method = req.method ?? 'GET';
  const path = url.pathname;

  // The wire protocol lives on the loopback admin server only; say so plainly rather than serve the app here.
  if (path === '/admin' || path.startsWith('/admin/')) return sendJson(res, 404, { code: 'NOT_FOUND', message: 'not found' });

  const fn = /^\/fn\/([^/]+)(\/.*)?$/.exec(path);
  if (fn) {
    const decision = cors(req, deps);
    const headers = corsHeaders(decision);
    if (method === 'OPTIONS') {
      // A preflight from an origin that is not allowed gets no allow headers: the browser stops there.
      res.writeHead(decision.kind === 'allowed' ? 204 : 403, headers);
      return void res.end();
    }
    let name: string;
    try {
      name = decodeURIComponent(fn[1]);
    } catch {
      return sendJson(res, 404, { code: 'FUNCTION_NOT_FOUND', message: 'function not found' }, headers);
    }
    let body: Buffer;
    try {
      body = await readBody(req, deps.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) return refuseTooLarge(req, res, err, undefined, headers);
      throw err;
    }
    const event: HttpAccessEvent = {
      path,
      httpMethod: method,
      headers: flatHeaders(req.headers),
      queryStringParameters: Object.fromEntries(url.searchParams),
      body: body.toString('utf8'),
      isBase64Encoded: false,
    };
    const outcome = await deps.gateway(name, event, req.socket.remoteAddress);
    if (outcome.kind === 'not-found') return sendJson(res, 404, { code: 'FUNCTION_NOT_FOUND', message: `function ${name} not found` }, headers);
    if (outcome.kind === 'error') {
      return sendJson(res, 500, { code: 'FUNCTIONS_EXECUTE_FAIL', message: 'functions execute fail', requestId: outcome.requestId }, headers);
    }
    // The invocation's SDK round trips, for tests and benchmarks (CloudBase sends no such header).
    return sendFunctionResult(res, outcome.value, { ...headers, 'x-local-round-trips': String(outcome.roundTrips) });
  }

  if (method === 'GET' || method === 'HEAD') return serveStatic(deps.staticDir, req, res, path);
  return sendJson(res, 404, { code: 'NOT_FOUND', message: 'not found' });
}

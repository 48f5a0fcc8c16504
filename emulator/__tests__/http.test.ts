/** The emulator's HTTP face: functions over HTTP access (云接入) with CORS, and the built H5 app. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startTestEmulator, tempDir } from './helpers';

type Emu = Awaited<ReturnType<typeof startTestEmulator>>;
let emu: Emu;
let root: ReturnType<typeof tempDir>;
let site: string;
let stderr: jest.SpyInstance;

beforeAll(async () => {
  root = tempDir('emulator-site-');
  site = join(root.dir, 'site');
  mkdirSync(join(site, 'js'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>销售助手</title>');
  writeFileSync(join(site, 'js', 'app.js'), 'console.log(1)');
  writeFileSync(join(site, 'logo.svg'), '<svg/>');
  writeFileSync(join(root.dir, 'secret.txt'), 'outside');
  emu = await startTestEmulator({ staticDir: site, allowedOrigins: ['https://sidebar.example.com'] });
});
afterAll(async () => {
  await emu.close();
  root.remove();
});
beforeEach(() => {
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());

test('POST /fn/<name> passes the HTTP access event and answers 200 JSON', async () => {
  const res = await fetch(`${emu.url}/fn/http-echo/leads?page=2&q=%E5%BC%A0`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t0k3n', 'X-Custom': 'A' },
    body: JSON.stringify({ action: 'list' }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  const { event } = (await res.json()) as { event: Record<string, unknown> };
  expect(event).toMatchObject({
    path: '/fn/http-echo/leads',
    httpMethod: 'POST',
    queryStringParameters: { page: '2', q: '张' },
    body: '{"action":"list"}',
    isBase64Encoded: false,
  });
  expect(event.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer t0k3n', 'x-custom': 'A' });
});

test('an integration response is sent as is', async () => {
  const res = await fetch(`${emu.url}/fn/http-echo/raw`, { method: 'POST', body: 'ping' });
  expect(res.status).toBe(201);
  expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(res.headers.get('x-echo')).toBe('yes');
  expect(await res.text()).toBe('got ping');
});

describe('CORS from the allowlist (the cloud\'s 安全域名), never by reflection', () => {
  const allowed = 'https://sidebar.example.com';
  const preflight = (origin: string) =>
    fetch(`${emu.url}/fn/http-echo`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' },
    });
  const post = (origin: string) => fetch(`${emu.url}/fn/http-echo`, { method: 'POST', headers: { Origin: origin }, body: '{}' });

  test('an allowed origin gets the allow headers and its preflight 204', async () => {
    const pre = await preflight(allowed);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    expect(pre.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    const res = await post(allowed);
    expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(res.headers.get('vary')).toBe('Origin');
  });

  test.each(['null', 'https://evil.example.com', 'http://127.0.0.1:10086', `${allowed}.evil.example.com`])('%s gets no allow header and its preflight fails', async (origin) => {
    const pre = await preflight(origin);
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-methods')).toBeNull();
    const res = await post(origin);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  test('the gateway\'s own origin is same-origin: no CORS headers at all', async () => {
    const res = await post(emu.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a function cannot widen CORS through its integration response', async () => {
    const res = await fetch(`${emu.url}/fn/http-echo/cors`, { method: 'POST', headers: { Origin: 'https://evil.example.com' }, body: '' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('request bodies: a bounded size, answered 413 instead of a reset', () => {
  test('a 65 MB body gets 413 JSON before the function runs', async () => {
    const res = await fetch(`${emu.url}/fn/http-echo`, { method: 'POST', body: Buffer.alloc(65 * 1024 * 1024, 0x61) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'EXCEED_MAX_PAYLOAD_SIZE' });
  });

  test('a streamed (chunked) body that grows past the limit gets 413 too', async () => {
    const small = await startTestEmulator({ maxBodyBytes: 1024 });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${small.url}/fn/http-echo`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        for (let i = 0; i < 8; i++) req.write(Buffer.alloc(512, 0x62));
        req.end();
      });
      expect(status).toBe(413);
      const fits = await fetch(`${small.url}/fn/http-echo`, { method: 'POST', body: 'x'.repeat(1024) });
      expect(fits.status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('the SDK wire endpoint is not on the gateway', () => {
  const wireCall = { action: 'database.getDocument', collectionName: 'counters', queryType: 'WHERE', query: '{}', limit: 1 };

  test('/admin on the gateway port is 404, whatever the method', async () => {
    for (const method of ['POST', 'GET']) {
      const res = await fetch(`${emu.url}/admin`, { method, ...(method === 'POST' ? { body: JSON.stringify(wireCall) } : {}) });
      expect(res.status).toBe(404);
    }
  });

  test('it listens on loopback, on its own port, and refuses browser requests', async () => {
    const admin = new URL(emu.adminUrl);
    expect(admin.hostname).toBe('127.0.0.1');
    expect(admin.port).not.toBe(String(emu.port));
    const fromPage = await fetch(`${emu.adminUrl}/admin`, { method: 'POST', headers: { Origin: 'https://evil.example.com', 'content-type': 'text/plain' }, body: JSON.stringify(wireCall) });
    expect(fromPage.status).toBe(403);
    const nullOrigin = await fetch(`${emu.adminUrl}/admin`, { method: 'POST', headers: { Origin: 'null' }, body: JSON.stringify(wireCall) });
    expect(nullOrigin.status).toBe(403);
    const fetchMetadata = await fetch(`${emu.adminUrl}/admin`, { method: 'POST', headers: { 'sec-fetch-site': 'same-site' }, body: JSON.stringify(wireCall) });
    expect(fetchMetadata.status).toBe(403);
    expect((await fetch(`${emu.adminUrl}/fn/http-echo`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

test('a failing function answers 500 JSON without its stack; an unknown one 404 JSON', async () => {
  const res = await fetch(`${emu.url}/fn/http-echo/fail`, { method: 'POST' });
  expect(res.status).toBe(500);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ code: 'FUNCTIONS_EXECUTE_FAIL' });
  expect(JSON.stringify(body)).not.toContain('secret internals');
  expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('secret internals');

  const missing = await fetch(`${emu.url}/fn/nope`, { method: 'POST' });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
});

test('GET serves the H5 app with content types and falls back to index.html for app routes', async () => {
  const index = await fetch(`${emu.url}/`);
  expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await index.text()).toContain('销售助手');
  const js = await fetch(`${emu.url}/js/app.js`);
  expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(await js.text()).toBe('console.log(1)');
  expect((await fetch(`${emu.url}/logo.svg`)).headers.get('content-type')).toBe('image/svg+xml');
  const route = await fetch(`${emu.url}/pages/leads/index`);
  expect(route.status).toBe(200);
  expect(await route.text()).toContain('销售助手');
  expect((await fetch(`${emu.url}/js/missing.js`)).status).toBe(404);
});

test('no path traversal out of the static folder', async () => {
  const raw = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${emu.url}${path}`, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsite%2f..%2fsecret.txt', '/js/..%2f..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
    const res = await raw(path);
    expect(res.body).not.toContain('outside');
  }
});

import { canonicalQuery, canonicalRequest, HEADERS, hmac, sha256Hex, signRequest, signResponse, verifyRequest, verifyResponse } from '../signature';

const SECRET = 'test-secret-0123456789abcdefghijklmnop';
const NOW = Date.parse('2025-03-17T10:00:00+08:00');
const req = { method: 'POST', path: '/fn/oemSync/webhook', query: {}, body: '{"changes":[]}' };

test('the canonical string and signature are pinned (docs/oem-api.md has the same example)', () => {
  const canonical = canonicalRequest({ method: 'get', path: '/v1/changes', query: { limit: '500', cursor: 'abc=' }, body: '' }, '1742176800', 'n0nce-0123456789abcd');
  expect(canonical).toBe(['GET', '/v1/changes', 'cursor=abc%3D&limit=500', '1742176800', 'n0nce-0123456789abcd', sha256Hex('')].join('\n'));
  expect(hmac('demo-oem-api-secret-0123456789abcdefghij', canonical)).toBe('v1=072185bbcbfb179689235563c3023b577731d9190982ea8efdd4e3f7aefd65a7');
  expect(canonicalQuery({ b: '2', a: '1 2' })).toBe('a=1%202&b=2');
});

test('a signed request verifies; any change to method, path, query, body or time does not', () => {
  const headers = signRequest(req, SECRET, NOW, 'nonce-0123456789abcdef');
  expect(verifyRequest(req, headers, [SECRET], NOW)).toEqual({ ok: true, nonce: 'nonce-0123456789abcdef', timestamp: Math.floor(NOW / 1000) * 1000 });
  expect(verifyRequest({ ...req, body: '{"changes":[1]}' }, headers, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyRequest({ ...req, method: 'PUT' }, headers, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyRequest({ ...req, path: '/fn/other' }, headers, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyRequest({ ...req, query: { x: '1' } }, headers, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyRequest(req, { ...headers, [HEADERS.nonce]: 'nonce-0123456789abcdeX' }, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyRequest(req, headers, ['another-secret-0123456789abcdefghijkl'], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
});

test('five minutes either way, then stale; unsigned and malformed are told apart; header case does not matter', () => {
  const headers = signRequest(req, SECRET, NOW, 'nonce-0123456789abcdef');
  expect(verifyRequest(req, headers, [SECRET], NOW + 5 * 60_000).ok).toBe(true);
  expect(verifyRequest(req, headers, [SECRET], NOW - 4 * 60_000).ok).toBe(true);
  expect(verifyRequest(req, headers, [SECRET], NOW + 5 * 60_000 + 1000)).toEqual({ ok: false, reason: 'stale' });
  expect(verifyRequest(req, {}, [SECRET], NOW)).toEqual({ ok: false, reason: 'unsigned' });
  expect(verifyRequest(req, { ...headers, [HEADERS.signature]: 'sha1=abc' }, [SECRET], NOW)).toEqual({ ok: false, reason: 'malformed' });
  expect(verifyRequest(req, { ...headers, [HEADERS.nonce]: 'short' }, [SECRET], NOW)).toEqual({ ok: false, reason: 'malformed' });
  const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
  expect(verifyRequest(req, upper, [SECRET], NOW).ok).toBe(true);
});

test('during a rotation both secrets verify', () => {
  const headers = signRequest(req, 'old-secret-0123456789abcdefghijklmnopq', NOW, 'nonce-0123456789abcdef');
  expect(verifyRequest(req, headers, [SECRET, 'old-secret-0123456789abcdefghijklmnopq'], NOW).ok).toBe(true);
});

test('a response answers only the request whose nonce it was signed over', () => {
  const headers = signResponse(200, 'nonce-0123456789abcdef', '{"ok":1}', SECRET, NOW);
  expect(verifyResponse(200, 'nonce-0123456789abcdef', '{"ok":1}', headers, [SECRET], NOW)).toEqual({ ok: true });
  expect(verifyResponse(200, 'nonce-other-456789abcdef', '{"ok":1}', headers, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyResponse(500, 'nonce-0123456789abcdef', '{"ok":1}', headers, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  expect(verifyResponse(200, 'nonce-0123456789abcdef', '{"ok":2}', headers, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
});

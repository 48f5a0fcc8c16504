/** Session tokens on their own: issue, verify, and the ways a forged or damaged one is refused. */
import { issueToken, verifyToken, type SessionClaims } from '../session';

const NOW = Date.parse('2025-03-17T10:00:00+08:00');
const claims: SessionClaims = { sub: 'zhangwei', role: 'consultant', storeId: 'store-sh-pudong', exp: NOW + 3600_000, ver: 0 };
const refused = (token: string, at = NOW) => {
  try {
    verifyToken(token, at);
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'accepted';
};

beforeAll(() => {
  process.env.SIDEKICK_SESSION_SECRET = 'a-test-secret-of-more-than-thirty-two-characters';
});

it('gives back exactly the claims it signed, until they expire', () => {
  const token = issueToken(claims);
  expect(verifyToken(token, NOW)).toEqual(claims);
  expect(refused(token, claims.exp)).toBe('UNAUTHENTICATED');
});

it('refuses a token with anything added, removed or changed', () => {
  const token = issueToken(claims);
  const [payload, mac] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ ...claims, role: 'manager' })).toString('base64url');
  for (const bad of [`${token}x`, `${token}.`, ` ${token}`, `${payload}.${mac.slice(1)}`, `${forged}.${mac}`, `${payload}..${mac}`, `${payload}=.${mac}`, token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
    expect([bad, refused(bad)]).toEqual([bad, 'UNAUTHENTICATED']);
  }
});

it('refuses a token signed with another secret, and claims of another shape', () => {
  const token = issueToken(claims);
  process.env.SIDEKICK_SESSION_SECRET = 'another-secret-of-more-than-thirty-two-characters';
  expect(refused(token)).toBe('UNAUTHENTICATED');
  // Signed with the right secret but an extra claim: not a token this code issued.
  const payload = Buffer.from(JSON.stringify({ ...claims, admin: true })).toString('base64url');
  const { createHmac } = require('node:crypto') as typeof import('node:crypto');
  const mac = createHmac('sha256', process.env.SIDEKICK_SESSION_SECRET).update(payload).digest('base64url');
  expect(refused(`${payload}.${mac}`)).toBe('UNAUTHENTICATED');
  expect(refused(`${payload}.${mac}`.replace(payload, Buffer.from(JSON.stringify(claims)).toString('base64url')))).toBe('UNAUTHENTICATED');
});

it('answers CONFIG, not a token, when the secret is missing or short', () => {
  process.env.SIDEKICK_SESSION_SECRET = 'short';
  expect(() => issueToken(claims)).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  delete process.env.SIDEKICK_SESSION_SECRET;
  expect(() => issueToken(claims)).toThrow(expect.objectContaining({ code: 'CONFIG' }));
});

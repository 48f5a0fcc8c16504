import type { SessionGrant } from '@/contract';
import { startApiServer, type ApiServer } from '@/test-setup/api-server';
import { useSessionStore } from '@/stores/session-store';
import { callCloud } from './call-cloud';
import { CloudError } from './cloud-error';

const grant: SessionGrant = {
  token: 'token-of-wang-fang',
  expiresAt: Date.now() + 3600_000,
  me: { id: 'st_1', name: '王芳', role: 'consultant', storeId: 'store_1', storeName: '杭州西湖店' },
};

let server: ApiServer;
beforeEach(async () => {
  server = await startApiServer(() => [200, { ok: true, data: grant }]);
});
afterEach(() => server.close());

async function rejection(promise: Promise<unknown>): Promise<CloudError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof CloudError) return e;
    throw e;
  }
  throw new Error('the call succeeded but should have failed');
}

test('posts {action, params} to /fn/<name> and resolves with the data of an ok reply', async () => {
  server.reply(() => [200, { ok: true, data: { items: [], nextCursor: 'n2' } }]);
  await expect(callCloud('leads', 'list', { limit: 5 })).resolves.toEqual({ items: [], nextCursor: 'n2' });
  expect(server.calls).toEqual([{ name: 'leads', action: 'list', params: { limit: 5 }, authorization: undefined }]);
});

test('sends the session token once signed in', async () => {
  await useSessionStore.getState().signInAsDemoPerson('st_1');
  server.reply(() => [200, { ok: true, data: grant.me }]);
  await callCloud('auth', 'me', {});
  expect(server.calls.at(-1)?.authorization).toBe('Bearer token-of-wang-fang');
});

test('an {ok:false} reply throws a CloudError with the Chinese message and the field issues', async () => {
  server.reply(() => [
    400,
    { ok: false, error: { code: 'INVALID_INPUT', message: 'limit: too big', issues: [{ field: 'limit', message: 'must be at most 50' }] } },
  ]);
  const error = await rejection(callCloud('leads', 'list', { limit: 500 }));
  expect(error.code).toBe('INVALID_INPUT');
  expect(error.userMessage).toBe('填写的信息有误，请检查后再试');
  expect(error.issues).toEqual([{ field: 'limit', message: 'must be at most 50' }]);
});

test('a refusal with a reason is explained in its own words; a reason this build does not know falls back to the code', async () => {
  server.reply(() => [403, { ok: false, error: { code: 'FORBIDDEN', message: 'not a corp member', reason: 'NOT_CORP_MEMBER' } }]);
  const refused = await rejection(callCloud('auth', 'wecomSignIn', { code: 'c1' }));
  expect(refused).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_CORP_MEMBER', userMessage: '你不是本企业成员，无法使用销售助手' });

  server.reply(() => [403, { ok: false, error: { code: 'FORBIDDEN', message: 'later', reason: 'SOMETHING_NEWER' } }]);
  const unknown = await rejection(callCloud('auth', 'wecomSignIn', { code: 'c2' }));
  expect(unknown.reason).toBeUndefined();
  expect(unknown.userMessage).toBe('你没有权限查看这些内容');
});

test('a failure sent with HTTP 200 is still a failure', async () => {
  server.reply(() => [200, { ok: false, error: { code: 'NOT_FOUND', message: 'customer not found' } }]);
  const error = await rejection(callCloud('customers', 'profile', { customerId: 'c_gone' }));
  expect(error.code).toBe('NOT_FOUND');
  expect(error.userMessage).toBe('没有找到相关内容，可能已被删除');
});

test('a rate-limited sign-in (429) tells the person to slow down, in Chinese', async () => {
  server.reply(() => [429, { ok: false, error: { code: 'RATE_LIMITED', message: 'too many sign-in attempts; try again in 42 s', retryAfterSeconds: 42 } }]);
  const error = await rejection(callCloud('auth', 'wecomSignIn', { code: 'c0de' }));
  expect(error.code).toBe('RATE_LIMITED');
  expect(error.userMessage).toBe('操作太频繁，请稍后再试');
});

test('a reply that is not an ApiReply (a proxy error page) is an error, never a success', async () => {
  server.reply(() => [502, '<html><body>502 Bad Gateway</body></html>']);
  const error = await rejection(callCloud('auth', 'me', {}));
  expect(error.code).toBe('INTERNAL');
  expect(error.userMessage).toBe('服务器开了个小差，请稍后再试');
});

test('no server at all is a network error', async () => {
  await server.close();
  const error = await rejection(callCloud('auth', 'me', {}));
  expect(error.code).toBe('NETWORK');
  expect(error.userMessage).toBe('网络连接失败，请检查网络后再试');
  server = await startApiServer(() => [200, { ok: true, data: null }]);
});

test('UNAUTHENTICATED signs the person out (memory and storage) without navigating', async () => {
  await useSessionStore.getState().signInAsDemoPerson('st_1');
  expect(useSessionStore.getState().me?.name).toBe('王芳');
  expect(window.localStorage.getItem('sidekick-session')).toContain('token-of-wang-fang');

  server.reply(() => [401, { ok: false, error: { code: 'UNAUTHENTICATED', message: 'session expired' } }]);
  const error = await rejection(callCloud('leads', 'list', {}));
  expect(error.userMessage).toBe('登录已失效，请重新登录');
  expect(useSessionStore.getState().me).toBeUndefined();
  expect(useSessionStore.getState().token).toBeUndefined();
  expect(window.localStorage.getItem('sidekick-session')).not.toContain('token-of-wang-fang');
  expect(window.location.hash).toBe('');
});

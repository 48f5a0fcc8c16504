import { syncLines } from './sync-lines';

const now = Date.parse('2025-03-17T10:00:00+08:00');

test('a synced customer with records waiting and a failure being retried', () => {
  expect(syncLines({ shared: true, lastSyncedAt: now - 3 * 60_000, pendingUpstream: 2, failedUpstream: 0, lastError: '主机厂无响应', retrying: true }, now)).toEqual([
    { text: '已与主机厂同步 · 3分钟前', tone: 'ok' },
    { text: '2条记录待上传', tone: 'pending' },
    { text: '上次同步失败：主机厂无响应，将自动重试', tone: 'warn' },
  ]);
});

test('dead letters point the consultant to the manager; no consent says the records stay here', () => {
  expect(syncLines({ shared: true, pendingUpstream: 0, failedUpstream: 3, lastError: '主机厂拒收该记录', retrying: false }, now).map((l) => l.text)).toEqual([
    '尚未与主机厂同步',
    '3条记录多次上传失败，店长可在“主机厂同步”页重新发送',
  ]);
  expect(syncLines({ shared: false, pendingUpstream: 0, failedUpstream: 0, retrying: false }, now)).toEqual([{ text: '客户未同意与主机厂共享信息，记录只留在本店', tone: 'off' }]);
});

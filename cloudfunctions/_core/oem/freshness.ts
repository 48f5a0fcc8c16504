/**
 * What the app says about the OEM sync, in Chinese: a customer's freshness on the profile and
 * the reasons of failures on the manager's sync page.
 */
import type { SyncFreshness } from '../../../types/api';
import type { CustomerDoc, OutboxDoc, SyncErrorCode } from '../../../types/model';
import { sharesWithOem } from './consent';

export const SYNC_ERROR_TEXT: Readonly<Record<SyncErrorCode, string>> = {
  timeout: '主机厂无响应',
  unreachable: '无法连接主机厂',
  server_error: '主机厂服务异常',
  refused: '主机厂拒绝了请求',
  bad_signature: '主机厂回复的签名无效',
  bad_reply: '主机厂回复格式有误',
  rejected: '主机厂拒收该记录',
  cursor_reset: '主机厂要求重新同步',
  internal: '同步处理出错',
};

export type FreshnessEntry = Pick<OutboxDoc, 'status' | 'attempts' | 'sentAt' | 'lastError' | 'seq'>;

/**
 * The profile's sync line from the customer and their newest outbox entries (newest first;
 * the counts are of what is passed, which the caller bounds).
 */
export function syncFreshness(c: Pick<CustomerDoc, 'consent' | 'oem'>, newest: readonly FreshnessEntry[]): SyncFreshness {
  const pending = newest.filter((e) => e.status === 'pending');
  const dead = newest.filter((e) => e.status === 'dead');
  const sentTimes = newest.map((e) => e.sentAt).filter((t): t is number => t !== undefined);
  const times = [...sentTimes, ...(c.oem?.syncedAt !== undefined ? [c.oem.syncedAt] : [])];
  const failing = pending.find((e) => e.attempts > 0 && e.lastError) ?? dead.find((e) => e.lastError);
  return {
    shared: sharesWithOem(c),
    ...(times.length ? { lastSyncedAt: Math.max(...times) } : {}),
    pendingUpstream: pending.length,
    failedUpstream: dead.length,
    ...(failing?.lastError ? { lastError: SYNC_ERROR_TEXT[failing.lastError.code] } : {}),
    retrying: pending.some((e) => e.attempts > 0),
  };
}

import type { SyncFreshness } from '@/contract';
import { formatRelative } from '@/lib/time';

export type SyncTone = 'ok' | 'pending' | 'warn' | 'off';

export interface SyncLine {
  text: string;
  tone: SyncTone;
}

/**
 * What the profile says about the OEM sync, in the consultant's words: 已与主机厂同步 · 3分钟前,
 * 2条记录待上传, 上次同步失败：主机厂无响应，将自动重试. A customer who did not consent to
 * sharing gets one line saying their records stay in the store.
 */
export function syncLines(sync: SyncFreshness, now: number): SyncLine[] {
  if (!sync.shared) {
    const lines: SyncLine[] = [{ text: '客户未同意与主机厂共享信息，记录只留在本店', tone: 'off' }];
    if (sync.lastSyncedAt !== undefined) lines.push({ text: `主机厂信息更新于${formatRelative(sync.lastSyncedAt, now)}`, tone: 'off' });
    return lines;
  }
  const lines: SyncLine[] = [
    sync.lastSyncedAt !== undefined ? { text: `已与主机厂同步 · ${formatRelative(sync.lastSyncedAt, now)}`, tone: 'ok' } : { text: '尚未与主机厂同步', tone: 'pending' },
  ];
  if (sync.pendingUpstream > 0) lines.push({ text: `${sync.pendingUpstream >= 20 ? '20+' : sync.pendingUpstream}条记录待上传`, tone: 'pending' });
  if (sync.lastError && sync.retrying) lines.push({ text: `上次同步失败：${sync.lastError}，将自动重试`, tone: 'warn' });
  if (sync.failedUpstream > 0) lines.push({ text: `${sync.failedUpstream}条记录多次上传失败，店长可在“主机厂同步”页重新发送`, tone: 'warn' });
  return lines;
}

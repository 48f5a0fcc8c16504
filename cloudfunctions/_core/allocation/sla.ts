/**
 * First-contact SLA: from assignment, an H or A lead must be contacted within 2 hours, any
 * other within 24 (the policy says). Wall-clock hours: leads arrive around the clock and
 * the store promises a reply the same evening.
 */
import type { EventDoc, IntentGrade } from '../../../types/model';
import { gradeKey, type AllocationPolicy } from './policy';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type SlaState = 'pending' | 'due_soon' | 'overdue' | 'met' | 'late';

export interface SlaStatus {
  state: SlaState;
  deadline: number;
  /** Positive while there is time left, negative once the deadline has passed. */
  remainingMs: number;
  /** Chinese, e.g. 剩余1小时20分钟, 已超时35分钟, 已按时首次联系. */
  label: string;
}

export interface SlaLead {
  assignedAt: number;
  grade?: IntentGrade;
  /** First contact after assignment, if there was one. */
  firstContactAt?: number;
  /** A deadline set by whoever handed the lead over (the OEM's first-contact promise); the policy's otherwise. */
  dueAt?: number;
}

/** 35分钟, 1小时20分钟, 2天3小时 (rounded up to the minute). */
export function formatSpan(ms: number): string {
  const minutes = Math.max(1, Math.ceil(Math.abs(ms) / MINUTE));
  if (minutes < 60) return `${minutes}分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours}小时${minutes % 60}分钟` : `${hours}小时`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}天${hours % 24}小时` : `${days}天`;
}

export function slaDeadline(assignedAt: number, grade: IntentGrade | undefined, policy: AllocationPolicy): number {
  return assignedAt + policy.slaHours[gradeKey(grade)] * HOUR;
}

export function slaStatus(lead: SlaLead, now: number, policy: AllocationPolicy): SlaStatus {
  const deadline = lead.dueAt !== undefined && lead.dueAt > lead.assignedAt ? lead.dueAt : slaDeadline(lead.assignedAt, lead.grade, policy);
  const window = deadline - lead.assignedAt;
  if (lead.firstContactAt !== undefined && lead.firstContactAt >= lead.assignedAt) {
    const remainingMs = deadline - lead.firstContactAt;
    return remainingMs >= 0
      ? { state: 'met', deadline, remainingMs, label: '已按时首次联系' }
      : { state: 'late', deadline, remainingMs, label: `首次联系超时${formatSpan(remainingMs)}` };
  }
  const remainingMs = deadline - now;
  if (remainingMs < 0) return { state: 'overdue', deadline, remainingMs, label: `已超时${formatSpan(remainingMs)}，请尽快联系` };
  if (remainingMs <= window * policy.dueSoonShare) return { state: 'due_soon', deadline, remainingMs, label: `即将超时，剩余${formatSpan(remainingMs)}` };
  return { state: 'pending', deadline, remainingMs, label: `剩余${formatSpan(remainingMs)}` };
}

/**
 * Whether an event is a first contact: a connected call, a WeCom message, or meeting the
 * customer in the store. An unanswered call is only an attempt.
 */
export function isFirstContact(e: Pick<EventDoc, 'type' | 'properties'>): boolean {
  switch (e.type) {
    case 'call':
      return e.properties.connected === true || e.properties.direction === 'inbound';
    case 'wecom_chat':
    case 'store_visit':
    case 'test_drive':
    case 'quote':
      return true;
    default:
      return false;
  }
}

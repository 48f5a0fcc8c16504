/**
 * The consultant's 任务 inbox as a pure function of stored tasks, the leads awaiting their first
 * contact and the time: each item gets its due bucket (逾期 / 今天 / 明天 / 之后, by China
 * calendar day) and the inbox is grouped both by due time and by strategy. First contacts are
 * derived from the leads (their SLA), not stored: they leave the inbox when the contact is
 * recorded, so they cannot be ticked off by hand.
 */
import type { TaskKind, TaskStatus } from '../../../types/model';
import { chinaDayStart, DAY } from '../events/day-buckets';

export type DueBucket = 'overdue' | 'today' | 'tomorrow' | 'later';

export const BUCKET_TITLES: Readonly<Record<DueBucket | 'skipped', string>> = {
  overdue: '逾期',
  today: '今天',
  tomorrow: '明天',
  later: '之后',
  skipped: '未发送',
};

/** Where an item due at `dueAt` belongs: past due is overdue, else by calendar day. */
export function dueBucket(dueAt: number, now: number): DueBucket {
  if (dueAt < now) return 'overdue';
  const today = chinaDayStart(now);
  if (dueAt < today + DAY) return 'today';
  if (dueAt < today + 2 * DAY) return 'tomorrow';
  return 'later';
}

/** One line of the inbox, whatever made it. */
export interface InboxEntry {
  id: string;
  kind: TaskKind;
  customerId: string;
  dueAt: number;
  status: Extract<TaskStatus, 'open' | 'skipped'>;
  strategyId?: string;
  strategyName?: string;
  /** Derived from the lead (first contact): completes only by contacting the customer. */
  derived?: boolean;
}

export interface InboxSection<E> {
  key: DueBucket | 'skipped';
  title: string;
  items: E[];
}

export interface StrategyGroup<E> {
  /** Absent: the consultant's own work (first contacts, follow-ups, appointments). */
  strategyId?: string;
  name: string;
  items: E[];
}

const byDue = (a: InboxEntry, b: InboxEntry) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Sections in the order a consultant works them (overdue first, skipped sends last), each
 * soonest due first; empty sections are left out.
 */
export function sectionsByDue<E extends InboxEntry>(entries: readonly E[], now: number): InboxSection<E>[] {
  const buckets = new Map<DueBucket | 'skipped', E[]>();
  for (const e of [...entries].sort(byDue)) {
    const key = e.status === 'skipped' ? 'skipped' : dueBucket(e.dueAt, now);
    const list = buckets.get(key) ?? [];
    list.push(e);
    buckets.set(key, list);
  }
  return (['overdue', 'today', 'tomorrow', 'later', 'skipped'] as const)
    .filter((k) => buckets.has(k))
    .map((key) => ({ key, title: BUCKET_TITLES[key], items: buckets.get(key)! }));
}

/** The consultant's own work first, then each strategy (by its soonest item), each soonest due first. */
export function groupsByStrategy<E extends InboxEntry>(entries: readonly E[]): StrategyGroup<E>[] {
  const groups = new Map<string, StrategyGroup<E>>();
  for (const e of [...entries].sort(byDue)) {
    const key = e.strategyId ?? '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...(e.strategyId ? { strategyId: e.strategyId } : {}), name: e.strategyId ? (e.strategyName ?? '营销策略') : '日常跟进', items: [] }));
    g.items.push(e);
  }
  const own = groups.get('');
  groups.delete('');
  return [...(own ? [own] : []), ...groups.values()];
}

/** What a lead awaiting first contact needs to become an inbox entry. */
export interface AwaitingLead {
  _id: string;
  assignedAt: number;
  /** The SLA deadline (`slaStatus(...).deadline`). */
  deadline: number;
}

/** The id of a first-contact entry: one per assignment, so a reassigned lead is a new one. */
export const firstContactId = (customerId: string, assignedAt: number) => `first_contact/${customerId}/${assignedAt}`;

export function firstContactEntries(leads: readonly AwaitingLead[]): InboxEntry[] {
  return leads.map((l) => ({ id: firstContactId(l._id, l.assignedAt), kind: 'first_contact', customerId: l._id, dueAt: l.deadline, status: 'open', derived: true }));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** China wall-clock parts of `t`. */
function chinaParts(t: number): { month: number; day: number; hh: string; mm: string } {
  const d = new Date(t + 8 * 3_600_000);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), hh: pad(d.getUTCHours()), mm: pad(d.getUTCMinutes()) };
}

/** 已超时2小时 / 今天 15:00 / 明天 10:00 / 3月20日 09:30. */
export function dueLabel(dueAt: number, now: number, overdueSpan: (ms: number) => string): string {
  const bucket = dueBucket(dueAt, now);
  const p = chinaParts(dueAt);
  if (bucket === 'overdue') return `已超时${overdueSpan(now - dueAt)}`;
  if (bucket === 'today') return `今天 ${p.hh}:${p.mm}`;
  if (bucket === 'tomorrow') return `明天 ${p.hh}:${p.mm}`;
  return `${p.month}月${p.day}日 ${p.hh}:${p.mm}`;
}

/**
 * A strategy's funnel from its members: invited (a task was made) -> delivered (a send went out)
 * -> opened -> registered -> checked in, with each step's rate from the one before and from the
 * invited, split by consultant and by channel; and the held-out group beside it, whose
 * conversion (came to the store, test drove, ordered) is the baseline the uplift is measured on.
 */
import type { SendChannel, StrategyMemberDoc } from '../../../types/model';

export const FUNNEL_STEPS = ['invited', 'delivered', 'opened', 'registered', 'checkedIn'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];
export type FunnelCounts = Record<FunnelStep, number>;

export type MemberRow = Pick<StrategyMemberDoc, 'holdout' | 'ownerId' | 'channel' | 'sendIds' | 'openedAt' | 'everOpenedAt' | 'registeredAt' | 'checkedInAt' | 'testDroveAt' | 'orderedAt'>;

const zero = (): FunnelCounts => ({ invited: 0, delivered: 0, opened: 0, registered: 0, checkedIn: 0 });

function add(c: FunnelCounts, m: MemberRow): void {
  c.invited++;
  if (m.sendIds.length) c.delivered++;
  if (m.everOpenedAt !== undefined || m.openedAt !== undefined) c.opened++;
  if (m.registeredAt !== undefined) c.registered++;
  if (m.checkedInAt !== undefined) c.checkedIn++;
}

/** Each step's share of the step before (the first: of itself, 1), in 0..1. */
export function stepRates(c: FunnelCounts): Record<FunnelStep, number> {
  const out = {} as Record<FunnelStep, number>;
  FUNNEL_STEPS.forEach((s, i) => {
    const before = i === 0 ? c[s] : c[FUNNEL_STEPS[i - 1]];
    out[s] = before ? c[s] / before : 0;
  });
  return out;
}

export interface Conversion {
  members: number;
  /** Came to the store, test drove or ordered. */
  converted: number;
  rate: number;
}

export interface StrategyFunnel {
  total: FunnelCounts;
  byConsultant: Map<string, FunnelCounts>;
  byChannel: Map<SendChannel | 'unsent', FunnelCounts>;
  treated: Conversion;
  holdout: Conversion;
  /** Treated rate minus holdout rate (percentage points / 100); absent without a holdout. */
  uplift?: number;
}

const converted = (m: MemberRow) => m.checkedInAt !== undefined || m.testDroveAt !== undefined || m.orderedAt !== undefined;

export function funnelOf(members: Iterable<MemberRow>): StrategyFunnel {
  const f: StrategyFunnel = { total: zero(), byConsultant: new Map(), byChannel: new Map(), treated: { members: 0, converted: 0, rate: 0 }, holdout: { members: 0, converted: 0, rate: 0 } };
  for (const m of members) {
    const group = m.holdout ? f.holdout : f.treated;
    group.members++;
    if (converted(m)) group.converted++;
    if (m.holdout) continue;
    add(f.total, m);
    const owner = m.ownerId ?? '';
    if (!f.byConsultant.has(owner)) f.byConsultant.set(owner, zero());
    add(f.byConsultant.get(owner)!, m);
    const ch = m.channel ?? 'unsent';
    if (!f.byChannel.has(ch)) f.byChannel.set(ch, zero());
    add(f.byChannel.get(ch)!, m);
  }
  for (const g of [f.treated, f.holdout]) g.rate = g.members ? g.converted / g.members : 0;
  if (f.holdout.members) f.uplift = f.treated.rate - f.holdout.rate;
  return f;
}

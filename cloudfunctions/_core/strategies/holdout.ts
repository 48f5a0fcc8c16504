/**
 * The holdout group: a fixed share of a strategy's audience that gets nothing, so its funnel
 * can show the uplift. Deterministic by strategy and customer (FNV-1a), so issuing again, on
 * another instance or after a crash, puts every customer on the same side.
 */

/** 32-bit FNV-1a of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Whether the customer is held out of the strategy (`percent` 0-50 of the audience). */
export function inHoldout(strategyId: string, customerId: string, percent: number): boolean {
  if (percent <= 0) return false;
  return fnv1a(`holdout:${strategyId}/${customerId}`) % 10_000 < Math.round(percent * 100);
}

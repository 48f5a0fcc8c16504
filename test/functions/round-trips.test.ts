/**
 * Round-trip budgets, counted by the local cloud (every SDK call is a network round trip in
 * CloudBase, ~10 ms): a warm function instance answers a leads page in ≤ 3 and a profile in ≤ 4;
 * a track batch costs a bounded number per event however large the store, with its reads done
 * in bulk. Wall times at 10 ms per round trip are benchmarks (`npm run bench -- --only cloud`).
 */
import type { LeadSummary, Page, TrackResult } from '../../types/api';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: string;
let manager: string;

beforeAll(async () => {
  stack = await startTestStack({ customers: 1200 });
  [consultant, manager] = await Promise.all([stack.signIn('zhangwei'), stack.signIn('wangjianguo')]);
  // Warm the instances: the first call of an instance reads the reference data it keeps a minute.
  await stack.http('leads', { action: 'list', params: { limit: 20 } }, consultant);
  await stack.http('customers', { action: 'profile', params: { customerId: 'cus-0000001' } }, consultant);
});
afterAll(() => stack.destroy());

it('answers a leads page in at most 3 round trips and opens a profile in at most 4', async () => {
  const page = await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { limit: 20 } }, consultant);
  expect(page.roundTrips).toBeLessThanOrEqual(3);
  const next = await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { limit: 20, cursor: ok(page).nextCursor } }, consultant);
  expect(next.roundTrips).toBeLessThanOrEqual(3);
  const profile = await stack.http('customers', { action: 'profile', params: { customerId: ok(page).items[0].id } }, consultant);
  expect(ok(profile)).toBeTruthy();
  expect(profile.roundTrips).toBeLessThanOrEqual(4);
});

it('ingests 100 events for new people and again for the same people within a fixed budget per event', async () => {
  const at = stack.clock.now();
  const phones = Array.from({ length: 100 }, (_, i) => `1377${String(1_000_000 + i).slice(-7)}`);
  const batch = (tag: string) =>
    phones.map((phone, i) => ({ messageId: `rt-${tag}-${i}`, event: 'store_visit', identities: { phone }, properties: { durationMinutes: 20 }, originalTimestamp: at, sentAt: at, source: 'store', storeId: 'store-sh-pudong' }));
  const fresh = await stack.http<TrackResult>('track', { action: 'ingest', params: { events: batch('new') } }, manager);
  expect(ok(fresh).accepted).toHaveLength(100);
  const known = await stack.http<TrackResult>('track', { action: 'ingest', params: { events: batch('known') } }, manager);
  expect(ok(known).accepted).toHaveLength(100);
  // Per customer: one transaction (start, two reads, three writes, commit); the rest is bulk reads
  // and writes (a few more here, where reads are capped at 100 rows).
  expect(fresh.roundTrips).toBeLessThanOrEqual(100 * 7 + 40);
  expect(known.roundTrips).toBeLessThanOrEqual(100 * 7 + 40);
});

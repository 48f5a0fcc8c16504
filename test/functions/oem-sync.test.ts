/**
 * The OEM sync through the real SDK against the local cloud and the OEM simulator: the pull
 * with its durable cursor and lease, the webhook, OEM leads in the right consultant's list,
 * the upstream outbox in each customer's order with backoff, dead letters and replay, and
 * consent both ways.
 */
import type { CustomerProfile, DeadLetterView, FollowUpResult, LeadSummary, OemSyncStatus, Page, ReplayResult } from '../../types/api';
import type { ConsentDoc, CustomerDoc, EventDoc, OemSyncStateDoc, OutboxDoc } from '../../types/model';
import { bulkFeed, consentChange, eventChange, leadChange, prng } from '../../emulator/oem/data';
import { newCustomerId } from '../../cloudfunctions/_core/oneid';
import type { OemSimulator } from '../../emulator/oem/simulator';
import type { SyncReport } from '../../cloudfunctions/_lib/oem/sync';
import { ok, startTestStack, type TestStack } from '../support/stack';

const STORES = ['store-sh-pudong', 'store-sh-jiading', 'store-sz-sip'];
let stack: TestStack;
let oem: OemSimulator;
let manager: string;

const sync = () => stack.emulator.fireTimer('oemSync') as Promise<SyncReport>;
const customerByOemId = (storeId: string, oemId: string) =>
  (stack.emulator.db.find('customers', { storeId, 'identities.oemId': oemId }, {}) as (CustomerDoc & { mergedInto?: string })[]).find((c) => !c.mergedInto);
const outbox = (where: object = {}) => stack.emulator.db.find('oemOutbox', where, { limit: 100000 }) as OutboxDoc[];

beforeAll(async () => {
  stack = await startTestStack({ customers: 600, env: { SIDEKICK_OEM_TIMEOUT_MS: '1500' }, oem: { simulator: { holdMs: 2500, slowMs: 100 } } });
  oem = stack.oem!;
  manager = await stack.signIn('wangjianguo');
});
afterAll(() => stack.destroy());

describe('changes in', () => {
  it('pulls a feed into the stores: new leads in bulk, events by id, the cursor durable, a second run a no-op', async () => {
    const feed = bulkFeed({ changes: 120, stores: STORES, startAt: stack.clock.now() - 3600_000, prefix: 'OEMT', updates: 0.2 });
    oem.addChanges(feed.changes);
    const first = await sync();
    expect(first.ingest?.error).toBeUndefined();
    expect(first.ingest?.caughtUp).toBe(true);
    for (const p of feed.people) {
      const c = customerByOemId(p.storeId, p.oemId);
      expect(c?.identities.phone).toBe(p.phone);
      expect(c?.oem?.lead?.campaignName).toBeTruthy();
      expect(c?.consent?.oem_sharing?.granted).toBe(true);
    }
    const events = stack.emulator.db.find('events', { _id: { $regex: '^oem:' } }, { limit: 100000 }) as (EventDoc & { pending?: boolean })[];
    expect(events.filter((e) => e.pending)).toEqual([]);
    const leadEvents = feed.changes.filter((c) => c.type === 'lead').length + feed.changes.filter((c) => c.type === 'event').length;
    expect(events).toHaveLength(leadEvents);
    const state = stack.emulator.db.find('oemSyncState', { _id: 'ingest' }, {})[0] as unknown as OemSyncStateDoc;
    expect(state.cursor).not.toBe('');
    expect(state.leaseUntil).toBe(0);

    const snapshot = () => stack.emulator.db.find('customers', { 'identities.oemId': { $regex: '^OEMT' } }, { sort: { _id: 1 }, limit: 100000 }) as CustomerDoc[];
    const before = snapshot();
    oem.resetCursors();
    const again = await sync();
    expect(again.ingest).toMatchObject({ created: 0, caughtUp: true });
    expect(snapshot()).toEqual(before);
  });

  it('puts a new OEM lead in a consultant list with its campaign and the OEM first-contact deadline, pushed by webhook', async () => {
    const lead = oem.createLead({ storeId: 'store-sh-pudong', modelId: 'lanyue' });
    expect(await oem.pushesSettled()).toBe(true);
    const c = customerByOemId('store-sh-pudong', lead.oemId)!;
    expect(c).toBeDefined();
    expect(c.ownerId).toBeDefined();
    const token = await stack.signIn(c.ownerId!);
    const leads = await stack.allLeads(token);
    const card = leads.find((l: LeadSummary) => l.id === c._id)!;
    expect(card.campaign).toBe((lead as { data: { campaign: { name: string } } }).data.campaign.name);
    expect(card.sla?.label).toMatch(/剩余/);
  });

  it('never lets two runs apply the feed at once', async () => {
    oem.addChanges(bulkFeed({ changes: 40, stores: STORES, startAt: stack.clock.now() - 1800_000, prefix: 'OEMK', seed: 3 }).changes);
    const [a, b] = await Promise.all([sync(), sync()]);
    const busy = [a, b].filter((r) => r.ingest?.busy);
    expect(busy).toHaveLength(1);
    const ran = [a, b].find((r) => !r.ingest?.busy)!;
    expect(ran.ingest?.created).toBeGreaterThan(0);
    const created = stack.emulator.db.count('customers', { 'identities.oemId': { $regex: '^OEMK' } });
    expect(created).toBe(ran.ingest?.created);
  });

  it('completes a create a crash cut short with every identifier it claimed, even when the replayed page lacks the lead', async () => {
    // A run wrote the identity claims of a new lead (its OEM id and phone) and died before the customer.
    const storeId = 'store-sz-sip';
    const lead = leadChange({ n: 800_001, storeId, at: stack.clock.now() - 600_000, prefix: 'OEMU', rand: prng(9) });
    const id = newCustomerId({ type: 'oemId', value: lead.oemId }, storeId);
    const claim = (type: 'oemId' | 'phone', value: string) => ({ _id: `${storeId}/${type}:${value}`, storeId, type, value, customerId: id, source: 'oem' });
    stack.emulator.db.insertMany('identities', [claim('oemId', lead.oemId), claim('phone', String(lead.data.phone))]);
    // The replay gets the person's online event first (pages may be reordered or cut short), the lead later.
    oem.addChanges([eventChange(lead.oemId, 0, stack.clock.now() - 300_000, prng(9), storeId)]);
    expect((await sync()).ingest?.error).toBeUndefined();
    expect(customerByOemId(storeId, lead.oemId)?.identities.phone).toBe(lead.data.phone);
    oem.addChanges([lead]);
    expect((await sync()).ingest?.error).toBeUndefined();
    const c = customerByOemId(storeId, lead.oemId)!;
    expect(c._id).toBe(id);
    expect(c.identities.phone).toBe(lead.data.phone);
    expect(c.oem?.lead?.changeId).toBe(lead.id);
  });

  it('gives a customer the phone of a lead that comes after the person\'s online event', async () => {
    const storeId = 'store-sz-sip';
    const lead = leadChange({ n: 800_003, storeId, at: stack.clock.now() - 600_000, prefix: 'OEMU', rand: prng(11) });
    oem.addChanges([eventChange(lead.oemId, 0, stack.clock.now() - 900_000, prng(11), storeId)]);
    expect((await sync()).ingest?.error).toBeUndefined();
    expect(customerByOemId(storeId, lead.oemId)?.identities.phone).toBeUndefined();
    oem.addChanges([lead]);
    expect((await sync()).ingest?.error).toBeUndefined();
    const c = customerByOemId(storeId, lead.oemId)!;
    expect(c.identities.phone).toBe(lead.data.phone);
    expect((c as CustomerDoc & { identifiers: unknown[] }).identifiers).toContainEqual({ type: 'phone', value: lead.data.phone });
    expect(c.oem?.lead?.changeId).toBe(lead.id);
  });

  it('finishes an update a crash cut short after its identity claims: the lead brings its phone to the customer', async () => {
    const storeId = 'store-sh-jiading';
    const lead = leadChange({ n: 800_002, storeId, at: stack.clock.now() - 600_000, prefix: 'OEMU', rand: prng(10) });
    // The person's online event came first: a customer with the OEM id only.
    oem.addChanges([eventChange(lead.oemId, 0, stack.clock.now() - 900_000, prng(10), storeId)]);
    expect((await sync()).ingest?.error).toBeUndefined();
    const before = customerByOemId(storeId, lead.oemId)!;
    expect(before.identities.phone).toBeUndefined();
    // A run applying the lead claimed the phone for that customer and was killed before writing it on the customer.
    stack.emulator.db.insertMany('identities', [{ _id: `${storeId}/phone:${String(lead.data.phone)}`, storeId, type: 'phone', value: String(lead.data.phone), customerId: before._id, source: 'oem' }]);
    oem.addChanges([lead]);
    expect((await sync()).ingest?.error).toBeUndefined();
    const c = customerByOemId(storeId, lead.oemId)!;
    expect(c._id).toBe(before._id);
    expect(c.identities.phone).toBe(lead.data.phone);
    expect(c.oem?.lead?.changeId).toBe(lead.id);
  });
});

describe('the webhook', () => {
  const url = () => `${stack.url}/fn/oemSync/webhook`;
  const body = (id: string) => JSON.stringify({ changes: [leadChange({ n: 700_000 + Number(id), storeId: 'store-sz-sip', at: stack.clock.now(), prefix: 'OEMW', rand: prng(5) })] });

  async function signed(raw: string, opts: { secret?: string; at?: number; nonce?: string; tamper?: boolean } = {}) {
    const { signRequest } = await import('../../cloudfunctions/_core/oem/signature');
    const { DEMO_OEM } = await import('../../scripts/local-stack');
    const nonce = opts.nonce ?? `nonce${Math.random().toString(36).slice(2)}${Date.now()}`;
    const headers = signRequest({ method: 'POST', path: '/fn/oemSync/webhook', query: {}, body: raw }, opts.secret ?? DEMO_OEM.webhookSecret, opts.at ?? stack.clock.now(), nonce);
    return fetch(url(), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: opts.tamper ? raw.replace('store-sz-sip', 'store-sh-pudong') : raw });
  }
  const counts = () => ({ inbox: stack.emulator.db.count('oemInbox', {}), nonces: stack.emulator.db.count('oemNonces', {}), customers: stack.emulator.db.count('customers', {}) });

  it('refuses unsigned, tampered, wrongly keyed, stale and replayed requests with 401 and writes nothing', async () => {
    const before = counts();
    const unsigned = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: body('1') });
    expect(unsigned.status).toBe(401);
    expect((await signed(body('2'), { tamper: true })).status).toBe(401);
    expect((await signed(body('3'), { secret: 'another-secret-that-is-long-enough-0000' })).status).toBe(401);
    expect((await signed(body('4'), { at: stack.clock.now() - 6 * 60_000 })).status).toBe(401);
    expect(counts()).toEqual(before);

    const first = await signed(body('5'), { nonce: 'replay-nonce-0123456789' });
    expect(first.status).toBe(200);
    const afterFirst = counts();
    const replay = await signed(body('5'), { nonce: 'replay-nonce-0123456789' });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: 'replayed' });
    expect(counts()).toEqual(afterFirst);
  });

  it('signs its answer over the nonce of the request', async () => {
    const { verifyResponse } = await import('../../cloudfunctions/_core/oem/signature');
    const { DEMO_OEM } = await import('../../scripts/local-stack');
    const res = await signed(body('6'), { nonce: 'answer-nonce-0123456789' });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    expect(verifyResponse(200, 'answer-nonce-0123456789', text, headers, [DEMO_OEM.webhookSecret], stack.clock.now())).toEqual({ ok: true });
    expect(JSON.parse(text)).toMatchObject({ received: 1, applied: true });
  });
});

describe('store-side facts out', () => {
  let token: string;
  let customer: CustomerDoc;

  beforeAll(async () => {
    const lead = oem.createLead({ storeId: 'store-sh-pudong', modelId: 'tuyao' });
    await oem.pushesSettled();
    customer = customerByOemId('store-sh-pudong', lead.oemId)!;
    token = await stack.signIn(customer.ownerId!);
  });

  const followUp = (messageId: string, extra: Record<string, unknown>) =>
    stack.http<FollowUpResult>('customers', { action: 'followUp', params: { customerId: customer._id, messageId, ...extra } }, token);

  it('queues follow-ups of a consenting customer in the transaction that applies them and sends them in order', async () => {
    ok(await followUp('oem-fu-call-1', { kind: 'call', outcome: 'connected' }));
    ok(await followUp('oem-fu-quote-1', { kind: 'quote', modelId: 'tuyao', price: 129_800, priceCut: 8_000 }));
    ok(await followUp('oem-fu-note-1', { kind: 'note', note: '客户私下说的话不上传' }));
    const entries = outbox({ customerId: customer._id });
    expect(entries.map((e) => [e._id, e.seq])).toEqual([
      ['evt:oem-fu-call-1', 1],
      ['evt:oem-fu-quote-1', 2],
    ]);
    const report = await sync();
    expect(report.upload?.sent).toBeGreaterThanOrEqual(2);
    const quote = oem.received().get('evt:oem-fu-quote-1')!;
    expect(quote.item).toMatchObject({ event: 'quote', userId: customer.identities.oemId, properties: { price: 129_800, priceCut: 8_000 }, context: { storeId: 'store-sh-pudong', sequence: 2 } });
    expect(oem.sequences().get(customer.identities.oemId!)).toEqual([1, 2]);

    const profile = ok(await stack.http<CustomerProfile>('customers', { action: 'profile', params: { customerId: customer._id } }, token));
    expect(profile.sync).toMatchObject({ shared: true, pendingUpstream: 0, failedUpstream: 0 });
    expect(profile.sync.lastSyncedAt).toBeGreaterThan(0);
    expect(profile.campaign).toBeTruthy();
  });

  it('backs off when the OEM fails, keeps the order, dead-letters after the last attempt and replays on request', async () => {
    oem.setFaults({ serverError: 1 });
    ok(await followUp('oem-fu-visit-2', { kind: 'visit', durationMinutes: 30 }));
    ok(await followUp('oem-fu-td-2', { kind: 'test_drive', modelId: 'tuyao' }));
    const failed = await sync();
    expect(failed.upload?.error?.code).toBe('server_error');
    const [visit, drive] = ['evt:oem-fu-visit-2', 'evt:oem-fu-td-2'].map((id) => outbox({ _id: id })[0]);
    expect(visit).toMatchObject({ status: 'pending', attempts: 1 });
    expect(visit.nextAt).toBeGreaterThan(stack.clock.now());
    expect(drive.attempts).toBe(1);

    const profile = ok(await stack.http<CustomerProfile>('customers', { action: 'profile', params: { customerId: customer._id } }, token));
    expect(profile.sync).toMatchObject({ pendingUpstream: 2, retrying: true, lastError: '主机厂服务异常' });

    // Keep failing until the entries are dead letters.
    for (let i = 0; i < 12 && outbox({ _id: 'evt:oem-fu-visit-2' })[0].status !== 'dead'; i++) {
      stack.clock.advance(2 * 3600_000);
      await sync();
    }
    // Sessions last 12 hours.
    token = await stack.signIn(customer.ownerId!);
    manager = await stack.signIn('wangjianguo');
    expect(outbox({ _id: 'evt:oem-fu-visit-2' })[0]).toMatchObject({ status: 'dead', attempts: 8 });
    // A later fact of the same customer waits behind the dead letter.
    oem.setFaults({});
    ok(await followUp('oem-fu-call-3', { kind: 'call', outcome: 'no_answer' }));
    await sync();
    expect(outbox({ _id: 'evt:oem-fu-call-3' })[0].status).toBe('pending');
    expect(oem.received().has('evt:oem-fu-call-3')).toBe(false);

    const status = ok(await stack.http<OemSyncStatus>('oemSync', { action: 'status', params: {} }, manager));
    expect(status).toMatchObject({ configured: true, dead: 2 });
    const dead = ok(await stack.http<Page<DeadLetterView>>('oemSync', { action: 'deadLetters', params: {} }, manager));
    expect(dead.items.map((d) => d.what)).toEqual(expect.arrayContaining([expect.stringContaining('试驾')]));
    const replay = ok(await stack.http<ReplayResult>('oemSync', { action: 'replay', params: { all: true } }, manager));
    expect(replay.queued).toBe(2);
    await sync();
    const seq = oem.sequences().get(customer.identities.oemId!)!;
    expect(seq).toEqual([...seq].sort((a, b) => a - b));
    expect(['evt:oem-fu-visit-2', 'evt:oem-fu-td-2', 'evt:oem-fu-call-3'].every((id) => oem.received().has(id))).toBe(true);
  });

  it('refuses replay to a consultant', async () => {
    const r = await stack.http('oemSync', { action: 'replay', params: { all: true } }, token);
    expect(r.status).toBe(403);
  });
});

describe('consent both ways', () => {
  it('stops the flow at once when the customer withdraws in the store, and tells the OEM', async () => {
    const lead = oem.createLead({ storeId: 'store-sh-jiading' });
    await oem.pushesSettled();
    const c = customerByOemId('store-sh-jiading', lead.oemId)!;
    const token = await stack.signIn(c.ownerId!);
    oem.setFaults({ serverError: 1 });
    ok(await stack.http('customers', { action: 'followUp', params: { customerId: c._id, messageId: 'oem-consent-fu-1', kind: 'call', outcome: 'connected' } }, token));
    await sync();
    oem.setFaults({});
    const withdrawn = ok(await stack.http<{ changed: boolean; granted: boolean }>('customers', { action: 'withdrawConsent', params: { customerId: c._id, purpose: 'oem_sharing' } }, token));
    expect(withdrawn).toMatchObject({ changed: true, granted: false });
    expect(outbox({ _id: 'evt:oem-consent-fu-1' })[0].status).toBe('withheld');
    ok(await stack.http('customers', { action: 'followUp', params: { customerId: c._id, messageId: 'oem-consent-fu-2', kind: 'call', outcome: 'connected' } }, token));
    expect(outbox({ _id: 'evt:oem-consent-fu-2' })).toEqual([]);
    stack.clock.advance(3600_000);
    await sync();
    const sent = [...oem.received().values()].filter((r) => r.item.userId === lead.oemId);
    expect(sent.map((r) => r.item.event)).toEqual(['consent_changed']);
    expect(sent[0].item.properties).toMatchObject({ purpose: 'oem_sharing', granted: false });
    const ledger = stack.emulator.db.find('consents', { customerId: c._id }, { sort: { at: 1 } }) as ConsentDoc[];
    expect(ledger.map((e) => [e.purpose, e.granted, e.channel])).toEqual([
      ['oem_sharing', true, 'oem'],
      ['oem_sharing', false, 'store'],
    ]);
  });

  it('applies a withdrawal the OEM sends down and withholds what was waiting', async () => {
    const lead = oem.createLead({ storeId: 'store-sz-sip' });
    await oem.pushesSettled();
    const c = customerByOemId('store-sz-sip', lead.oemId)!;
    const token = await stack.signIn(c.ownerId!);
    oem.setFaults({ timeout: 1 });
    ok(await stack.http('customers', { action: 'followUp', params: { customerId: c._id, messageId: 'oem-consent-fu-3', kind: 'visit' } }, token));
    await sync();
    oem.setFaults({});
    oem.addChanges([consentChange(lead.oemId, 1, stack.clock.now(), false)], { push: true });
    expect(await oem.pushesSettled()).toBe(true);
    expect(customerByOemId('store-sz-sip', lead.oemId)!.consent?.oem_sharing?.granted).toBe(false);
    expect(outbox({ _id: 'evt:oem-consent-fu-3' })[0].status).toBe('withheld');
    const profile = ok(await stack.http<CustomerProfile>('customers', { action: 'profile', params: { customerId: c._id } }, token));
    expect(profile.sync.shared).toBe(false);
  });
});

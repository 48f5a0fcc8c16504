/**
 * The customer's side of an invitation through the real wx-server-sdk on the local cloud:
 * places under concurrent registration, idempotent registration and cancellation, tracked
 * links that cannot be forged or pointed elsewhere, tracking only with consent, dwell counted
 * once, shares credited to the sharer, and the mini-program's phone vouched for by the platform.
 */
import type { ApiReply, ConsentResult, InvitationOpen, MyRegistration, MyRegistrations, RegisterResult, TimelineItem, Page, TrackAnswer } from '../../types/api';
import { ErrorCodes } from '../../types/api';
import { INVITE_NOTICE_VERSION } from '../../types/catalog';
import type { ActivityDoc, ConsentDoc, CustomerDoc, EventDoc, InviteVisitDoc, RegistrationDoc, SendDoc } from '../../types/model';
import { DEMO_CUSTOMERS } from '../../seed/directory';
import { clientId, deviceToken, makeSend } from '../support/sends';
import { ok, startTestStack, type TestStack } from '../support/stack';

const A = 'store-sh-pudong';
let stack: TestStack;
const db = () => stack.emulator.db;

type Reply<T> = { status: number; reply: ApiReply<T> };
const fn = <T>(action: string, params: object, token?: string): Promise<Reply<T>> => stack.http<T>('activities', { action, params }, token) as Promise<Reply<T>>;
/** As the mini-program: the platform puts the OPENID in the call. */
async function asWeapp<T>(openid: string, action: string, params: object): Promise<Reply<T>> {
  const reply = (await stack.emulator.invoke('activities', { action, params }, { OPENID: openid })) as ApiReply<T>;
  return { status: reply.ok ? 200 : ErrorCodes[reply.error.code], reply };
}

const send = (id: string) => db().findById<SendDoc>('sends', id)!;
const activity = (id: string) => db().findById<ActivityDoc>('activities', id)!;
const writes = () => {
  const c = db().writeCounts();
  delete c.rateLimits;
  return c;
};

/** Store A customers with a phone, not the demo's eight, a fresh batch each call. */
let taken = 0;
function customers(n: number): (CustomerDoc & { identities: { phone: string } })[] {
  const rows = db()
    .find<CustomerDoc & { mergedInto?: string }>('customers', { storeId: A, 'identities.phone': { $exists: true }, ownerId: { $exists: true }, mergedInto: { $exists: false } }, { sort: { _id: 1 } })
    .filter((c) => !DEMO_CUSTOMERS.some((_, i) => c._id === `cus-${String(i + 1).padStart(7, '0')}`))
    .slice(taken, taken + n);
  taken += n;
  return rows as (CustomerDoc & { identities: { phone: string } })[];
}

/** A new store-A activity with `capacity` places. */
let acts = 0;
function newActivity(capacity: number): ActivityDoc {
  const now = stack.clock.now();
  const a: ActivityDoc = { ...activity('act-suv-weekend'), _id: `act-test-${++acts}`, capacity, registered: 0, startAt: now + 3 * 86_400_000, endAt: now + 4 * 86_400_000 };
  db().insertOne('activities', a);
  return a;
}

/** A send of `a` to customer `c`, with the H5 page's device. */
function linkFor(c: CustomerDoc, activityId = 'act-suv-weekend') {
  const made = makeSend(stack, { customerId: c._id, storeId: c.storeId, consultantId: c.ownerId ?? 'zhangwei', activityId });
  return { ...made, device: deviceToken() };
}

async function consentTo(link: string, device: string, granted = true): Promise<ConsentResult> {
  return ok(await fn<ConsentResult>('consent', { link, device, granted, noticeVersion: INVITE_NOTICE_VERSION }));
}

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.destroy());

describe('places', () => {
  it('50 concurrent registrations for 10 places end at exactly 10 registered and 40 clear refusals', async () => {
    const a = newActivity(10);
    const people = customers(50).map((c) => ({ c, ...linkFor(c, a._id) }));
    const results = await Promise.all(people.map((p) => fn<RegisterResult>('register', { activityId: a._id, link: p.link, device: p.device, name: p.c.name, phone: p.c.identities.phone })));
    const answers = results.map((r) => ok(r));
    expect(answers.filter((r) => r.registered)).toHaveLength(10);
    const refused = answers.filter((r) => !r.registered);
    expect(refused).toHaveLength(40);
    for (const r of refused) expect(r).toMatchObject({ registered: false, reason: 'full', message: '名额已满', placesLeft: 0 });
    expect(activity(a._id).registered).toBe(10);
    expect(db().count('registrations', { activityId: a._id, status: 'registered' })).toBe(10);
  });

  it('a repeated registration is the same place; a cancellation frees it for someone else', async () => {
    const a = newActivity(1);
    const [first, second] = customers(2).map((c) => ({ c, ...linkFor(c, a._id) }));
    const params = { activityId: a._id, link: first.link, device: first.device, name: first.c.name, phone: first.c.identities.phone };
    const once = ok(await fn<RegisterResult>('register', params));
    const again = await Promise.all([fn<RegisterResult>('register', params), fn<RegisterResult>('register', params)]);
    expect(once).toMatchObject({ registered: true, placesLeft: 0, registration: { status: 'registered', title: a.title } });
    for (const r of again) expect(ok(r)).toMatchObject({ registered: true, registration: { status: 'registered', at: once.registered && once.registration.at } });
    expect(activity(a._id).registered).toBe(1);
    expect(db().count('events', { type: 'form_submit', customerId: first.c._id, 'properties.activityId': a._id })).toBe(1);
    // The send shows the registration; the phone shown back is masked.
    expect(send(first.send._id).registeredAt).toBe(once.registered && once.registration.at);
    expect(once.registered && once.registration.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);

    const full = ok(await fn<RegisterResult>('register', { activityId: a._id, link: second.link, device: second.device, name: second.c.name, phone: second.c.identities.phone }));
    expect(full).toMatchObject({ registered: false, reason: 'full' });

    const cancelled = ok(await fn<MyRegistration>('cancel', { activityId: a._id, link: first.link, device: first.device }));
    expect(cancelled.status).toBe('cancelled');
    // A repeated cancel frees nothing more.
    ok(await fn<MyRegistration>('cancel', { activityId: a._id, link: first.link, device: first.device }));
    expect(activity(a._id).registered).toBe(0);

    const now = ok(await fn<RegisterResult>('register', { activityId: a._id, link: second.link, device: second.device, name: second.c.name, phone: second.c.identities.phone }));
    expect(now).toMatchObject({ registered: true, placesLeft: 0 });
    expect(activity(a._id).registered).toBe(1);
  });

  it('我的报名 lists the registrations of the person the link names, on the device that opened it', async () => {
    const [c] = customers(1);
    const l = linkFor(c);
    ok(await fn<InvitationOpen>('open', { link: l.link, device: l.device, visitId: clientId() }));
    ok(await fn<RegisterResult>('register', { activityId: 'act-suv-weekend', link: l.link, device: l.device, name: c.name, phone: c.identities.phone }));
    const mine = ok(await fn<MyRegistrations>('mine', { link: l.link, device: l.device }));
    expect(mine).toMatchObject({ known: true, items: [{ activityId: 'act-suv-weekend', status: 'registered', storeName: '上海浦东店' }] });
    // Someone the link was forwarded to sees nothing of the recipient's.
    expect(ok(await fn<MyRegistrations>('mine', { link: l.link, device: deviceToken() }))).toEqual({ items: [], known: false, tracking: 'unasked' });
  });
});

describe('tracked links', () => {
  it('a changed send id, a changed signature, or a link for another store\'s activity is refused with nothing written', async () => {
    const [c] = customers(1);
    const l = linkFor(c);
    const [sendId, mac] = l.link.split('.');
    const otherSend = `${sendId.slice(0, -2)}${sendId.endsWith('AA') ? 'BB' : 'AA'}`;
    const forgedMac = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    const bad = [`${otherSend}.${mac}`, `${sendId}.${forgedMac}`, sendId, `${l.link}x`];
    const before = writes();
    for (const link of bad) {
      for (const [action, params] of [
        ['open', { link, device: l.device, visitId: clientId() }],
        ['beat', { link, device: l.device, visitId: clientId(), seconds: 15 }],
        ['share', { link, device: l.device, shareId: clientId() }],
        ['register', { activityId: 'act-suv-weekend', link, device: l.device, name: c.name, phone: c.identities.phone }],
        ['consent', { link, device: l.device, granted: true, noticeVersion: INVITE_NOTICE_VERSION }],
      ] as const) {
        const r = await fn(action, params);
        expect([action, r.status, !r.reply.ok && r.reply.error]).toEqual([action, 401, expect.objectContaining({ code: 'UNAUTHENTICATED', reason: 'LINK_INVALID' })]);
      }
    }
    // A genuine link used for another store's activity.
    const elsewhere = await fn('register', { activityId: 'act-nev-tasting', link: l.link, device: l.device, name: c.name, phone: c.identities.phone });
    expect([elsewhere.status, !elsewhere.reply.ok && elsewhere.reply.error.reason]).toEqual([403, 'LINK_MISMATCH']);
    // A send that names another store's activity (not something the store could send).
    const stray = makeSend(stack, { customerId: c._id, storeId: c.storeId, consultantId: 'zhangwei', activityId: 'act-nev-tasting' });
    const afterStray = writes();
    const opened = await fn('open', { link: stray.link, device: l.device, visitId: clientId() });
    expect([opened.status, !opened.reply.ok && opened.reply.error.reason]).toEqual([403, 'LINK_MISMATCH']);
    expect(writes()).toEqual({ ...before, sends: (before.sends ?? 0) + 1 });
    expect(writes()).toEqual(afterStray);
  });

  it('a customer call with nothing to vouch for it (no OPENID, no device) is refused', async () => {
    const [c] = customers(1);
    const l = linkFor(c);
    const r = await fn('open', { link: l.link, visitId: clientId() });
    expect([r.status, !r.reply.ok && r.reply.error.reason]).toEqual([401, 'NO_VIEWER']);
  });
});

describe('tracking and consent', () => {
  it('records nothing before consent, everything after, and nothing again once withdrawn', async () => {
    const [c] = customers(1);
    const l = linkFor(c);
    const before = ok(await fn<InvitationOpen>('open', { link: l.link, device: l.device, visitId: clientId() }));
    expect(before).toMatchObject({ viewer: 'recipient', tracking: 'unasked', canConsent: true, tracked: false, consultantName: expect.any(String), known: { name: c.name } });
    expect(before.activity).toMatchObject({ storePhone: expect.stringMatching(/\d/), location: { lng: expect.any(Number), lat: expect.any(Number) } });
    expect(ok(await fn<TrackAnswer>('share', { link: l.link, device: l.device, shareId: clientId() }))).toEqual({ tracked: false });
    expect(send(l.send._id).opens).toBeUndefined();
    expect(db().count('inviteVisits', { sendId: l.send._id })).toBe(0);

    const granted = await consentTo(l.link, l.device);
    expect(granted).toMatchObject({ purpose: 'tracking', granted: true, changed: true });
    const [entry] = db().find<ConsentDoc>('consents', { customerId: c._id, purpose: 'tracking' });
    expect(entry).toMatchObject({ granted: true, noticeVersion: INVITE_NOTICE_VERSION, channel: 'miniprogram', recordedBy: 'customer', at: granted.at });

    const visitId = clientId();
    expect(ok(await fn<InvitationOpen>('open', { link: l.link, device: l.device, visitId }))).toMatchObject({ tracking: 'granted', tracked: true });
    stack.clock.advance(15_000);
    expect(ok(await fn<TrackAnswer>('beat', { link: l.link, device: l.device, visitId, seconds: 15 }))).toEqual({ tracked: true });
    expect(send(l.send._id)).toMatchObject({ opens: 1, dwellSeconds: 15 });

    const withdrawn = await consentTo(l.link, l.device, false);
    expect(withdrawn).toMatchObject({ granted: false, changed: true });
    stack.clock.advance(15_000);
    expect(ok(await fn<TrackAnswer>('beat', { link: l.link, device: l.device, visitId, seconds: 30, final: true }))).toEqual({ tracked: false });
    expect(ok(await fn<TrackAnswer>('share', { link: l.link, device: l.device, shareId: clientId() }))).toEqual({ tracked: false });
    expect(ok(await fn<InvitationOpen>('open', { link: l.link, device: l.device, visitId: clientId() }))).toMatchObject({ tracking: 'withdrawn', tracked: false });
    expect(send(l.send._id)).toMatchObject({ opens: 1, dwellSeconds: 15 });
    // The visit open at the withdrawal never enters the data core.
    stack.clock.advance(120_000);
    await stack.emulator.fireTimer('activities', 'close-visits');
    expect(db().count('events', { customerId: c._id, 'properties.sendId': l.send._id })).toBe(0);
  });

  it('counts dwell once however beats repeat, arrive late or are retried, and records one content view per visit', async () => {
    const [c] = customers(1);
    const l = linkFor(c);
    await consentTo(l.link, l.device);
    const visitId = clientId();
    const open = { link: l.link, device: l.device, visitId };
    ok(await fn('open', open));
    ok(await fn('open', open)); // a retried open
    const beat = (seconds: number, final = false) => fn<TrackAnswer>('beat', { ...open, seconds, final });
    stack.clock.advance(15_000);
    await beat(15);
    stack.clock.advance(15_000);
    await Promise.all([beat(30), beat(30)]);
    await beat(20); // late
    // A page cannot claim more time than it was open.
    await beat(3600);
    expect(send(l.send._id)).toMatchObject({ opens: 1, dwellSeconds: 35 });
    stack.clock.advance(10_000);
    await Promise.all([beat(40, true), beat(40, true)]);
    await beat(40, true);
    expect(send(l.send._id).dwellSeconds).toBe(40);
    const views = db().find<EventDoc>('events', { customerId: c._id, type: 'content_view', 'properties.sendId': l.send._id });
    expect(views).toHaveLength(1);
    expect(views[0].properties.dwellSeconds).toBe(40);
    expect(db().findById<InviteVisitDoc>('inviteVisits', `${l.send._id}/${visitId}`)?.closedAt).toBeDefined();
    // The consultant sees it in the customer's timeline.
    const token = await stack.signIn(c.ownerId!);
    const timeline = ok(await stack.http<Page<TimelineItem>>('customers', { action: 'timeline', params: { customerId: c._id, limit: 5 } }, token));
    expect(timeline.items.map((i) => i.id)).toContain(views[0]._id);
  });

  it('a visit whose page died without its final beacon is closed by the sweep with what it counted', async () => {
    const [c] = customers(1);
    const l = linkFor(c);
    await consentTo(l.link, l.device);
    const visitId = clientId();
    ok(await fn('open', { link: l.link, device: l.device, visitId }));
    stack.clock.advance(15_000);
    ok(await fn('beat', { link: l.link, device: l.device, visitId, seconds: 15 }));
    stack.clock.advance(90_000);
    await stack.emulator.fireTimer('activities', 'close-visits');
    const views = db().find<EventDoc>('events', { customerId: c._id, type: 'content_view', 'properties.sendId': l.send._id });
    expect(views.map((v) => v.properties.dwellSeconds)).toEqual([15]);
  });

  it('a share is the sharer\'s event; each new person opening the shared link credits the sharer once', async () => {
    const [c] = customers(1);
    const l = linkFor(c);
    await consentTo(l.link, l.device);
    ok(await fn('open', { link: l.link, device: l.device, visitId: clientId() }));
    const shareId = clientId();
    expect(ok(await fn<TrackAnswer>('share', { link: l.link, device: l.device, shareId }))).toEqual({ tracked: true });
    ok(await fn('share', { link: l.link, device: l.device, shareId }));
    expect(db().count('events', { customerId: c._id, type: 'share', 'properties.sendId': l.send._id })).toBe(1);

    const friend = deviceToken();
    const opened = ok(await fn<InvitationOpen>('open', { link: l.link, device: friend, visitId: clientId() }));
    expect(opened).toMatchObject({ viewer: 'forwarded', canConsent: false, tracked: false });
    expect(opened.known).toBeUndefined();
    ok(await fn('open', { link: l.link, device: friend, visitId: clientId() }));
    ok(await fn('open', { link: l.link, device: deviceToken(), visitId: clientId() }));
    expect(send(l.send._id)).toMatchObject({ opens: 1, sharedOpens: 2 });
    // Someone forwarded the link cannot register as the recipient.
    const r = ok(await fn<RegisterResult>('register', { activityId: 'act-suv-weekend', link: l.link, device: friend, name: '王五', phone: '13900001111' }));
    expect(r).toMatchObject({ registered: false, reason: 'unknown_person' });
  });
});

describe('the mini-program', () => {
  it('registers with the phone the platform vouches for, and knows the person by OPENID afterwards', async () => {
    const [c] = customers(1);
    const { link } = makeSend(stack, { customerId: c._id, storeId: A, consultantId: c.ownerId!, activityId: 'act-suv-weekend' });
    const openid = `oTestWeappUser${Date.now()}`;
    const opened = ok(await asWeapp<InvitationOpen>(openid, 'open', { link, visitId: clientId() }));
    expect(opened.viewer).toBe('recipient');

    const code = stack.emulator.issuePhoneCode(c.identities.phone);
    const r = ok(await asWeapp<RegisterResult>(openid, 'register', { activityId: 'act-suv-weekend', link, phoneCode: code }));
    expect(r).toMatchObject({ registered: true, registration: { status: 'registered' } });
    expect(db().findById<RegistrationDoc>('registrations', `act-suv-weekend/${c._id}`)?.contact?.phone).toBe(c.identities.phone);

    // A code works once.
    const reused = await asWeapp(openid, 'register', { activityId: 'act-suv-weekend', link, phoneCode: code });
    expect([reused.status, !reused.reply.ok && reused.reply.error.reason]).toEqual([400, 'PHONE_CODE_INVALID']);

    // The OPENID now names the customer: 我的报名 without any link.
    const mine = ok(await asWeapp<MyRegistrations>(openid, 'mine', {}));
    expect(mine).toMatchObject({ known: true, items: [{ activityId: 'act-suv-weekend', status: 'registered' }] });
    const cancelled = ok(await asWeapp<MyRegistration>(openid, 'cancel', { activityId: 'act-suv-weekend' }));
    expect(cancelled.status).toBe('cancelled');
  });

  it('a phone the store does not know is not made a customer by a forwarded link', async () => {
    const [c] = customers(1);
    const { link } = makeSend(stack, { customerId: c._id, storeId: A, consultantId: c.ownerId!, activityId: 'act-suv-weekend' });
    ok(await fn('open', { link, device: deviceToken(), visitId: clientId() }));
    const code = stack.emulator.issuePhoneCode('13912345678');
    const r = ok(await asWeapp<RegisterResult>(`oStranger${Date.now()}`, 'register', { activityId: 'act-suv-weekend', link, phoneCode: code }));
    expect(r).toMatchObject({ registered: false, reason: 'unknown_person' });
  });
});

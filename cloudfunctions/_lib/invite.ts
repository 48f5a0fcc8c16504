/**
 * The customer's side of an invitation: opening a tracked link, dwell, shares, consent to
 * tracking, registration within capacity, and the customer's registrations. A customer is
 * authenticated by what the platform vouches for (the mini-program's OPENID, a customer's
 * session) and, on a tracked link, by the link's signature; on H5, where there is no OPENID, by
 * the page's device token together with the signed link. Never by a staff session: staff who
 * open a link see a preview and nothing is recorded.
 *
 * Tracking (opens, dwell, shares) happens only for a known customer whose current consent to
 * `tracking` is granted, read on every call, so a withdrawal stops it at once. Registration is
 * the customer's own request and is recorded either way.
 */
import type { FieldIssue, InvitationOpen, MyRegistration, MyRegistrations, RegisterResult, TrackingConsent } from '../../types/api';
import { INVITE_NOTICE_VERSION } from '../../types/catalog';
import { Collections, type ActivityDoc, type CustomerDoc, type EventDoc, type InviteVisitDoc, type RegistrationDoc, type SendDoc, type StoreDoc } from '../../types/model';
import { verifyLink } from '../_core/links';
import { maskPhone } from '../_core/mask';
import { beatGrowth, placesLeft, registrationClosed, registrationId, shareEvent, signupEvent, viewerKey, visitEvent, VISIT_SILENT_MS, type ViewerProof } from '../_core/invite/invite';
import { attachIdentifiers, type OneIdCustomer } from '../_core/oneid/customer';
import { inParallel } from '../_core/parallel';
import type { Caller } from './caller';
import { addOnce, byIds, phoneOfCode, wxIdentity } from './cloud';
import { recordConsent } from './consent';
import { linkSecret, sessionSecret } from './config';
import { ApiError, invalidInput, refused } from './errors';
import { loadLookups } from './lookups';
import { applyEvents } from './pipeline';
import { reactToSend } from './strategies';
import { activityRepo, placeRepo } from './repo/activities';
import { customerRepo } from './repo/customers';
import { eventRepo } from './repo/events';
import { identityRepo } from './repo/identities';
import { linkViewerRepo, sendTrackingRepo, visitRepo } from './repo/invite-tracking';
import { registrationRepo } from './repo/registrations';
import { staffRepo, storeRepo } from './repo/staff';

/** Who is looking at a tracked link. */
export interface Person {
  role: 'recipient' | 'forwarded' | 'staff';
  /** Keyed hash of the viewer's proof ('' for staff). */
  viewer: string;
  /** The customer this person is, when known. */
  customerId?: string;
}

type Known = Pick<CustomerDoc, '_id' | 'name' | 'storeId' | 'identities' | 'consent'> & { mergedInto?: string };
const KNOWN_FIELDS = ['name', 'storeId', 'identities', 'consent'] as const;

const linkInvalid = () => refused('LINK_INVALID', 'link: not a valid tracked link');
const linkMismatch = (why: string) => refused('LINK_MISMATCH', `link: ${why}`);

/** The send a link's token names; LINK_INVALID when the token is not ours or its send is gone. */
export async function sendOfLink(token: string): Promise<SendDoc> {
  const sendId = verifyLink(token, linkSecret());
  const send = sendId ? await sendTrackingRepo.get(sendId) : undefined;
  if (!send) throw linkInvalid();
  return send;
}

/** What vouches for a caller who is not staff; NO_VIEWER when nothing does. */
function proofOf(caller: Caller, device: string | undefined): ViewerProof {
  if (caller.role === 'customer') return { kind: 'customer', value: caller.customerId };
  const openid = caller.role === 'anonymous' ? (caller.openid ?? wxIdentity().openid) : undefined;
  if (openid) return { kind: 'openid', value: openid };
  if (device) return { kind: 'device', value: device };
  throw refused('NO_VIEWER', 'device: a customer call needs the platform OPENID or, on H5, the page device token');
}

/**
 * Who the caller is on this send. A known customer is who they are; anyone else is the
 * recipient when they were the first to open the link (with the same OPENID or device), and
 * someone it was forwarded to otherwise.
 */
export async function personOnLink(caller: Caller, send: SendDoc, device: string | undefined, now: number, opts: { opening?: boolean } = {}): Promise<Person> {
  if (caller.role === 'consultant' || caller.role === 'manager') return { role: 'staff', viewer: '' };
  const viewer = viewerKey(proofOf(caller, device), sessionSecret());
  if (caller.role === 'customer') {
    const live = await customerRepo.live<Known>(send.customerId, ['_id']);
    if (caller.customerId === send.customerId || caller.customerId === live?._id) return { role: 'recipient', viewer, customerId: caller.customerId };
    return { role: 'forwarded', viewer, ...(caller.storeId === send.storeId ? { customerId: caller.customerId } : {}) };
  }
  const recipient = await linkViewerRepo.recipient(send, viewer, send.customerId, now, { claimFirst: opts.opening });
  return recipient === viewer ? { role: 'recipient', viewer, customerId: send.customerId } : { role: 'forwarded', viewer };
}

export const trackingOf = (c: Pick<CustomerDoc, 'consent'> | undefined): TrackingConsent => {
  const t = c?.consent?.tracking;
  return !t ? 'unasked' : t.granted ? 'granted' : 'withdrawn';
};

const known = (id: string | undefined) => (id ? customerRepo.live<Known>(id, [...KNOWN_FIELDS]) : Promise.resolve(undefined));

function registrationView(r: RegistrationDoc, a: ActivityDoc | undefined, store: Pick<StoreDoc, 'name'> | undefined, phone: string | undefined): MyRegistration {
  return {
    activityId: r.activityId,
    title: a?.title ?? '活动已取消',
    storeName: store?.name ?? '',
    address: a?.address ?? '',
    startAt: a?.startAt ?? r.at,
    endAt: a?.endAt ?? r.at,
    status: r.status,
    at: r.at,
    ...(r.cancelledAt !== undefined ? { cancelledAt: r.cancelledAt } : {}),
    ...(r.contact?.phone || phone ? { phoneMasked: maskPhone(r.contact?.phone ?? phone) } : {}),
  };
}

async function activityOf(id: string | undefined): Promise<ActivityDoc> {
  const a = id ? await activityRepo.get(id) : undefined;
  if (!a) throw new ApiError('NOT_FOUND', `activityId: no activity ${id ?? ''}`);
  return a;
}

/** The send's activity, which must be the store's own event. */
async function linkedActivity(send: SendDoc): Promise<ActivityDoc> {
  if (!send.activityId) throw linkMismatch('the send is not an invitation');
  const a = await activityOf(send.activityId);
  if (a.storeId !== send.storeId) throw linkMismatch("the send's store does not hold this activity");
  return a;
}

// ---------- the data core ----------

/** A strategy's send: its reaction rules see the open, the dwell or the registration (never failing the customer's call). */
async function strategyReacts(send: SendDoc, now: number): Promise<void> {
  if (!send.strategyId) return;
  await reactToSend(send._id, now).catch((err) => console.error(`[activities] strategy reactions of send ${send._id}`, err));
}

/** Stores a customer's event once (its id makes a retry the same event) and applies it through the pipeline. */
async function recordEvent(e: EventDoc, now: number): Promise<void> {
  if (!(await eventRepo.insert(e, { pending: true }))) {
    const [stored] = await eventRepo.getMany([e._id]);
    // Applied already (a retry); a stored event still pending is finished here, else by the repair job.
    if (!stored?.pending) return;
    await applyEvents(stored.customerId, [stored], now, new Map(), stored.storeId);
    return;
  }
  await applyEvents(e.customerId, [{ ...e, pending: true }], now, new Map(), e.storeId);
}

/** Ends a visit: its content view enters the data core once, if the customer still consents (`c`: read just now by the caller). */
async function closeVisit(v: InviteVisitDoc, now: number, c: Known | undefined | null = null): Promise<void> {
  if (c === null) c = await known(v.customerId);
  if (c && trackingOf(c) === 'granted') await recordEvent(visitEvent({ ...v, customerId: c._id, storeId: c.storeId }, now), now);
  await visitRepo.close(v._id, now);
}

/** The sweep: visits whose page went silent without its final beacon are closed with what they counted. */
export async function closeSilentVisits(now: number): Promise<{ closed: number }> {
  const silent = await visitRepo.silent(now - VISIT_SILENT_MS, 100);
  await inParallel(silent, 5, (v) => closeVisit(v, now));
  return { closed: silent.length };
}

// ---------- actions ----------

export async function openInvitation(caller: Caller, p: { link: string; visitId: string; device?: string }, now: number): Promise<InvitationOpen> {
  const send = await sendOfLink(p.link);
  // Checked before anything is written: a link pointed at another store's activity records nothing.
  const activity = await linkedActivity(send);
  const [person, consultant] = await Promise.all([personOnLink(caller, send, p.device, now, { opening: true }), staffRepo.get(send.consultantId)]);
  const [store, customer, registration] = await Promise.all([
    storeRepo.get(activity.storeId),
    known(person.customerId),
    person.customerId ? registrationRepo.get(registrationId(activity._id, person.customerId)) : undefined,
  ]);
  const tracking = trackingOf(customer);
  const tracked = !!customer && tracking === 'granted';
  if (tracked) {
    const visit: InviteVisitDoc = {
      _id: `${send._id}/${p.visitId}`,
      sendId: send._id,
      viewer: person.viewer,
      customerId: customer._id,
      storeId: customer.storeId,
      materialId: send.materialId,
      activityId: activity._id,
      openedAt: now,
      lastBeatAt: now,
      seconds: 0,
    };
    if ((await visitRepo.start(visit)) && person.role === 'recipient') {
      await sendTrackingRepo.opened(send._id, now);
      await strategyReacts(send, now);
    }
  }
  // The sharer is credited once per person the link reached; nothing about that person is kept but a keyed hash.
  if (person.role === 'forwarded' && (await linkViewerRepo.forwarded(send, person.viewer, person.customerId, now))) await sendTrackingRepo.sharedOpen(send._id);
  const phone = customer?.identities.phone;
  return {
    activity: activityView(activity, store),
    consultantName: consultant?.name ?? '',
    viewer: person.role,
    tracking,
    canConsent: !!customer,
    tracked,
    ...(registration && customer ? { registration: registrationView(registration, activity, store, phone) } : {}),
    ...(customer ? { known: { name: customer.name, ...(phone ? { phoneMasked: maskPhone(phone) } : {}) } } : {}),
  };
}

export function activityView(a: ActivityDoc, store: StoreDoc | undefined) {
  const location = a.location ?? store?.location;
  return {
    id: a._id,
    title: a.title,
    description: a.description,
    storeName: store?.name ?? '',
    address: a.address,
    startAt: a.startAt,
    endAt: a.endAt,
    perks: a.perks,
    capacity: a.capacity,
    registered: Math.min(a.capacity, a.registered ?? 0),
    storePhone: store?.phone ?? '',
    ...(location ? { location } : {}),
    ...(a.modelLine ? { modelLine: a.modelLine } : {}),
  };
}

/** A tracked person on a link with consent now, or undefined (nothing is recorded then). */
async function trackedPerson(caller: Caller, p: { link: string; device?: string }, now: number) {
  const send = await sendOfLink(p.link);
  const person = await personOnLink(caller, send, p.device, now);
  const customer = await known(person.customerId);
  return customer && trackingOf(customer) === 'granted' ? { send, person, customer } : undefined;
}

/**
 * A heartbeat (and the final one when the page hides or unloads). The visit says who opened it:
 * only the viewer whose open started it (a tracked person: the recipient, or a known customer
 * it was forwarded to) can make it grow, so the link's viewer claim need not be read again.
 */
export async function beat(caller: Caller, p: { link: string; device?: string; visitId: string; seconds: number; final: boolean }, now: number): Promise<{ tracked: boolean }> {
  const sendId = verifyLink(p.link, linkSecret());
  if (!sendId) throw linkInvalid();
  const id = `${sendId}/${p.visitId}`;
  const [send, opened] = await Promise.all([sendTrackingRepo.get(sendId), visitRepo.get(id)]);
  if (!send) throw linkInvalid();
  if (caller.role === 'consultant' || caller.role === 'manager') return { tracked: false };
  const viewer = viewerKey(proofOf(caller, p.device), sessionSecret());
  // A visit this person did not open (or whose open was not tracked) counts nothing.
  if (!opened || opened.viewer !== viewer) return { tracked: false };
  let visit = opened;
  const customer = await known(visit.customerId);
  if (!customer || trackingOf(customer) !== 'granted') return { tracked: false };
  for (let attempt = 0; attempt < 3; attempt++) {
    const growth = beatGrowth(visit, p.seconds, now);
    if (growth === 0) break;
    if (await visitRepo.grow(id, visit.seconds, visit.seconds + growth, now)) {
      if (visit.customerId === send.customerId) {
        await sendTrackingRepo.addDwell(send._id, growth);
        await strategyReacts(send, now);
      }
      visit = { ...visit, seconds: visit.seconds + growth, lastBeatAt: now };
      break;
    }
    // Another beat of the same visit moved it: read it again and add only what is still new.
    const again = await visitRepo.get(id);
    if (!again) return { tracked: false };
    visit = again;
  }
  if (p.final && visit.closedAt === undefined) await closeVisit(visit, now, customer);
  return { tracked: true };
}

export async function share(caller: Caller, p: { link: string; device?: string; shareId: string; target: 'friend' | 'moments' | 'group' }, now: number): Promise<{ tracked: boolean }> {
  const who = await trackedPerson(caller, p, now);
  if (!who) return { tracked: false };
  await recordEvent(shareEvent(who.send, { customerId: who.customer._id, storeId: who.customer.storeId }, p.shareId, p.target, now), now);
  return { tracked: true };
}

/** The customer the caller is: a known customer caller, or the person a link names. */
async function subjectOf(caller: Caller, p: { link?: string; device?: string }, now: number, check?: (send: SendDoc) => void): Promise<{ customer?: Known; send?: SendDoc; person?: Person }> {
  if (caller.role === 'consultant' || caller.role === 'manager') throw new ApiError('FORBIDDEN', `${caller.role} may not act as a customer`);
  if (p.link) {
    const send = await sendOfLink(p.link);
    check?.(send);
    const person = await personOnLink(caller, send, p.device, now);
    return { customer: await known(person.customerId), send, person };
  }
  if (caller.role === 'customer') return { customer: await known(caller.customerId) };
  return {};
}

export async function consent(caller: Caller, p: { link?: string; device?: string; granted: boolean; noticeVersion: string }, now: number) {
  const { customer } = await subjectOf(caller, p, now);
  if (!customer) throw new ApiError('NOT_FOUND', 'no customer to record consent for: open your own invitation first');
  const r = await recordConsent(customer._id, { purpose: 'tracking', granted: p.granted, noticeVersion: p.noticeVersion || INVITE_NOTICE_VERSION, at: now, channel: 'miniprogram' }, 'customer', now);
  return { purpose: 'tracking' as const, granted: r.current.granted, at: r.current.at, changed: r.changed };
}

/** Ties the mini-program's OPENID to the customer the platform-vouched phone found (later calls resolve by it). */
async function bindOpenid(storeId: string, customerId: string, openid: string, now: number): Promise<void> {
  const key = `openid:${openid}`;
  if (!(await addOnce(Collections.identities, identityRepo.doc(storeId, key, { type: 'openid', value: openid }, customerId, 'platform')))) return;
  const [c] = await byIds<OneIdCustomer>(Collections.customers, [customerId]);
  if (!c) return;
  const attached = attachIdentifiers({ ...c, identifiers: c.identifiers ?? [] }, [{ type: 'openid', value: openid }], now);
  if (attached !== c) await customerRepo.setFields(customerId, { identifiers: attached.identifiers, identities: attached.identities });
}

export async function register(
  caller: Caller,
  p: { activityId: string; link?: string; device?: string; name?: string; phone?: string; phoneCode?: string; party: number },
  now: number,
): Promise<RegisterResult> {
  const activity = await activityOf(p.activityId);
  let { customer, send } = await subjectOf(caller, p, now, (s) => {
    if (s.activityId !== activity._id || s.storeId !== activity.storeId) throw linkMismatch('the link was sent for another activity');
  });
  // A customer record of another store is not this store's customer.
  if (customer && customer.storeId !== activity.storeId) customer = undefined;
  let contact: RegistrationDoc['contact'];
  if (p.phoneCode) {
    // The mini-program: the platform vouches for the phone; the store's record of that phone is the customer.
    const phone = await phoneOfCode(p.phoneCode);
    if (!phone) throw refused('PHONE_CODE_INVALID', 'phoneCode: the platform refused the code (used or expired); tap the button again');
    const byPhone = await identityRepo.customerIdOf(activity.storeId, 'phone', phone);
    if (byPhone) customer = await known(byPhone);
    const openid = caller.role === 'anonymous' ? (caller.openid ?? wxIdentity().openid) : undefined;
    if (customer && openid) await bindOpenid(customer.storeId, customer._id, openid, now);
    if (customer) contact = { name: customer.name, phone };
  } else if (customer) {
    const phone = p.phone ?? customer.identities.phone;
    const issues: FieldIssue[] = [];
    if (!p.name && caller.role !== 'customer') issues.push({ field: 'name', message: 'must not be empty' });
    if (!phone) issues.push({ field: 'phone', message: 'must be an 11-digit mobile number' });
    if (issues.length) throw invalidInput(issues);
    contact = { name: p.name ?? customer.name, phone: phone! };
  }
  const left = placesLeft(activity);
  if (!customer) return { registered: false, reason: 'unknown_person', message: '请联系邀请您的顾问为您报名', placesLeft: left };
  if (registrationClosed(activity, now)) return { registered: false, reason: 'ended', message: '活动已结束，下次再约', placesLeft: left };

  const id = registrationId(activity._id, customer._id);
  // The store's name from the instance's reference data (the pipeline loads it for the sign-up anyway).
  const [before, lookups] = await Promise.all([registrationRepo.get(id), loadLookups(now)]);
  const store = { name: lookups.storeName(activity.storeId) };
  const placesNow = async () => {
    const a = await activityRepo.get(activity._id);
    return a ? placesLeft(a) : left;
  };
  // Registered already (a retry, a second tap): the same place, nothing more.
  if (before && before.status !== 'cancelled') {
    return { registered: true, registration: registrationView(before, activity, store, customer.identities.phone), placesLeft: left };
  }
  if (!(await placeRepo.reserve(activity))) return { registered: false, reason: 'full', message: '名额已满', placesLeft: 0 };
  const doc: RegistrationDoc = {
    _id: id,
    activityId: activity._id,
    storeId: activity.storeId,
    customerId: customer._id,
    status: 'registered',
    ...(send ? { sendId: send._id } : {}),
    party: p.party,
    at: now,
    ...(contact ? { contact } : {}),
  };
  if (!(await registrationRepo.take(doc, before))) {
    // A concurrent call of the same person took the registration: this place goes back.
    await placeRepo.release(activity._id);
    const [r, nowLeft] = await Promise.all([registrationRepo.get(id), placesNow()]);
    if (r && r.status !== 'cancelled') return { registered: true, registration: registrationView(r, activity, store, customer.identities.phone), placesLeft: nowLeft };
    return { registered: false, reason: 'full', message: '名额已满', placesLeft: nowLeft };
  }
  // The places left are read beside the sign-up's recording: the answer waits for neither twice.
  const [, , nowLeft] = await Promise.all([
    recordEvent(signupEvent({ activityId: activity._id, customerId: customer._id, storeId: activity.storeId, at: now, ...(send ? { sendId: send._id } : {}) }, activity.title, now), now),
    send ? (async () => {
      await sendTrackingRepo.registered(send._id, now);
      await strategyReacts(send, now);
    })() : undefined,
    placesNow(),
  ]);
  return { registered: true, registration: registrationView(doc, activity, store, customer.identities.phone), placesLeft: nowLeft };
}

export async function cancel(caller: Caller, p: { activityId: string; link?: string; device?: string }, now: number): Promise<MyRegistration> {
  const { customer } = await subjectOf(caller, p, now);
  const id = customer ? registrationId(p.activityId, customer._id) : undefined;
  const r = id ? await registrationRepo.get(id) : undefined;
  if (!customer || !r) throw new ApiError('NOT_FOUND', 'activityId: no registration of yours for this activity');
  // Only the call that flipped it gives the place back: a repeated cancel frees nothing more.
  if (await registrationRepo.cancel(r._id, now)) await placeRepo.release(r.activityId);
  const [after, a] = await Promise.all([registrationRepo.get(r._id), activityRepo.get(r.activityId)]);
  const store = a ? await storeRepo.get(a.storeId) : undefined;
  return registrationView(after ?? r, a, store, customer.identities.phone);
}

export async function mine(caller: Caller, p: { link?: string; device?: string }, now: number): Promise<MyRegistrations> {
  const { customer } = await subjectOf(caller, p, now);
  if (!customer) return { items: [], known: false, tracking: 'unasked' };
  const regs = await registrationRepo.ofCustomer(customer._id);
  const activities = new Map((await byIds<ActivityDoc>(Collections.activities, regs.map((r) => r.activityId))).map((a) => [a._id, a]));
  const stores = new Map((await byIds<StoreDoc>(Collections.stores, [...new Set([...activities.values()].map((a) => a.storeId))])).map((s) => [s._id, s]));
  const items = regs.map((r) => {
    const a = activities.get(r.activityId);
    return registrationView(r, a, a ? stores.get(a.storeId) : undefined, customer.identities.phone);
  });
  // Upcoming first (soonest first), then the past and the cancelled.
  const rank = (x: MyRegistration) => (x.status === 'cancelled' ? 2 : x.endAt < now ? 1 : 0);
  items.sort((x, y) => rank(x) - rank(y) || (rank(x) === 0 ? x.startAt - y.startAt : y.at - x.at));
  return { items, known: true, tracking: trackingOf(customer) };
}

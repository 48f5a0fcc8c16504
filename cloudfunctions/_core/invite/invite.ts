/**
 * The customer's side of an invitation, as pure rules: who a viewer of a tracked link is, how
 * much a heartbeat adds to a visit's dwell, whether a place can be taken, and the events the
 * data core receives (content view, share, sign-up) with ids that make every retry one event.
 * Pure: time and secrets are passed in.
 */
import { createHmac } from 'node:crypto';
import type { ActivityDoc, EventDoc, InviteVisitDoc, SendDoc } from '../../../types/model';

/** What vouches for the viewer: the platform's OPENID, a customer's session, the H5 page's device token. */
export type ViewerProof = { kind: 'openid'; value: string } | { kind: 'customer'; value: string } | { kind: 'device'; value: string };

/**
 * A keyed hash of the proof, so stored viewer documents hold no OPENID or device token, and
 * ids of different kinds never collide.
 */
export function viewerKey(proof: ViewerProof, secret: string): string {
  return createHmac('sha256', secret).update(`viewer:${proof.kind}:${proof.value}`).digest('base64url').slice(0, 27);
}

/** A heartbeat may claim at most the time since the visit opened, plus this much for clock skew between beats. */
const BEAT_SLACK_S = 5;

/**
 * Seconds a beat adds to its visit's dwell: only growth beyond what is counted, and never more
 * than the time since the visit opened (a page cannot claim to have been read longer than it
 * was open). A repeated, late or out-of-order beat adds 0.
 */
export function beatGrowth(visit: Pick<InviteVisitDoc, 'openedAt' | 'seconds' | 'closedAt'>, seconds: number, now: number): number {
  if (visit.closedAt !== undefined) return 0;
  const possible = Math.max(0, Math.floor((now - visit.openedAt) / 1000) + BEAT_SLACK_S);
  return Math.max(0, Math.min(seconds, possible) - visit.seconds);
}

/** A visit with no beat for this long is over (the page was killed without its final beacon). */
export const VISIT_SILENT_MS = 60_000;

export const placesLeft = (a: Pick<ActivityDoc, 'capacity' | 'registered'>): number => Math.max(0, a.capacity - (a.registered ?? 0));

/** Why a place cannot be taken now, if it cannot. */
export function registrationClosed(a: Pick<ActivityDoc, 'endAt'>, now: number): 'ended' | undefined {
  return now >= a.endAt ? 'ended' : undefined;
}

export const registrationId = (activityId: string, customerId: string) => `${activityId}/${customerId}`;

type Envelope = Pick<EventDoc, 'customerId' | 'storeId'> & { at: number; receivedAt: number };

function event(id: string, type: EventDoc['type'], env: Envelope, properties: EventDoc['properties']): EventDoc {
  return { _id: id, customerId: env.customerId, storeId: env.storeId, type, source: 'miniprogram', properties, originalTimestamp: env.at, sentAt: env.receivedAt, receivedAt: env.receivedAt, timestamp: env.at };
}

/** The content view a closed visit records: one per visit, whatever the beats and retries. */
export function visitEvent(v: Pick<InviteVisitDoc, '_id' | 'sendId' | 'materialId' | 'activityId' | 'openedAt' | 'seconds'> & { customerId: string; storeId: string }, receivedAt: number): EventDoc {
  return event(`invite-view/${v._id}`, 'content_view', { customerId: v.customerId, storeId: v.storeId, at: v.openedAt, receivedAt }, {
    materialId: v.materialId,
    category: 'event',
    dwellSeconds: v.seconds,
    sendId: v.sendId,
    ...(v.activityId ? { activityId: v.activityId } : {}),
  });
}

/** A share of the invitation by the customer (the page's share id makes a retry the same event). */
export function shareEvent(send: Pick<SendDoc, '_id' | 'materialId'>, customer: { customerId: string; storeId: string }, shareId: string, target: 'friend' | 'moments' | 'group', at: number): EventDoc {
  return event(`invite-share/${send._id}/${shareId}`, 'share', { ...customer, at, receivedAt: at }, { materialId: send.materialId, category: 'event', target, sendId: send._id });
}

/** The sign-up: one event per place taken (a registration after a cancellation is a new one). */
export function signupEvent(r: { activityId: string; customerId: string; storeId: string; at: number; sendId?: string }, title: string, receivedAt: number): EventDoc {
  return event(`invite-signup/${r.activityId}/${r.customerId}/${r.at}`, 'form_submit', { customerId: r.customerId, storeId: r.storeId, at: r.at, receivedAt }, {
    form: 'activity_signup',
    formName: title,
    activityId: r.activityId,
    ...(r.sendId ? { sendId: r.sendId } : {}),
  });
}

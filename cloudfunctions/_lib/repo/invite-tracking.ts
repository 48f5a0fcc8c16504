/**
 * What the customer's invitation records about a tracked link: who opened it (`linkViewers`),
 * each visit's dwell (`inviteVisits`), and the send's counters (`sends`: opens, dwell, opens by
 * people it was forwarded to, registration), each written so that a retry changes nothing.
 */
import { Collections, type InviteVisitDoc, type LinkViewerDoc, type SendDoc } from '../../../types/model';
import { addOnce, byIds, db, _, rows } from '../cloud';

const sends = () => db.collection(Collections.sends);
const inviteVisits = () => db.collection(Collections.inviteVisits);

async function updated(res: unknown): Promise<boolean> {
  return ((await res) as { stats: { updated: number } }).stats.updated > 0;
}

export const linkViewerRepo = {
  /**
   * The recipient's viewer of a send: the first to claim it. Returns the recipient's viewer key
   * (this one when it was the first). A link's first call is its open, which claims first; every
   * later call (beats, shares, registration) finds the claim with one read.
   */
  async recipient(send: Pick<SendDoc, '_id' | 'storeId'>, viewer: string, customerId: string, now: number, opts: { claimFirst?: boolean } = {}): Promise<string> {
    const sendId = send._id;
    const claimed = async () => (await byIds<LinkViewerDoc>(Collections.linkViewers, [sendId]))[0];
    if (!opts.claimFirst) {
      const stored = await claimed();
      if (stored) return stored.viewer;
    }
    const doc: LinkViewerDoc = { _id: sendId, sendId, storeId: send.storeId, viewer, role: 'recipient', customerId, at: now };
    if (await addOnce(Collections.linkViewers, doc)) return viewer;
    return (await claimed())?.viewer ?? viewer;
  },
  /** Notes a viewer the link was forwarded to; true the first time only. */
  forwarded: (send: Pick<SendDoc, '_id' | 'storeId'>, viewer: string, customerId: string | undefined, now: number) =>
    addOnce<LinkViewerDoc>(Collections.linkViewers, { _id: `${send._id}/${viewer}`, sendId: send._id, storeId: send.storeId, viewer, role: 'forwarded', ...(customerId ? { customerId } : {}), at: now }),
};

export const sendTrackingRepo = {
  get: async (id: string) => (await byIds<SendDoc>(Collections.sends, [id]))[0],
  /** One more open of the send by its recipient. */
  opened: (id: string, now: number) => sends().where({ _id: id }).update({ data: { opens: _.inc(1), firstOpenAt: _.min(now), lastOpenAt: _.max(now) } }),
  addDwell: (id: string, seconds: number) => sends().where({ _id: id }).update({ data: { dwellSeconds: _.inc(seconds) } }),
  sharedOpen: (id: string) => sends().where({ _id: id }).update({ data: { sharedOpens: _.inc(1) } }),
  registered: (id: string, at: number) => sends().where({ _id: id }).update({ data: { registeredAt: _.min(at) } }),
};

export const visitRepo = {
  get: async (id: string) => (await byIds<InviteVisitDoc>(Collections.inviteVisits, [id]))[0],
  /** The visit's first record; false when a retry of its open stored it already. */
  start: (v: InviteVisitDoc) => addOnce(Collections.inviteVisits, v),
  /** Raises the visit's seconds from `from` to `to`; false when someone else moved them first. */
  grow: (id: string, from: number, to: number, now: number) =>
    updated(inviteVisits().where({ _id: id, seconds: from, closedAt: _.exists(false) }).update({ data: { seconds: to, lastBeatAt: now } })),
  close: (id: string, now: number) => updated(inviteVisits().where({ _id: id, closedAt: _.exists(false) }).update({ data: { closedAt: now } })),
  /** Visits still open whose last beat is older than `before`, oldest first (the sweep). */
  silent: (before: number, limit: number) => rows<InviteVisitDoc>(inviteVisits().where({ closedAt: _.exists(false), lastBeatAt: _.lt(before) }).orderBy('lastBeatAt', 'asc').limit(limit)),
};

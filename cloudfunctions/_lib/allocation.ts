/**
 * Gives a new lead an owner the moment it appears. The consultant who recorded the first
 * touchpoint keeps the customer they met (when they have room); otherwise the store's
 * allocation rule picks one (model-line expertise first, then round-robin within capacity and
 * the daily cap); nobody eligible leaves the lead in the pool (公海) to be claimed.
 * The round-robin cursor is written compare-and-set, so two leads arriving together do not
 * both go to the same consultant by accident.
 */
import { Collections, type ModelLine, type StaffDoc } from '../../types/model';
import { allocate, consultantLoad, DEFAULT_POLICY, ineligibility, type RoundRobinCursor } from '../_core/allocation';
import { chinaDayStart } from '../_core/events/day-buckets';
import { addOnce, db, firstRow } from './cloud';
import { customerRepo } from './repo/customers';
import { staffRepo } from './repo/staff';

type CursorDoc = Omit<RoundRobinCursor, 'storeId'> & { _id: string };

const cursors = () => db.collection(Collections.allocationCursors);

/** A consultant's load now: leads owned, and received today (China day). */
export async function consultantLoadOf(s: StaffDoc, now: number) {
  const [active, today] = await Promise.all([customerRepo.countOwned(s._id), customerRepo.countOwned(s._id, chinaDayStart(now))]);
  return consultantLoad(s, active, today);
}

/** Writes the cursor if nobody moved it since `seq` was read. */
async function advance(storeId: string, readSeq: number, next: RoundRobinCursor): Promise<boolean> {
  const data = { seq: next.seq, ...(next.lastId ? { lastId: next.lastId } : {}) };
  if (readSeq === 0) return addOnce(Collections.allocationCursors, { _id: storeId, ...data });
  const res = (await cursors().where({ _id: storeId, seq: readSeq }).update({ data })) as { stats: { updated: number } };
  return res.stats.updated === 1;
}

export interface NewLead {
  customerId: string;
  storeId: string;
  modelLine?: ModelLine;
  /** The consultant who recorded the first touchpoint, if a consultant did. */
  recordedBy?: string;
}

/** The owner the lead got, or undefined when it stays in the pool. */
export async function assignNewLead(lead: NewLead, now: number): Promise<string | undefined> {
  const consultants = await staffRepo.consultantsOf(lead.storeId);
  // The recorder usually keeps the lead: count their load alone before everyone's.
  const recorderDoc = consultants.find((s) => s._id === lead.recordedBy);
  const recorder = recorderDoc && (await consultantLoadOf(recorderDoc, now));
  if (recorder && ineligibility(recorder, lead.storeId, DEFAULT_POLICY) === undefined) {
    return (await customerRepo.takeFromPool(lead.customerId, recorder.id, now)) ? recorder.id : undefined;
  }
  const loads = await Promise.all(consultants.map((s) => (s._id === recorder?.id ? recorder : consultantLoadOf(s, now))));
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await firstRow<CursorDoc>(cursors().where({ _id: lead.storeId }));
    const cursor: RoundRobinCursor | undefined = stored ? { storeId: lead.storeId, seq: stored.seq, ...(stored.lastId ? { lastId: stored.lastId } : {}) } : undefined;
    const decision = allocate({ storeId: lead.storeId, ...(lead.modelLine ? { modelLine: lead.modelLine } : {}) }, loads, cursor, DEFAULT_POLICY);
    if (decision.kind === 'pool') return undefined;
    if (!(await advance(lead.storeId, cursor?.seq ?? 0, decision.cursor))) continue;
    return (await customerRepo.takeFromPool(lead.customerId, decision.consultantId, now)) ? decision.consultantId : undefined;
  }
  // The cursor kept moving under heavy arrival: leave this one to the pool rather than guess.
  return undefined;
}


/**
 * Pure mapping from stored documents to the views the app shows. Reference data (models,
 * channels, tags, stores, staff names) comes in through `Lookups`, so this stays free of I/O.
 */
import type {
  CustomerProfile,
  LeadSummary,
  TagView,
  TimelineItem,
  VehicleView,
} from '../../types/api';
import type { CustomerDoc, EventDoc, ModelLine } from '../../types/model';
import { maskPhone } from './mask';
import type { GradeInfoView, ScoreView } from '../../types/api';
import type { AllocationPolicy } from './allocation/policy';
import { gradeStateOf, gradeView, type GradeState } from './lifecycle/grade';
import type { StoredScore } from './scoring/score';
import { DEFAULT_POLICY } from './allocation/policy';
import { slaStatus } from './allocation/sla';
import { gradeSource, recycledLabel } from './leads/labels';

export interface Lookups {
  model(id: string): { name: string; line: ModelLine } | undefined;
  channelName(id: string): string;
  tag(id: string): { name: string; subject: 'person' | 'vehicle' } | undefined;
  storeName(id: string): string;
  staffName(id: string): string | undefined;
  describeEvent(e: EventDoc): string;
}

export function vehicleView(modelId: string, lookups: Lookups): VehicleView | undefined {
  const m = lookups.model(modelId);
  return m ? { modelId, name: m.name, line: m.line } : undefined;
}

/** The most recent vehicle of interest, which is what the consultant talks about first. */
function latestInterest(c: Pick<CustomerDoc, 'vehiclesOfInterest'>, lookups: Lookups): VehicleView | undefined {
  const latest = [...c.vehiclesOfInterest].sort((a, b) => b.at - a.at)[0];
  return latest ? vehicleView(latest.modelId, lookups) : undefined;
}

/** The stored fields a lead card reads (derived ones may be missing on older documents). */
export type LeadSource = Pick<
  CustomerDoc,
  '_id' | 'name' | 'stage' | 'grade' | 'vehiclesOfInterest' | 'lastTouch' | 'lastActivityAt' | 'ownerId' | 'assignedAt' | 'firstContactAt' | 'recycledFrom'
> & {
  identities: { phone?: string };
  score?: { total: number; reasons: string[] };
  gradeInfo?: { consultant?: unknown; suggested?: unknown };
};

/**
 * The lead card. With `now`, a lead awaiting its first contact carries its SLA; a lead in the
 * pool that was recycled says why.
 */
export function toLeadSummary(c: LeadSource, lookups: Lookups, withOwner: boolean, now?: number): LeadSummary {
  const ownerName = withOwner && c.ownerId ? lookups.staffName(c.ownerId) : undefined;
  const vehicle = latestInterest(c, lookups);
  const source = gradeSource(c);
  const reason = c.score?.reasons[0];
  const awaitingContact = c.ownerId && c.assignedAt !== undefined && !(c.firstContactAt !== undefined && c.firstContactAt >= c.assignedAt);
  const sla = awaitingContact && now !== undefined ? slaStatus({ assignedAt: c.assignedAt!, ...(c.grade ? { grade: c.grade } : {}) }, now, DEFAULT_POLICY) : undefined;
  return {
    id: c._id,
    name: c.name,
    stage: c.stage,
    ...(c.grade ? { grade: c.grade } : {}),
    ...(source ? { gradeSource: source } : {}),
    ...(c.score ? { score: c.score.total } : {}),
    ...(reason ? { reason } : {}),
    phoneMasked: maskPhone(c.identities.phone),
    ...(vehicle ? { vehicleOfInterest: vehicle } : {}),
    ...(c.lastTouch ? { lastTouch: { type: c.lastTouch.type, at: c.lastTouch.at, summary: c.lastTouch.summary } } : {}),
    lastActivityAt: c.lastActivityAt,
    ...(ownerName && c.ownerId ? { owner: { id: c.ownerId, name: ownerName } } : {}),
    ...(sla ? { sla: { state: sla.state, label: sla.label } } : {}),
    ...(!c.ownerId && c.recycledFrom ? { recycledLabel: recycledLabel(c.recycledFrom, c.grade, DEFAULT_POLICY) } : {}),
  };
}

export function toTagViews(c: Pick<CustomerDoc, 'tags'>, lookups: Lookups, now: number): TagView[] {
  const views: TagView[] = [];
  for (const t of c.tags) {
    if (t.expiresAt !== undefined && t.expiresAt <= now) continue;
    const leaf = lookups.tag(t.tagId);
    if (!leaf) continue;
    const pathNames = [...t.path.map((id) => lookups.tag(id)?.name ?? ''), leaf.name].filter(Boolean);
    views.push({ tagId: t.tagId, name: leaf.name, pathNames, subject: leaf.subject, source: t.source, assignedAt: t.assignedAt });
  }
  return views;
}

/** The stored fields the profile reads beyond `CustomerDoc` (absent on older documents). */
export type ProfileSource = CustomerDoc & {
  mergedIds?: string[];
  score?: StoredScore;
  gradeInfo?: GradeState;
};

export function toScoreView(s: StoredScore): ScoreView {
  return { total: s.total, fit: s.fit, engagement: s.engagement, reasons: s.reasons, penalties: s.penalties, at: s.at, modelVersion: s.modelVersion };
}

/** The consultant's grade beside the score's suggestion; a grade stored before `gradeInfo` existed counts as the consultant's. */
export function toGradeInfoView(c: Pick<ProfileSource, 'grade' | 'gradeInfo' | 'updatedAt'>, lookups: Lookups, now: number): GradeInfoView {
  const v = gradeView(gradeStateOf(c), now);
  const setByName = v.consultant && lookups.staffName(v.consultant.by);
  return {
    ...(v.grade ? { grade: v.grade } : {}),
    ...(v.source ? { source: v.source } : {}),
    label: v.label,
    ...(v.suggested ? { suggested: v.suggested.grade } : {}),
    ...(v.consultant && setByName ? { setBy: { name: setByName, at: v.consultant.setAt } } : {}),
    ...(v.consultant?.overdue ? { stale: true } : {}),
  };
}

/** The first-contact SLA, only while the owner has not yet contacted the customer. */
function awaitingContactSla(c: ProfileSource, now: number, policy: AllocationPolicy): CustomerProfile['sla'] {
  if (!c.ownerId || c.assignedAt === undefined) return undefined;
  if (c.firstContactAt !== undefined && c.firstContactAt >= c.assignedAt) return undefined;
  const s = slaStatus({ assignedAt: c.assignedAt, ...(c.grade ? { grade: c.grade } : {}) }, now, policy);
  return { state: s.state, label: s.label };
}

export function toProfile(c: ProfileSource, lookups: Lookups, opts: { viewerOwns: boolean; now: number; policy?: AllocationPolicy }): CustomerProfile {
  const ownerName = c.ownerId ? lookups.staffName(c.ownerId) : undefined;
  const interests = [...c.vehiclesOfInterest].sort((a, b) => b.at - a.at);
  const sla = awaitingContactSla(c, opts.now, opts.policy ?? DEFAULT_POLICY);
  return {
    id: c._id,
    name: c.name,
    gender: c.gender,
    city: c.city,
    phoneMasked: maskPhone(c.identities.phone),
    ...(opts.viewerOwns && c.identities.phone ? { phone: c.identities.phone } : {}),
    stage: c.stage,
    ...(c.grade ? { grade: c.grade } : {}),
    sourceChannel: c.sourceChannel,
    sourceChannelName: lookups.channelName(c.sourceChannel),
    ...(c.ownerId && ownerName ? { owner: { id: c.ownerId, name: ownerName } } : {}),
    storeId: c.storeId,
    storeName: lookups.storeName(c.storeId),
    tags: toTagViews(c, lookups, opts.now),
    vehiclesOfInterest: interests.map((v) => vehicleView(v.modelId, lookups)).filter((v): v is VehicleView => !!v),
    vehiclesOwned: c.vehiclesOwned.flatMap((v) => {
      const view = vehicleView(v.modelId, lookups);
      return view ? [{ ...view, purchasedAt: v.purchasedAt }] : [];
    }),
    storesVisited: [...c.storesVisited]
      .sort((a, b) => b.lastAt - a.lastAt)
      .map((s) => ({ storeId: s.storeId, storeName: lookups.storeName(s.storeId), count: s.count, lastAt: s.lastAt })),
    createdAt: c.createdAt,
    lastActivityAt: c.lastActivityAt,
    hasWecom: !!c.identities.externalUserId,
    ...(c.score ? { score: toScoreView(c.score) } : {}),
    gradeInfo: toGradeInfoView(c, lookups, opts.now),
    ...(sla ? { sla } : {}),
    mergedCount: c.mergedIds?.length ?? 0,
    updatedAt: c.updatedAt,
  };
}

/** A content view shorter than this is a glance: the timeline folds runs of them into one line. */
export const BRIEF_VIEW_SECONDS = 15;

export function toTimelineItem(e: EventDoc, lookups: Lookups): TimelineItem {
  const dwell = e.properties?.dwellSeconds;
  const brief = e.type === 'content_view' && typeof dwell === 'number' && dwell < BRIEF_VIEW_SECONDS;
  return { id: e._id, type: e.type, at: e.timestamp, title: lookups.describeEvent(e), sourceName: lookups.channelName(e.source), ...(brief ? { brief: true } : {}) };
}

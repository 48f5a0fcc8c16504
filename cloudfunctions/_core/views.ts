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

export function toLeadSummary(
  c: Pick<CustomerDoc, '_id' | 'name' | 'stage' | 'grade' | 'vehiclesOfInterest' | 'lastTouch' | 'lastActivityAt' | 'ownerId'> & {
    identities: { phone?: string };
  },
  lookups: Lookups,
  withOwner: boolean,
): LeadSummary {
  const ownerName = withOwner && c.ownerId ? lookups.staffName(c.ownerId) : undefined;
  const vehicle = latestInterest(c, lookups);
  return {
    id: c._id,
    name: c.name,
    stage: c.stage,
    ...(c.grade ? { grade: c.grade } : {}),
    phoneMasked: maskPhone(c.identities.phone),
    ...(vehicle ? { vehicleOfInterest: vehicle } : {}),
    ...(c.lastTouch ? { lastTouch: { type: c.lastTouch.type, at: c.lastTouch.at, summary: c.lastTouch.summary } } : {}),
    lastActivityAt: c.lastActivityAt,
    ...(ownerName && c.ownerId ? { owner: { id: c.ownerId, name: ownerName } } : {}),
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

export function toProfile(c: CustomerDoc, lookups: Lookups, opts: { viewerOwns: boolean; now: number }): CustomerProfile {
  const ownerName = c.ownerId ? lookups.staffName(c.ownerId) : undefined;
  const interests = [...c.vehiclesOfInterest].sort((a, b) => b.at - a.at);
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
  };
}

export function toTimelineItem(e: EventDoc, lookups: Lookups): TimelineItem {
  return { id: e._id, type: e.type, at: e.timestamp, title: lookups.describeEvent(e), sourceName: lookups.channelName(e.source) };
}

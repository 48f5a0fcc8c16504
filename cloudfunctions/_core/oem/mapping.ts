/**
 * OEM changes (docs/oem-api.md) as Sidekick records: one record per change and store it
 * reaches. A change that names a store is for that store's record of the person; one that
 * does not is for every store of the dealer that already knows the OEM id (the cross-store
 * link, see docs/decisions/0011-oem-sync.md). Within a store the record resolves through
 * OneID like any other (the OEM id is the most trusted identifier).
 *
 * Deterministic: event ids derive from the OEM's message ids, times from the OEM's own
 * stamps, so the same change mapped twice (a retried page, a duplicate push) is the same
 * record.
 */
import type { CustomerDoc, EventDoc, OemLead, OtherStoreVisit } from '../../../types/model';
import type { FieldIssue } from '../../../types/api';
import type { OemChange } from '../../../types/schemas';
import { normalizeTrack, parseTime, toEventDoc } from '../events/validate';
import { normalizeIdentifier, type Identifier } from '../oneid/identifiers';
import type { ConsentFact } from './consent';

export type OemProfile = Partial<Pick<CustomerDoc, 'name' | 'gender' | 'city'>>;

export interface OemRecord {
  /** `changeId@storeId`: one change may reach several store records. */
  key: string;
  changeId: string;
  kind: OemChange['type'];
  storeId: string;
  oemId: string;
  /** The OEM's time of the change: later changes win per field. */
  changedAt: number;
  identifiers: Identifier[];
  profile?: OemProfile;
  lead?: OemLead & { modelId?: string };
  tags?: string[];
  consents?: ConsentFact[];
  /** The event the change carries (a lead carries its own form event); `customerId` is filled once resolved. */
  event?: Omit<EventDoc, 'customerId'>;
  stores?: OtherStoreVisit[];
}

export interface Skipped {
  changeId: string;
  issues: FieldIssue[];
}

export interface MapInput {
  changes: readonly OemChange[];
  /** The dealer's stores: a change for any other store is not ours. */
  stores: ReadonlySet<string>;
  /** OEM id -> the dealer's stores that hold a record with it (for changes that name no store). */
  linked: ReadonlyMap<string, readonly string[]>;
}

/** Event ids of OEM events, apart from the stores' own message ids. */
export const oemEventId = (messageId: string) => `oem:${messageId}`;
/** The id of the form event a lead change records. */
export const oemLeadEventId = (changeId: string) => `oem:lead:${changeId}`;

const time = (v: string | number): number => {
  const t = parseTime(v);
  if (typeof t === 'string') throw new Error(`oem mapping: ${t}`);
  return t;
};

function identifiersOf(c: OemChange): { identifiers: Identifier[]; issues: FieldIssue[] } {
  const identifiers: Identifier[] = [{ type: 'oemId', value: c.oemId }];
  const issues: FieldIssue[] = [];
  if (c.type !== 'lead' && c.type !== 'profile') return { identifiers, issues };
  for (const type of ['phone', 'unionid'] as const) {
    const raw = c.data[type];
    if (raw === undefined) continue;
    const r = normalizeIdentifier(type, raw);
    if (r.ok) identifiers.push(r.identifier);
    else if (r.kind === 'invalid') issues.push({ field: `data.${type}`, message: r.message });
  }
  return { identifiers, issues };
}

function profileOf(c: Extract<OemChange, { type: 'lead' | 'profile' }>): OemProfile | undefined {
  const p: OemProfile = {};
  if (c.data.name !== undefined) p.name = c.data.name;
  if (c.data.gender !== undefined) p.gender = c.data.gender;
  if (c.data.city !== undefined) p.city = c.data.city;
  return Object.keys(p).length ? p : undefined;
}

type Built = Omit<OemRecord, 'key' | 'storeId' | 'changeId' | 'kind' | 'oemId' | 'changedAt' | 'identifiers' | 'event'> & {
  event?: (storeId: string) => Omit<EventDoc, 'customerId'> | FieldIssue[];
};

function consentFact(d: { purpose: ConsentFact['purpose']; granted: boolean; noticeVersion: string; at: string | number; channel: ConsentFact['channel'] }): ConsentFact {
  return { purpose: d.purpose, granted: d.granted, noticeVersion: d.noticeVersion, at: time(d.at), channel: d.channel };
}

function build(c: OemChange, changedAt: number): Built {
  switch (c.type) {
    case 'lead': {
      const assignedAt = c.data.assignedAt !== undefined ? time(c.data.assignedAt) : changedAt;
      const lead: OemRecord['lead'] = {
        changeId: c.id,
        channel: c.data.campaign.channel,
        assignedAt,
        changedAt,
        ...(c.data.campaign.id ? { campaignId: c.data.campaign.id } : {}),
        ...(c.data.campaign.name ? { campaignName: c.data.campaign.name } : {}),
        ...(c.data.firstContactDueAt !== undefined ? { firstContactDueAt: time(c.data.firstContactDueAt) } : {}),
        ...(c.data.modelId ? { modelId: c.data.modelId } : {}),
      };
      const profile = profileOf(c);
      return {
        lead,
        ...(profile ? { profile } : {}),
        ...(c.data.consents?.length ? { consents: c.data.consents.map(consentFact) } : {}),
        // The lead itself is a touchpoint: the form the person left their details in.
        event: (storeId) =>
          eventOf(
            {
              messageId: c.id,
              event: 'form_submit',
              properties: {
                form: 'oem_lead',
                ...(c.data.modelId ? { modelId: c.data.modelId } : {}),
                ...(c.data.campaign.id ? { campaign: c.data.campaign.id } : {}),
                ...(c.data.campaign.name ? { formName: c.data.campaign.name } : {}),
              },
              originalTimestamp: assignedAt,
              source: c.data.campaign.channel,
            },
            c.oemId,
            storeId,
            changedAt,
            oemLeadEventId(c.id),
          ),
      };
    }
    case 'profile': {
      const profile = profileOf(c);
      return profile ? { profile } : {};
    }
    case 'tags':
      return { tags: [...new Set(c.data.tags)].sort() };
    case 'consent':
      return { consents: [consentFact(c.data)] };
    case 'person':
      return {
        stores: c.data.stores
          .map((s) => ({ storeId: s.storeId, visits: s.visits, lastAt: time(s.lastVisitAt) }))
          .sort((a, b) => (a.storeId < b.storeId ? -1 : 1)),
      };
    case 'event':
      return {
        event: (storeId) =>
          eventOf(
            { messageId: c.data.messageId, event: c.data.event, properties: c.data.properties ?? {}, originalTimestamp: c.data.originalTimestamp, source: c.data.channel },
            c.oemId,
            storeId,
            changedAt,
            oemEventId(c.data.messageId),
          ),
      };
  }
}

/** An OEM event through the same rules as the stores' events (`normalizeTrack`). */
function eventOf(
  raw: { messageId: string; event: string; properties: Record<string, unknown>; originalTimestamp: string | number; source: string },
  oemId: string,
  storeId: string,
  changedAt: number,
  id: string,
): Omit<EventDoc, 'customerId'> | FieldIssue[] {
  // The OEM received it when it changed its feed: a deterministic receivedAt, so a repeat maps the same.
  const r = normalizeTrack({ ...raw, identities: { oemId }, storeId, receivedAt: changedAt }, { receivedAt: changedAt, trustRelayedReceivedAt: true });
  if (!r.ok) return r.issues.map((i) => ({ field: `data.${i.field}`, message: i.message }));
  const { customerId: _none, ...doc } = toEventDoc(r.event, '');
  return { ...doc, _id: id };
}

/** The records the changes make for the dealer's stores, and the changes set aside with why. */
export function toRecords(input: MapInput): { records: OemRecord[]; skipped: Skipped[] } {
  const records: OemRecord[] = [];
  const skipped: Skipped[] = [];
  for (const c of input.changes) {
    const changedAt = time(c.changedAt);
    const { identifiers, issues } = identifiersOf(c);
    if (issues.length) {
      skipped.push({ changeId: c.id, issues });
      continue;
    }
    const stores = c.storeId !== undefined ? [c.storeId] : [...(input.linked.get(c.oemId) ?? [])].sort();
    if (c.storeId !== undefined && !input.stores.has(c.storeId)) {
      skipped.push({ changeId: c.id, issues: [{ field: 'storeId', message: 'is not a store of this dealer' }] });
      continue;
    }
    // A change about a person no store of ours knows is not for us (a lead always names its store).
    if (!stores.length) continue;
    const built = build(c, changedAt);
    for (const storeId of stores) {
      const { event, ...rest } = built;
      const mapped = event?.(storeId);
      if (Array.isArray(mapped)) {
        skipped.push({ changeId: c.id, issues: mapped });
        break;
      }
      records.push({
        key: `${c.id}@${storeId}`,
        changeId: c.id,
        kind: c.type,
        storeId,
        oemId: c.oemId,
        changedAt,
        identifiers,
        ...rest,
        ...(mapped ? { event: mapped } : {}),
      });
    }
  }
  return { records, skipped };
}

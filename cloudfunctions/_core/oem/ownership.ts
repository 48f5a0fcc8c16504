/**
 * Who owns which field of a customer when the OEM and the store both know the person
 * (docs/decisions/0011-oem-sync.md, "Ownership"):
 *
 * - OEM-owned: name, gender and city once the OEM has sent them; the OEM's tags (source
 *   'oem'); the lead (campaign, channel, the OEM's first-contact deadline); what other stores
 *   of the group the customer visited. Each is kept with the OEM's change time, so a late,
 *   repeated or reordered change never overwrites a newer one.
 * - Store-owned: owner and assignment, grade, follow-ups, consultant tags, and everything the
 *   pipeline derives from events (stage, score, rule tags, last touch, stores visited). The
 *   OEM never writes them; the store never writes the OEM's.
 * - Consent: the ledger's rule (latest by the customer's own time), whichever side it came from.
 *
 * Pure, so a replayed page is recognised as "nothing to write" without a transaction.
 */
import type { CustomerDoc, OemFacts, TagAssignment } from '../../../types/model';
import { tagById, tagPath } from '../catalog/tags';
import type { FieldProvenance, OneIdFields } from '../oneid/customer';
import { applyConsent, sharesWithOem } from './consent';
import type { OemRecord } from './mapping';

export type OemCustomer = CustomerDoc & Partial<Pick<OneIdFields, 'fieldSources'>>;

const PROFILE_FIELDS = ['name', 'gender', 'city'] as const;

/** The tags the OEM sends that the taxonomy knows, as assignments (unknown ids are dropped). */
export function oemTagAssignments(ids: readonly string[], at: number): TagAssignment[] {
  return ids.filter((id) => tagById(id)).map((tagId) => ({ tagId, path: tagPath(tagId), source: 'oem' as const, assignedAt: at }));
}

function applyProfile<C extends OemCustomer>(c: C, r: OemRecord): C {
  if (!r.profile) return c;
  let next = c;
  for (const f of PROFILE_FIELDS) {
    const value = r.profile[f];
    // 'unknown' is the absence of a fact, not one.
    if (value === undefined || value === 'unknown' || (typeof value === 'string' && !value.trim())) continue;
    const had = c.fieldSources?.[f];
    if (had?.source === 'oem' && had.at >= r.changedAt) continue;
    const sources: FieldProvenance = { ...next.fieldSources, [f]: { source: 'oem', at: r.changedAt } };
    next = { ...next, [f]: value, fieldSources: sources };
  }
  return next;
}

function withOem<C extends OemCustomer>(c: C, patch: Partial<OemFacts>): C {
  return { ...c, oem: { ...c.oem, ...patch } };
}

function applyLead<C extends OemCustomer>(c: C, r: OemRecord): C {
  if (!r.lead) return c;
  const had = c.oem?.lead;
  if (had && had.changedAt >= r.lead.changedAt) return c;
  const { modelId: _model, ...lead } = r.lead;
  let next = withOem(c, { lead });
  // A record the sync made from an earlier event: the lead is its real first touch.
  if (c.oem?.created && !had) next = { ...next, sourceChannel: lead.channel };
  return next;
}

function applyTags<C extends OemCustomer>(c: C, r: OemRecord): C {
  if (!r.tags) return c;
  if (c.oem?.tagsAt !== undefined && c.oem.tagsAt >= r.changedAt) return c;
  const keep = c.tags.filter((t) => t.source !== 'oem');
  const taken = new Set(keep.map((t) => t.tagId));
  const oem = oemTagAssignments(r.tags, r.changedAt).filter((t) => !taken.has(t.tagId));
  return withOem({ ...c, tags: [...keep, ...oem] }, { tagsAt: r.changedAt });
}

function applyStores<C extends OemCustomer>(c: C, r: OemRecord): C {
  if (!r.stores) return c;
  if (c.oem?.otherStoresAt !== undefined && c.oem.otherStoresAt >= r.changedAt) return c;
  const others = r.stores.filter((s) => s.storeId !== c.storeId);
  return withOem(c, { otherStores: others, otherStoresAt: r.changedAt });
}

function applyConsents<C extends OemCustomer>(c: C, r: OemRecord): C {
  if (!r.consents) return c;
  let consent = c.consent;
  for (const fact of r.consents) consent = applyConsent(consent, fact);
  return consent === c.consent ? c : { ...c, consent };
}

/**
 * The customer after one OEM record (its event excepted: events go through the pipeline).
 * Returns `c` itself when the record changes nothing, so callers compare with `===`.
 */
export function applyOemRecord<C extends OemCustomer>(c: C, r: OemRecord): C {
  const next = applyConsents(applyStores(applyTags(applyLead(applyProfile(c, r), r), r), r), r);
  if (next === c) return c;
  return next;
}

/** Other stores' visits are shown only while the customer consents to sharing with the OEM. */
export function visibleOtherStores(c: Pick<CustomerDoc, 'consent' | 'oem'>): NonNullable<OemFacts['otherStores']> {
  return sharesWithOem(c) ? (c.oem?.otherStores ?? []) : [];
}

/** Records in the order they apply: by the OEM's change time, then by id (a stable order for any arrival order). */
export function inChangeOrder(records: readonly OemRecord[]): OemRecord[] {
  return [...records].sort((a, b) => a.changedAt - b.changedAt || (a.changeId < b.changeId ? -1 : a.changeId > b.changeId ? 1 : 0));
}

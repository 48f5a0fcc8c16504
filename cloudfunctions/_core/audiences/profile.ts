/**
 * What audiences read of a customer besides their event counters, and how tags of any level
 * are matched: a level-1 or level-2 tag is carried when any leaf under it is.
 */
import type { ConsentPurpose } from '../../../types/audience';
import type { CustomerDoc, IntentGrade, LifecycleStage } from '../../../types/model';
import { TAGS } from '../catalog/tags';

export interface ProfileTag {
  /** Leaf tag id. */
  id: string;
  expiresAt?: number;
}

export interface AudienceProfile {
  storeId: string;
  /** The consultant who owns the customer; absent in the pool. */
  ownerId?: string;
  stage: LifecycleStage;
  grade?: IntentGrade;
  /** Lead score total (0-100); absent until scored. */
  score?: number;
  tags: readonly ProfileTag[];
  /** Model ids of the vehicles of interest. */
  interest: readonly string[];
  /** Model ids of the vehicles owned. */
  owned: readonly string[];
  /** Purposes the customer currently consents to. */
  consents: readonly ConsentPurpose[];
}

export type ProfileSource = Pick<CustomerDoc, 'storeId' | 'ownerId' | 'stage' | 'grade' | 'tags' | 'vehiclesOfInterest' | 'vehiclesOwned'> & {
  score?: { total: number };
};

/** The one copy V8 keeps of a string (a property name is one): equal ids are then the same pointer. */
function internalize(s: string): string {
  return Object.keys({ [s]: 0 })[0];
}

const CANONICAL = new Map(TAGS.map((t) => [t.id, internalize(t.id)]));

/**
 * The taxonomy's own copy of a tag id (the id itself when unknown). A customer carries ~20
 * tags and audiences compare them on every event: comparing two such copies is a pointer
 * check, two equal texts in different strings are compared character by character.
 */
export function canonicalTagId(id: string): string {
  return CANONICAL.get(id) ?? id;
}

/** Shared by every profile with nothing in a list: a million customers are many empty arrays. */
const EMPTY: readonly never[] = Object.freeze([]);

/** The profile of a stored customer; consents come from wherever the consent records live. */
export function profileOf(c: ProfileSource, consents: readonly ConsentPurpose[] = []): AudienceProfile {
  const p: AudienceProfile = {
    storeId: c.storeId,
    stage: c.stage,
    tags: c.tags.map((t) => (t.expiresAt !== undefined ? { id: canonicalTagId(t.tagId), expiresAt: t.expiresAt } : { id: canonicalTagId(t.tagId) })),
    interest: c.vehiclesOfInterest.length ? c.vehiclesOfInterest.map((v) => v.modelId) : EMPTY,
    owned: c.vehiclesOwned.length ? c.vehiclesOwned.map((v) => v.modelId) : EMPTY,
    consents: consents.length ? [...consents] : EMPTY,
  };
  if (c.ownerId) p.ownerId = c.ownerId;
  if (c.grade) p.grade = c.grade;
  if (c.score && Number.isFinite(c.score.total)) p.score = c.score.total;
  return p;
}

export function tagActive(t: ProfileTag, now: number): boolean {
  return t.expiresAt === undefined || t.expiresAt > now;
}

const childrenOf = new Map<string, string[]>();
for (const t of TAGS) if (t.parentId) (childrenOf.get(t.parentId) ?? childrenOf.set(t.parentId, []).get(t.parentId)!).push(t.id);

/** The leaf ids a tag id stands for: itself when a leaf (or unknown to the taxonomy), else every leaf under it. */
export function leavesOf(id: string): string[] {
  const kids = childrenOf.get(id);
  if (!kids) return [canonicalTagId(id)];
  return kids.flatMap(leavesOf);
}

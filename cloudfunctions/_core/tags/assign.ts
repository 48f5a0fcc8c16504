/**
 * Tag assignments on a customer: the leaf plus its ancestors, who set it (OEM, rule,
 * consultant), when, and until when. Rules never remove or override what the OEM or a
 * consultant set; people override rules.
 */
import type { TagAssignment } from '../../../types/model';
import { isLeafTag, tagById, tagPath } from '../catalog/tags';

export type TagSource = TagAssignment['source'];

/**
 * Level-2 groups whose leaves exclude each other (one stage, one activity level, one powertrain
 * the customer leans to...). Setting one leaf of such a group replaces the others.
 */
export const EXCLUSIVE_GROUPS: ReadonlySet<string> = new Set([
  'lifecycle-stage',
  'lifecycle-owner_phase',
  'lifecycle-risk',
  'intent-level',
  'intent-horizon',
  'intent-budget',
  'intent-kind',
  'activity-level',
  'activity-recency',
  'activity-score',
  'activity-frequency',
  'replace-window',
  'vehicle_status-age',
  'vehicle_status-mileage',
  'vehicle_status-warranty',
  'vehicle_status-service',
  'vehicle_energy-type',
  'vehicle_energy-charging',
  'vehicle_config-trim',
  'vehicle_config-drive',
  'vehicle_config-color',
  'behavior-share',
  'basic-city_tier',
  'basic-gender',
  'basic-age',
  'basic-family',
  'basic-occupation',
  'power-level',
]);

/** The level-2 group of a leaf. */
export function groupOf(tagId: string): string | undefined {
  return tagById(tagId)?.parentId ?? undefined;
}

export function isExclusive(tagId: string): boolean {
  const g = groupOf(tagId);
  return g !== undefined && EXCLUSIVE_GROUPS.has(g);
}

/** An assignment of a leaf tag with its ancestors. Throws on an id that is not a leaf of the taxonomy. */
export function tagAssignment(leafId: string, source: TagSource, now: number, expiresAt?: number): TagAssignment {
  if (!isLeafTag(leafId)) throw new Error(`not a leaf tag: ${leafId}`);
  const t: TagAssignment = { tagId: leafId, path: tagPath(leafId), source, assignedAt: now };
  if (expiresAt !== undefined) t.expiresAt = expiresAt;
  return t;
}

export function isActive(t: TagAssignment, now: number): boolean {
  return t.expiresAt === undefined || t.expiresAt > now;
}

/** Tags in force at `now`. */
export function activeTags(tags: readonly TagAssignment[], now: number): TagAssignment[] {
  return tags.filter((t) => isActive(t, now));
}

/**
 * Sets a tag by hand or from the OEM: replaces the same tag whatever its source and, in an
 * exclusive group, the group's other leaves.
 */
export function setTag(tags: readonly TagAssignment[], assignment: TagAssignment): TagAssignment[] {
  const group = isExclusive(assignment.tagId) ? groupOf(assignment.tagId) : undefined;
  const rest = tags.filter((t) => t.tagId !== assignment.tagId && (group === undefined || groupOf(t.tagId) !== group));
  return [...rest, assignment];
}

/** Removes a tag (a consultant taking a tag off). */
export function removeTag(tags: readonly TagAssignment[], tagId: string): TagAssignment[] {
  return tags.filter((t) => t.tagId !== tagId);
}

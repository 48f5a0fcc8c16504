/**
 * Look-ups over the tag taxonomy (`types/tags.ts`, where the tree is written once): a tag by
 * id, its ancestors and Chinese path, its children.
 */
import { TAGS, type TagDef } from '../../../types/tags';
import type { LifecycleStage } from '../../../types/model';

export { TAGS } from '../../../types/tags';
export type { TagDef, TagLevel, TagSubject } from '../../../types/tags';

const byId = new Map(TAGS.map((t) => [t.id, t]));

export function tagById(id: string): TagDef | undefined {
  return byId.get(id);
}

export function isLeafTag(id: string): boolean {
  return byId.get(id)?.level === 3;
}

const paths = new Map<string, readonly string[]>();
for (const t of TAGS) paths.set(t.id, t.parentId ? [...(paths.get(t.parentId) ?? []), t.parentId] : []);

/** Ancestor ids of a tag, root first: a leaf gives [level1, level2]. Throws on an unknown id. */
export function tagPath(id: string): string[] {
  const path = paths.get(id);
  if (!path) throw new Error(`unknown tag: ${id}`);
  return path.slice();
}

/** Chinese names from level 1 down to the tag itself, e.g. ['购车意向', '意向级别', '意向高']. */
export function tagPathNames(id: string): string[] {
  return [...tagPath(id), id].map((x) => byId.get(x)?.name ?? x);
}

export function childrenOf(id: string | null): TagDef[] {
  return TAGS.filter((t) => t.parentId === id);
}

/** The leaf tag that states each lifecycle stage. */
export const STAGE_TAG: Record<LifecycleStage, string> = {
  lead: 'lifecycle-stage-lead',
  prospect: 'lifecycle-stage-prospect',
  owner: 'lifecycle-stage-owner',
};

/**
 * The lead list's filter values, checked against the catalog before they reach a query, and
 * the search box's input read as either a phone tail (尾号, 4 digits) or part of a name.
 */
import type { FieldIssue } from '../../../types/api';
import { modelById } from '../catalog/models';
import { tagById } from '../catalog/tags';

export interface LeadFilterInput {
  tagId?: string;
  modelId?: string;
  channel?: string;
  q?: string;
}

/** Channel ids are open (the OEM may add sources), so only their shape is checked. */
const CHANNEL_ID = /^[a-z][a-z0-9_]{0,31}$/;

/** Field issues for filter values that cannot match anything known; empty when all are fine. */
export function filterIssues(f: LeadFilterInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (f.tagId !== undefined && !tagById(f.tagId)) issues.push({ field: 'tagId', message: `unknown tag ${f.tagId}` });
  if (f.modelId !== undefined && !modelById(f.modelId)) issues.push({ field: 'modelId', message: `unknown model ${f.modelId}` });
  if (f.channel !== undefined && !CHANNEL_ID.test(f.channel)) issues.push({ field: 'channel', message: 'must be a channel id such as autohome' });
  return issues;
}

export type LeadSearch = { kind: 'phoneTail'; tail: string } | { kind: 'name'; pattern: string };

/** 4 digits search the phone tail; anything else is a case-insensitive part of the name. */
export function parseSearch(q: string): LeadSearch {
  const text = q.trim();
  if (/^\d{4}$/.test(text)) return { kind: 'phoneTail', tail: text };
  return { kind: 'name', pattern: escapeRegex(text) };
}

/** The text as a regular expression that matches it literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

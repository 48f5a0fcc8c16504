/**
 * Checks a scoring model a manager edited with the contract's schema (`scoringModel` in
 * types/domain-schemas.ts, the one statement of its rules), so a bad edit is refused with every
 * field named by its dotted path (`engagement.groups.1.rules.0.dailyCap`).
 */
import type { FieldIssue } from '../../../types/api';
import { scoringModel } from '../../../types/domain-schemas';
import { fieldIssues } from '../field-issues';
import type { ScoringModel } from './model';

export type ModelCheck = { ok: true; model: ScoringModel } | { ok: false; issues: FieldIssue[] };

export function validateModel(input: unknown): ModelCheck {
  const parsed = scoringModel.safeParse(input);
  return parsed.success ? { ok: true, model: parsed.data } : { ok: false, issues: fieldIssues(parsed.error) };
}

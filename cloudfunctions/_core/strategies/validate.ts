/** Checks of a reaction tree beyond its shape (the schema's): unique ids, size, depth, known tags. */
import { REACTION_LIMITS, type ReactionRule } from '../../../types/strategy';
import { depthOf, nodesOf } from './rules';

export interface RuleIssue {
  field: string;
  message: string;
}

export function checkRules(rules: readonly ReactionRule[], knownTag: (id: string) => boolean, selfId: string): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const nodes = nodesOf(rules);
  if (nodes.length > REACTION_LIMITS.maxNodes) issues.push({ field: 'rules', message: `must have at most ${REACTION_LIMITS.maxNodes} rules` });
  if (depthOf(rules) > REACTION_LIMITS.maxDepth) issues.push({ field: 'rules', message: `must nest at most ${REACTION_LIMITS.maxDepth} deep` });
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.id)) issues.push({ field: 'rules', message: `rule id ${n.id} is used twice` });
    seen.add(n.id);
    for (const a of n.then) {
      if (a.kind === 'tag' && !knownTag(a.tagId)) issues.push({ field: 'rules', message: `tag ${a.tagId} is not in the taxonomy` });
      if (a.kind === 'move' && a.strategyId === selfId) issues.push({ field: 'rules', message: 'a rule cannot move customers into its own strategy' });
    }
  }
  return issues;
}

/** Reaction rules in Chinese, from the one vocabulary: the builder's lines and the tasks' titles. */
import type { ReactionAction, ReactionCondition } from '../../../types/strategy';
import { REACTION_ACTION_LABELS, REACTION_CONDITION_LABELS } from '../../../types/vocabulary';

export function conditionText(c: ReactionCondition): string {
  const label = REACTION_CONDITION_LABELS[c.kind];
  if (c.kind === 'not_opened' || c.kind === 'not_registered') return label.replace('{h}', String(c.hours));
  if (c.kind === 'dwell') return label.replace('{s}', String(c.seconds));
  return label;
}

export function actionText(a: ReactionAction, names: { tag?: (id: string) => string | undefined; strategy?: (id: string) => string | undefined } = {}): string {
  const label = REACTION_ACTION_LABELS[a.kind];
  switch (a.kind) {
    case 'call':
      return label.replace('{h}', String(a.slaHours));
    case 'reinvite':
      return label.replace('{n}', String(a.max));
    case 'tag':
      return `${label}「${names.tag?.(a.tagId) ?? a.tagId}」`;
    case 'move':
      return `${label}「${names.strategy?.(a.strategyId) ?? '另一策略'}」`;
    case 'notify':
      return label;
  }
}

/** A path of conditions as one line, e.g. 已打开邀请，48小时内未报名. */
export const pathText = (path: readonly ReactionCondition[]) => path.map(conditionText).join('，');

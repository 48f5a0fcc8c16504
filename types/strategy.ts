/**
 * Strategies (营销策略): a saved audience, a material, a channel, a send window and reaction
 * rules as a small decision tree. Plain data, stored as is in the strategy document, checked by
 * `schemas.strategies.save` (shape) and evaluated by `_core/strategies` (pure, time passed in).
 *
 * Time in the rules: every "within T" counts from the customer's latest send of the strategy
 * (a re-invitation starts the clock again); nothing reacts before the first send.
 */

/** What a reaction rule tests about one customer of the strategy. */
export type ReactionCondition =
  /** The customer opened the latest invitation. */
  | { kind: 'opened' }
  /** No open within `hours` of the latest send (decided at the deadline). */
  | { kind: 'not_opened'; hours: number }
  /** The customer stayed at least `seconds` on the strategy's invitations, all opens together. */
  | { kind: 'dwell'; seconds: number }
  | { kind: 'registered' }
  /** Not registered within `hours` of the latest send (decided at the deadline). */
  | { kind: 'not_registered'; hours: number }
  /** Came to the store (a store visit recorded after the first send). */
  | { kind: 'checked_in' }
  | { kind: 'test_drove' }
  | { kind: 'ordered' };
export type ReactionConditionKind = ReactionCondition['kind'];

/** What a rule does, once per customer and round (a round is one send of the strategy). */
export type ReactionAction =
  /** A call task in the owner's 任务 inbox, due within `slaHours`. */
  | { kind: 'call'; slaHours: number }
  /** Another invitation task, at most `max` re-invitations per customer. */
  | { kind: 'reinvite'; max: number }
  /** Tags the customer (a taxonomy leaf; source `rule`). */
  | { kind: 'tag'; tagId: string }
  /** Moves the customer to another issued strategy of the store (it gets that strategy's task). */
  | { kind: 'move'; strategyId: string }
  /** A notice on the manager's home. */
  | { kind: 'notify' };
export type ReactionActionKind = ReactionAction['kind'];

/**
 * A node of the decision tree: when its condition holds (and its ancestors' did), its actions
 * run, and its children are looked at. Ids are unique within a strategy.
 */
export interface ReactionRule {
  id: string;
  when: ReactionCondition;
  then: ReactionAction[];
  next?: ReactionRule[];
}

export const REACTION_LIMITS = { maxNodes: 12, maxDepth: 3, maxHours: 24 * 30, maxReinvites: 3, maxSlaHours: 72 } as const;

/** Times of day as minutes after midnight, China time (UTC+8). */
export interface SendWindow {
  /** First and last day sends may go out (epoch ms of the day's start, China time). */
  startAt: number;
  endAt: number;
  /** Time of day sends go out, e.g. 10:00-20:00 (600-1200). */
  fromMinute: number;
  toMinute: number;
  /** Quiet hours inside which nothing is due (e.g. 12:00-13:30), optional. */
  quiet?: { fromMinute: number; toMinute: number };
}

export type StrategyChannel = 'wecom_chat' | 'wecom_mass';

/** What the strategy's reactions looked at for one customer (kept on its member document). */
export interface ReactionFacts {
  /** Sends of the strategy to this customer so far (a round is one send). */
  round: number;
  /** The latest send; absent before the first. */
  sentAt?: number;
  /** First open since the latest send. */
  openedAt?: number;
  /** Seconds on the strategy's invitations, all sends together. */
  dwellSeconds: number;
  registeredAt?: number;
  checkedInAt?: number;
  testDroveAt?: number;
  orderedAt?: number;
}

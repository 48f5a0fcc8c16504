/**
 * Reaction rules: a small decision tree evaluated for one customer of a strategy on the facts
 * its sends and events left (`ReactionFacts`), at a time passed in. Pure and idempotent: a node
 * fires once per round (one send of the strategy), named `<nodeId>@<round>`, and the caller
 * keeps the names it fired; evaluating again fires nothing new. Conditions that turn on a
 * deadline say when (`nextCheckAt`), so a timer looks at the customer again exactly then;
 * the others wait for an event.
 */
import type { ReactionAction, ReactionCondition, ReactionFacts, ReactionRule } from '../../../types/strategy';

const HOUR = 3_600_000;

/** A condition now: holds, never will (this round), or may later (at a known time, or on an event). */
export type Verdict = { state: 'yes' } | { state: 'no' } | { state: 'wait'; at?: number };

const YES: Verdict = { state: 'yes' };
const NO: Verdict = { state: 'no' };
const onEvent: Verdict = { state: 'wait' };

/** "Not X within T": decided at the deadline; X at or before it settles it the other way. */
function notWithin(happenedAt: number | undefined, sentAt: number, hours: number, now: number): Verdict {
  const deadline = sentAt + hours * HOUR;
  if (happenedAt !== undefined && happenedAt <= deadline) return NO;
  return now >= deadline ? YES : { state: 'wait', at: deadline };
}

export function verdict(c: ReactionCondition, f: ReactionFacts, now: number): Verdict {
  // Nothing reacts before the strategy reached the customer.
  if (f.sentAt === undefined) return onEvent;
  switch (c.kind) {
    case 'opened':
      return f.openedAt !== undefined ? YES : onEvent;
    case 'not_opened':
      return notWithin(f.openedAt, f.sentAt, c.hours, now);
    case 'dwell':
      return f.dwellSeconds >= c.seconds ? YES : onEvent;
    case 'registered':
      return f.registeredAt !== undefined ? YES : onEvent;
    case 'not_registered':
      // Registered in an earlier round counts: the customer is coming.
      return notWithin(f.registeredAt, f.sentAt, c.hours, now);
    case 'checked_in':
      return f.checkedInAt !== undefined ? YES : onEvent;
    case 'test_drove':
      return f.testDroveAt !== undefined ? YES : onEvent;
    case 'ordered':
      return f.orderedAt !== undefined ? YES : onEvent;
  }
}

export interface Firing {
  /** `<nodeId>@<round>`: what the caller keeps so the node never fires twice in a round. */
  key: string;
  nodeId: string;
  round: number;
  action: ReactionAction;
  /** The conditions from the root to this node (for the task's Chinese title). */
  path: ReactionCondition[];
}

export interface Evaluation {
  /** Actions to run now, in tree order. */
  fire: Firing[];
  /** Node names to add to the kept set (the fired nodes, actions or not). */
  fired: string[];
  /** The earliest deadline a reachable node waits for; absent: only events can change anything. */
  nextCheckAt?: number;
}

export const firedKey = (nodeId: string, round: number) => `${nodeId}@${round}`;

/**
 * What the tree does now. `fired` are the keys kept from earlier evaluations. `reinvites` is
 * how many re-invitations the customer has had (a `reinvite` beyond its `max` is dropped).
 */
export function evaluate(rules: readonly ReactionRule[], facts: ReactionFacts, fired: readonly string[], now: number, reinvites = 0): Evaluation {
  const kept = new Set(fired);
  const out: Evaluation = { fire: [], fired: [] };
  let invites = reinvites;
  const visit = (nodes: readonly ReactionRule[], path: ReactionCondition[]) => {
    for (const node of nodes) {
      const v = verdict(node.when, facts, now);
      if (v.state === 'wait') {
        if (v.at !== undefined && (out.nextCheckAt === undefined || v.at < out.nextCheckAt)) out.nextCheckAt = v.at;
        continue;
      }
      if (v.state === 'no') continue;
      const here = [...path, node.when];
      const key = firedKey(node.id, facts.round);
      if (!kept.has(key)) {
        kept.add(key);
        out.fired.push(key);
        for (const action of node.then) {
          if (action.kind === 'reinvite') {
            if (invites >= action.max) continue;
            invites++;
          }
          out.fire.push({ key, nodeId: node.id, round: facts.round, action, path: here });
        }
      }
      if (node.next?.length) visit(node.next, here);
    }
  };
  visit(rules, []);
  return out;
}

/** Every node of the tree, depth first. */
export function nodesOf(rules: readonly ReactionRule[]): ReactionRule[] {
  return rules.flatMap((r) => [r, ...nodesOf(r.next ?? [])]);
}

/** How deep the tree goes (a root alone is 1). */
export function depthOf(rules: readonly ReactionRule[]): number {
  return rules.reduce((d, r) => Math.max(d, 1 + depthOf(r.next ?? [])), 0);
}

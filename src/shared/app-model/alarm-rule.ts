import { findCycle } from './find-cycle.js';

/** An alarm state, as in CloudWatch. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** `ALARM(name)`, `OK(name)` or `INSUFFICIENT_DATA(name)`: true when the named alarm is in that state. */
export interface StateNode {
  readonly kind: 'state';
  /** The state the function tests for. */
  readonly state: AlarmState;
  /** The alarm name (or ARN), unquoted. */
  readonly alarm: string;
  /** 1-based column of the function name in the rule. */
  readonly col: number;
}

/** `TRUE` or `FALSE`. */
export interface ConstNode {
  readonly kind: 'const';
  /** The constant. */
  readonly value: boolean;
}

/** `NOT operand`. */
export interface NotNode {
  readonly kind: 'not';
  /** The negated expression. */
  readonly operand: RuleNode;
}

/** `left AND right` or `left OR right` (left-associative). */
export interface BinaryNode {
  readonly kind: 'and' | 'or';
  /** The left operand. */
  readonly left: RuleNode;
  /** The right operand. */
  readonly right: RuleNode;
}

/** A parsed composite alarm rule, e.g. `ALARM(a) AND NOT OK(b)`; built by `parseAlarmRule`. */
export type RuleNode = StateNode | ConstNode | NotNode | BinaryNode;

/** The names of the alarms a rule references, each once, in order of first appearance. */
export function referencedAlarms(ast: RuleNode): string[] {
  const names = new Set<string>();
  const stack: RuleNode[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) break;
    if (node.kind === 'state') names.add(node.alarm);
    else if (node.kind === 'not') stack.push(node.operand);
    else if (node.kind === 'and' || node.kind === 'or') stack.push(node.right, node.left);
  }
  return [...names];
}

/**
 * Finds a cycle among composite alarms (CloudWatch rejects a composite alarm whose rule reaches itself).
 * `rules` maps each composite alarm's name to its parsed rule; names not in `rules` are metric alarms and
 * end a path. Returns the cycle closed on its first name, e.g. `['a', 'b', 'a']` (`['a', 'a']` for a rule
 * that references itself), or undefined. Alarms are visited in name order, so the answer is stable.
 */
export function findAlarmRuleCycle(rules: Readonly<Record<string, RuleNode>>): string[] | undefined {
  const edges = (name: string): string[] => {
    const rule = rules[name];
    return rule === undefined ? [] : referencedAlarms(rule).filter((ref) => Object.hasOwn(rules, ref));
  };
  return findCycle(Object.keys(rules).sort(), edges);
}

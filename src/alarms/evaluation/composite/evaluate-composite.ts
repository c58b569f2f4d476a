import type { RuleNode } from '../../../shared/index.js';
import type { AlarmState } from '../model.js';

/** The outcome of a composite rule. */
export interface CompositeEvaluation {
  /** The rule's value; the composite alarm is in ALARM when true and OK when false. */
  readonly value: boolean;
  /** The composite alarm's state for that value. */
  readonly state: 'ALARM' | 'OK';
  /**
   * The alarms whose states decided the value, each once, in rule order: for a true AND both sides,
   * for a true OR only its true sides, for a false AND only its false sides, for a false OR both.
   */
  readonly contributors: readonly string[];
}

interface Outcome {
  readonly value: boolean;
  readonly decisive: readonly string[];
}

function walk(node: RuleNode, states: ReadonlyMap<string, AlarmState>): Outcome {
  switch (node.kind) {
    case 'const':
      return { value: node.value, decisive: [] };
    case 'state':
      return { value: (states.get(node.alarm) ?? 'INSUFFICIENT_DATA') === node.state, decisive: [node.alarm] };
    case 'not': {
      const inner = walk(node.operand, states);
      return { value: !inner.value, decisive: inner.decisive };
    }
    case 'and':
    case 'or': {
      const left = walk(node.left, states);
      const right = walk(node.right, states);
      const value = node.kind === 'and' ? left.value && right.value : left.value || right.value;
      // The sides whose value equals the result are the ones that decided it.
      const decisive = [left, right].filter((side) => side.value === value).flatMap((side) => side.decisive);
      return { value, decisive };
    }
  }
}

/**
 * Evaluates a parsed composite rule against the current states of the alarms it references. An alarm
 * missing from `states` counts as INSUFFICIENT_DATA.
 */
export function evaluateComposite(ast: RuleNode, states: ReadonlyMap<string, AlarmState>): CompositeEvaluation {
  const { value, decisive } = walk(ast, states);
  return { value, state: value ? 'ALARM' : 'OK', contributors: [...new Set(decisive)] };
}

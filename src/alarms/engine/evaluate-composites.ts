import { evaluateComposite, type AlarmState, type Evaluation } from '../evaluation/index.js';
import type { CompiledCompositeAlarm } from './compile-alarms.js';

/**
 * Evaluates composite alarms in order (children first), each against the states as they stand after
 * the previous ones; `states` is updated in place. The reason names the rule and its contributors.
 */
export function evaluateComposites(composites: readonly CompiledCompositeAlarm[], states: Map<string, AlarmState>): { name: string; evaluation: Evaluation }[] {
  return composites.map((c) => {
    const result = evaluateComposite(c.ruleTree, states);
    states.set(c.name, result.state);
    const because = result.contributors.map((n) => `${n} is ${states.get(n) ?? 'INSUFFICIENT_DATA'}`).join(', ');
    const reason = `Composite rule ${c.rule} is ${result.value ? 'TRUE' : 'FALSE'}${because === '' ? '' : `: ${because}`}.`;
    return { name: c.name, evaluation: { state: result.state, reason, breachingCount: result.value ? 1 : 0, evaluatedCount: 1 } };
  });
}

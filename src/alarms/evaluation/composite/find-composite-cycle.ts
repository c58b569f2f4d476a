import { InputError, findAlarmRuleCycle, parseAlarmRule, type RuleNode } from '../../../shared/index.js';

/**
 * Finds a cycle among composite alarms (CloudWatch rejects a composite alarm whose rule reaches itself).
 * `rules` maps each composite alarm's name to its rule; names not in `rules` are metric alarms and
 * end a path. Returns the cycle closed on its first name, e.g. `['a', 'b', 'a']` (`['a', 'a']` for a
 * rule that references itself), or undefined. Alarms are visited in name order, so the answer is stable.
 * The app model's config-time check runs the same search ({@link findAlarmRuleCycle}) on parsed rules.
 *
 * @throws InputError `SLW_ERR_ALARM_RULE_SYNTAX` when a rule does not parse; the message names the alarm.
 */
export function findCompositeCycle(rules: Readonly<Record<string, string>>): string[] | undefined {
  const parsed: Record<string, RuleNode> = {};
  for (const name of Object.keys(rules).sort()) {
    try {
      parsed[name] = parseAlarmRule(rules[name] ?? '');
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      throw new InputError(err.code, `Composite alarm "${name}": ${err.message}`, {
        cause: err,
        issues: err.issues.map((i) => ({ path: `${name}.${i.path}`, message: i.message })),
      });
    }
  }
  return findAlarmRuleCycle(parsed);
}

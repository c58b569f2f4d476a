import { InputError } from '../../../shared/index.js';
import { referencedAlarms } from './ast.js';
import { parseAlarmRule } from './parse-rule.js';

/**
 * Finds a cycle among composite alarms (CloudWatch rejects a composite alarm whose rule reaches itself).
 * `rules` maps each composite alarm's name to its rule; names not in `rules` are metric alarms and
 * end a path. Returns the cycle closed on its first name, e.g. `['a', 'b', 'a']` (`['a', 'a']` for a
 * rule that references itself), or undefined. Alarms are visited in name order, so the answer is stable.
 *
 * @throws InputError `SLW_ERR_ALARM_RULE_SYNTAX` when a rule does not parse; the message names the alarm.
 */
export function findCompositeCycle(rules: Readonly<Record<string, string>>): string[] | undefined {
  const names = Object.keys(rules).sort();
  const edges = new Map<string, string[]>();
  for (const name of names) {
    try {
      edges.set(name, referencedAlarms(parseAlarmRule(rules[name] ?? '')).filter((ref) => Object.hasOwn(rules, ref)));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      throw new InputError(err.code, `Composite alarm "${name}": ${err.message}`, {
        cause: err,
        issues: err.issues.map((i) => ({ path: `${name}.${i.path}`, message: i.message })),
      });
    }
  }
  const done = new Set<string>();
  for (const root of names) {
    if (done.has(root)) continue;
    // Iterative depth-first search; `path` is the current chain, `onPath` its members.
    const path: string[] = [root];
    const onPath = new Set<string>([root]);
    const next: number[] = [0];
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] as string;
      const out = edges.get(node) ?? [];
      const i = next[top] ?? 0;
      if (i >= out.length) {
        done.add(node);
        onPath.delete(node);
        path.pop();
        next.pop();
        continue;
      }
      next[top] = i + 1;
      const child = out[i] as string;
      if (onPath.has(child)) return [...path.slice(path.indexOf(child)), child];
      if (done.has(child)) continue;
      path.push(child);
      onPath.add(child);
      next.push(0);
    }
  }
  return undefined;
}

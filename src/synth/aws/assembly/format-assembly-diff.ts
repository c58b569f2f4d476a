import type { AttributeValue } from '../../../shared/index.js';
import type { AssemblyDiff, StackChange } from './diff-assemblies.js';

const SYMBOL = { Add: '+', Modify: '~', Remove: '-' } as const;
const MAX_VALUE_CHARS = 80;

/** A value as one short line of JSON; `(none)` where the attribute does not exist. */
function show(value: AttributeValue | undefined): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function changeLines(c: StackChange): string[] {
  const lines = [`  ${String(c.order).padStart(3)}. ${SYMBOL[c.action]} ${c.resourceId} ${c.type} (${c.action}, ${c.effect})`];
  if (c.action !== 'Modify') return lines;
  for (const a of c.attributes) {
    const same = JSON.stringify(a.old) === JSON.stringify(a.new);
    const values = same ? `${show(a.new)} (refers to a replaced resource)` : `${show(a.old)} → ${show(a.new)}`;
    lines.push(`         ${a.path}: ${values}${a.effect === 'replacement' ? ' (replacement)' : ''}`);
  }
  return lines;
}

/**
 * The diff as `slipway plan` prints a change set: per stack (`+` added, `-` removed, `~` changed)
 * its resources in apply order, numbered, with `+`/`~`/`-` and `(action, effect)` — `replacement`
 * where CloudFormation replaces one — each changed property path with old → new (and
 * `(replacement)` on the property that causes it), then the totals.
 */
export function formatAssemblyDiff(diff: AssemblyDiff): string {
  const lines: string[] = [];
  const all = diff.stacks.flatMap((s) => s.changes);
  for (const stack of diff.stacks) {
    if (stack.action === 'Modify') {
      lines.push(`~ ${stack.stackName}`);
      for (const c of stack.changes) lines.push(...changeLines(c));
    } else {
      lines.push(`${SYMBOL[stack.action]} ${stack.stackName} (${stack.changes.length} resource${stack.changes.length === 1 ? '' : 's'})`);
    }
  }
  if (diff.stacks.length === 0) return 'no differences';
  const count = (action: StackChange['action']) => all.filter((c) => c.action === action).length;
  const replacements = all.filter((c) => c.effect === 'replacement').length;
  lines.push(`Plan: ${count('Add')} to add, ${count('Modify')} to change${replacements > 0 ? ` (${replacements} replacement${replacements === 1 ? '' : 's'})` : ''}, ${count('Remove')} to remove.`);
  return lines.join('\n');
}

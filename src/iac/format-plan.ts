import type { AttributeValue, Change, ChangeSet } from '../shared/index.js';

const SIGN: Record<Change['action'], string> = { Add: '+', Modify: '~', Remove: '-' };

/** A value as a plan line shows it: JSON, cut at 60 characters. */
function show(v: AttributeValue | undefined): string {
  if (v === undefined) return '(none)';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A change set as text, as `slipway plan` prints it and a plan action logs it: one line per change
 * (`+`/`~`/`-`, the resource, its effect), the changed attributes of a Modify indented under it
 * (`path: old → new`), then the totals and any reason it needs `--allow-destroy`.
 */
export function formatChangeSet(set: ChangeSet): string[] {
  if (set.changes.length === 0) return ['No changes: the live system runs this model.'];
  const lines: string[] = [];
  for (const c of set.changes) {
    lines.push(`${String(c.order).padStart(3)}. ${SIGN[c.action]} ${c.resourceId} (${c.action}, ${c.effect})`);
    if (c.action === 'Modify') for (const a of c.attributes) lines.push(`       ${a.path}: ${show(a.old)} → ${show(a.new)}${a.effect !== c.effect ? ` (${a.effect})` : ''}`);
  }
  const n = (a: Change['action']) => set.changes.filter((c) => c.action === a).length;
  lines.push(`Plan: ${n('Add')} to add, ${n('Modify')} to change, ${n('Remove')} to remove.`);
  for (const d of set.destructive) lines.push(`Needs --allow-destroy: ${d}`);
  return lines;
}

/** Counts of a change set by action. */
export function summarize(set: ChangeSet): { add: number; modify: number; remove: number } {
  const n = (a: Change['action']) => set.changes.filter((c) => c.action === a).length;
  return { add: n('Add'), modify: n('Modify'), remove: n('Remove') };
}

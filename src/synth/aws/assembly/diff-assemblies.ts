import type { AssemblyStack, TemplateJson } from './read-assembly.js';

/** One resource that differs between two assemblies. */
export interface ResourceChange {
  readonly stackName: string;
  readonly logicalId: string;
  /** The resource type (the new one when it changed). */
  readonly type: string;
  readonly change: 'Added' | 'Removed' | 'Changed';
  /** For `Changed`: the top-level keys that differ (`Type`, `Properties.Image`, `DependsOn`, ...). */
  readonly keys: readonly string[];
}

/** How a new assembly differs from a previous one. */
export interface AssemblyDiff {
  readonly stacksAdded: readonly string[];
  readonly stacksRemoved: readonly string[];
  /** Resource changes, by stack then logical id. */
  readonly changes: readonly ResourceChange[];
}

/** Compares two assemblies resource by resource (logical id and type). */
export function diffAssemblies(previous: readonly AssemblyStack[], next: readonly AssemblyStack[]): AssemblyDiff {
  const before = new Map(previous.map((s) => [s.stackName, s.template]));
  const after = new Map(next.map((s) => [s.stackName, s.template]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ResourceChange[] = [];
  for (const name of names) changes.push(...diffTemplates(name, before.get(name) ?? {}, after.get(name) ?? {}));
  return {
    stacksAdded: names.filter((n) => !before.has(n)),
    stacksRemoved: names.filter((n) => !after.has(n)),
    changes,
  };
}

function diffTemplates(stackName: string, a: TemplateJson, b: TemplateJson): ResourceChange[] {
  const ra = a.Resources ?? {};
  const rb = b.Resources ?? {};
  const ids = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  const changes: ResourceChange[] = [];
  for (const logicalId of ids) {
    const x = ra[logicalId];
    const y = rb[logicalId];
    if (x === undefined && y !== undefined) changes.push({ stackName, logicalId, type: y.Type, change: 'Added', keys: [] });
    else if (x !== undefined && y === undefined) changes.push({ stackName, logicalId, type: x.Type, change: 'Removed', keys: [] });
    else if (x !== undefined && y !== undefined) {
      const keys = changedKeys(x, y);
      if (keys.length > 0) changes.push({ stackName, logicalId, type: y.Type, change: 'Changed', keys });
    }
  }
  return changes;
}

function changedKeys(x: Readonly<Record<string, unknown>>, y: Readonly<Record<string, unknown>>): string[] {
  const keys: string[] = [];
  for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
    if (key === 'Metadata') continue;
    if (key === 'Properties') {
      const px = (x.Properties ?? {}) as Record<string, unknown>;
      const py = (y.Properties ?? {}) as Record<string, unknown>;
      for (const p of [...new Set([...Object.keys(px), ...Object.keys(py)])].sort()) {
        if (JSON.stringify(px[p]) !== JSON.stringify(py[p])) keys.push(`Properties.${p}`);
      }
    } else if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) keys.push(key);
  }
  return keys;
}

const SYMBOL = { Added: '+', Removed: '-', Changed: '~' } as const;

/** A readable summary: one line per stack added/removed and per resource change, and a total. */
export function formatAssemblyDiff(diff: AssemblyDiff): string {
  const lines: string[] = [];
  for (const s of diff.stacksAdded) lines.push(`+ stack ${s}`);
  for (const s of diff.stacksRemoved) lines.push(`- stack ${s}`);
  let stack: string | undefined;
  for (const c of diff.changes) {
    if (c.stackName !== stack) {
      stack = c.stackName;
      lines.push(`${stack}`);
    }
    lines.push(`  ${SYMBOL[c.change]} ${c.type} ${c.logicalId}${c.keys.length > 0 ? ` (${c.keys.join(', ')})` : ''}`);
  }
  const count = (k: ResourceChange['change']) => diff.changes.filter((c) => c.change === k).length;
  lines.push(diff.changes.length === 0 && diff.stacksAdded.length === 0 && diff.stacksRemoved.length === 0 ? 'no differences' : `${count('Added')} added, ${count('Removed')} removed, ${count('Changed')} changed`);
  return lines.join('\n');
}

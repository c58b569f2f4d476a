import type { AttributeChange, AttributeValue, Change, ChangeAction, ChangeEffect } from '../../../shared/index.js';
import type { AssemblyStack, TemplateJson } from './read-assembly.js';
import { replacementEffect } from './replacement-properties.js';
import { applyOrder, referencedIds } from './template-references.js';

/**
 * One resource change of a stack, in the shape of a `slipway plan` change: the logical id as
 * `resourceId`, the CloudFormation resource type as `type` (the new one when it changed).
 */
export interface StackChange extends Omit<Change, 'type'> {
  readonly type: string;
}

/** The change set of one stack between two assemblies. */
export interface StackChangeSet {
  readonly stackName: string;
  /** `Add` for a stack only in the new assembly, `Remove` for one only in the previous, else `Modify`. */
  readonly action: ChangeAction;
  /** In apply order: additions and modifications dependencies first, then removals dependents first. */
  readonly changes: readonly StackChange[];
}

/** How a new assembly differs from a previous one: the stacks that differ, by name. */
export interface AssemblyDiff {
  readonly stacks: readonly StackChangeSet[];
}

type Resources = NonNullable<TemplateJson['Resources']>;
type ResourceJson = Resources[string];

const RANK: Record<ChangeEffect, number> = { 'in-place': 0, rolling: 1, replacement: 2 };

/** Compares two assemblies stack by stack and resource by resource (logical id, type, properties). */
export function diffAssemblies(previous: readonly AssemblyStack[], next: readonly AssemblyStack[]): AssemblyDiff {
  const before = new Map(previous.map((s) => [s.stackName, s.template]));
  const after = new Map(next.map((s) => [s.stackName, s.template]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const stacks: StackChangeSet[] = [];
  for (const stackName of names) {
    const changes = diffTemplates(before.get(stackName) ?? {}, after.get(stackName) ?? {});
    const action: ChangeAction = !before.has(stackName) ? 'Add' : !after.has(stackName) ? 'Remove' : 'Modify';
    if (changes.length > 0 || action !== 'Modify') stacks.push({ stackName, action, changes });
  }
  return { stacks };
}

/** The resource changes between two templates, in apply order. */
export function diffTemplates(a: TemplateJson, b: TemplateJson): StackChange[] {
  const ra: Resources = a.Resources ?? {};
  const rb: Resources = b.Resources ?? {};
  const found = new Map<string, Omit<StackChange, 'order'>>();
  for (const id of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
    const x = ra[id];
    const y = rb[id];
    if (x === undefined && y !== undefined) found.set(id, whole(id, y, 'Add'));
    else if (x !== undefined && y === undefined) found.set(id, whole(id, x, 'Remove'));
    else if (x !== undefined && y !== undefined) {
      const attributes = diffValues(toValue(withoutMetadata(x)), toValue(withoutMetadata(y)), '').map((c) => ({ ...c, effect: replacementEffect(y.Type, c.path) }));
      if (attributes.length > 0) found.set(id, { resourceId: id, type: y.Type, action: 'Modify', effect: strongest(attributes), attributes });
    }
  }
  cascadeReplacements(found, rb);
  const upserts = applyOrder(rb, [...found.values()].filter((c) => c.action !== 'Remove').map((c) => c.resourceId));
  const removals = applyOrder(ra, [...found.values()].filter((c) => c.action === 'Remove').map((c) => c.resourceId)).reverse();
  return [...upserts, ...removals].map((id, i) => ({ ...found.get(id)!, order: i + 1 }));
}

/**
 * A resource replaced gets a new physical id, so every resource whose property references it changes
 * too, though its template text does not (`cdk diff`'s "may be replaced"): such a property is listed
 * with its unchanged text, and its effect is the referencing property's own.
 */
function cascadeReplacements(found: Map<string, Omit<StackChange, 'order'>>, resources: Resources): void {
  const replaced = (id: string) => found.get(id)?.effect === 'replacement' && found.get(id)?.action === 'Modify';
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, resource] of Object.entries(resources).sort(([x], [y]) => x.localeCompare(y))) {
      const current = found.get(id);
      if (current?.action === 'Add') continue;
      const props = (resource.Properties ?? {}) as Record<string, unknown>;
      for (const [property, value] of Object.entries(props).sort(([x], [y]) => x.localeCompare(y))) {
        const path = `Properties.${property}`;
        if (current?.attributes.some((c) => c.path === path || c.path.startsWith(`${path}.`))) continue;
        if (![...referencedIds(value)].some(replaced)) continue;
        const change: AttributeChange = { path, old: toValue(value), new: toValue(value), effect: replacementEffect(resource.Type, path) };
        const attributes = [...(found.get(id)?.attributes ?? []), change].sort((p, q) => p.path.localeCompare(q.path));
        found.set(id, { resourceId: id, type: resource.Type, action: 'Modify', effect: strongest(attributes), attributes });
        grew = true;
        break;
      }
    }
  }
}

function whole(id: string, resource: ResourceJson, action: 'Add' | 'Remove'): Omit<StackChange, 'order'> {
  const props = (resource.Properties ?? {}) as Record<string, unknown>;
  const attributes = Object.keys(props)
    .sort()
    .map((k): AttributeChange => {
      const value = toValue(props[k]);
      return { path: `Properties.${k}`, old: action === 'Remove' ? value : undefined, new: action === 'Add' ? value : undefined, effect: 'in-place' };
    });
  return { resourceId: id, type: resource.Type, action, effect: 'in-place', attributes };
}

function withoutMetadata(resource: ResourceJson): Record<string, unknown> {
  const { Metadata: _metadata, ...rest } = resource;
  return rest;
}

function strongest(attributes: readonly AttributeChange[]): ChangeEffect {
  return attributes.reduce<ChangeEffect>((e, c) => (RANK[c.effect] > RANK[e] ? c.effect : e), 'in-place');
}

/** Template JSON as an attribute value (templates are JSON: nothing is lost). */
function toValue(value: unknown): AttributeValue {
  return (value ?? null) as AttributeValue;
}

/**
 * The leaves that differ between two values, as dotted paths: objects by key, arrays of the same
 * length by index, anything else (and arrays whose length changed) as one value.
 */
function diffValues(a: AttributeValue | undefined, b: AttributeValue | undefined, path: string): { path: string; old: AttributeValue | undefined; new: AttributeValue | undefined }[] {
  const join = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
  if (isObject(a) && isObject(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => diffValues(a[k], b[k], join(k)));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x: AttributeValue, i) => diffValues(x, b[i] as AttributeValue, join(i)));
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [{ path, old: a, new: b }];
}

function isObject(v: AttributeValue | undefined): v is { readonly [key: string]: AttributeValue } {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

import { createHash } from 'node:crypto';
import type { AttributeChange, AttributeValue, Change, ChangeEffect, ChangeSet, Resource, ResourceType } from '../shared/index.js';

const RANK: Record<ChangeEffect, number> = { 'in-place': 0, rolling: 1, replacement: 2 };

/** The effect of changing one attribute of a resource type, by its dotted path. */
export function attributeEffect(type: ResourceType, path: string): ChangeEffect {
  const top = path.split('.')[0]!;
  switch (type) {
    case 'service':
      if (top === 'scaling') return 'in-place';
      // Moving a service on the ingress changes which listener rule serves it: open connections drop.
      if (top === 'ingressPathPrefix') return 'replacement';
      return 'rolling';
    case 'listener':
      return 'replacement';
    case 'flag':
      // What it serves changes through a flag rollout, in steps; its description changes nothing served.
      return top === 'description' ? 'in-place' : 'rolling';
    default:
      return 'in-place';
  }
}

/** The effect of adding or removing a whole resource of a type. */
function wholeEffect(type: ResourceType): ChangeEffect {
  return type === 'service' ? 'rolling' : type === 'listener' ? 'replacement' : 'in-place';
}

/** Every leaf of an attribute value as dotted path → value; arrays are compared as one value. */
function leaves(value: AttributeValue, prefix: string, out: Map<string, AttributeValue>): Map<string, AttributeValue> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, AttributeValue>);
    if (entries.length === 0 && prefix !== '') out.set(prefix, value);
    for (const [k, v] of entries) leaves(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else out.set(prefix, value);
  return out;
}

/** Canonical JSON: object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** The attribute changes between two versions of a resource, paths sorted. */
export function diffAttributes(type: ResourceType, before: Resource['attributes'] | undefined, after: Resource['attributes'] | undefined): AttributeChange[] {
  const a = leaves((before ?? {}) as AttributeValue, '', new Map());
  const b = leaves((after ?? {}) as AttributeValue, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: AttributeChange[] = [];
  for (const path of paths) {
    const o = a.get(path);
    const n = b.get(path);
    if (o !== undefined && n !== undefined && canonicalJson(o) === canonicalJson(n)) continue;
    out.push({ path, old: o, new: n, effect: attributeEffect(type, path) });
  }
  return out;
}

/** The fingerprint of a live state: a plan made against it is refused once it differs. */
export function fingerprint(resources: readonly Resource[]): string {
  const sorted = [...resources].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return createHash('sha256').update(canonicalJson(sorted)).digest('hex');
}

/**
 * Dependency order of resource ids: each after the ids it depends on (those present), ties by
 * type rank then id, so the order is the same on every run. A cycle cannot come from a valid
 * model; if one did, its members keep their tie order rather than being dropped.
 */
export function dependencyOrder(resources: ReadonlyMap<string, Resource>): string[] {
  const typeRank: Record<ResourceType, number> = { topic: 0, oncall: 1, environment: 2, listener: 3, service: 4, flag: 5, alarm: 6, pipeline: 7 };
  const ids = [...resources.keys()].sort((x, y) => typeRank[resources.get(x)!.type] - typeRank[resources.get(y)!.type] || (x < y ? -1 : x > y ? 1 : 0));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: string[] = [];
  const visit = (id: string) => {
    if (done.has(id) || visiting.has(id)) return;
    visiting.add(id);
    for (const dep of resources.get(id)?.dependsOn ?? []) if (resources.has(dep)) visit(dep);
    visiting.delete(id);
    done.add(id);
    out.push(id);
  };
  ids.forEach(visit);
  return out;
}

/**
 * The change set that takes the live state to the desired one: Adds and Modifies in dependency
 * order (topics before alarms, environments before services), then Removes in reverse
 * dependency order (an alarm before the topic it notifies). Pure.
 */
export function planChanges(desired: readonly Resource[], live: readonly Resource[]): ChangeSet {
  const want = new Map(desired.map((r) => [r.id, r]));
  const have = new Map(live.map((r) => [r.id, r]));
  const pending: Omit<Change, 'order'>[] = [];
  for (const id of dependencyOrder(want)) {
    const d = want.get(id)!;
    const l = have.get(id);
    if (!l) {
      pending.push({ resourceId: id, type: d.type, action: 'Add', effect: wholeEffect(d.type), attributes: diffAttributes(d.type, undefined, d.attributes).map((c) => ({ ...c, effect: wholeEffect(d.type) })) });
      continue;
    }
    const attrs = diffAttributes(d.type, l.attributes, d.attributes);
    if (attrs.length === 0) continue;
    const effect = attrs.reduce<ChangeEffect>((e, c) => (RANK[c.effect] > RANK[e] ? c.effect : e), 'in-place');
    pending.push({ resourceId: id, type: d.type, action: 'Modify', effect, attributes: attrs });
  }
  for (const id of dependencyOrder(have).reverse()) {
    if (want.has(id)) continue;
    const l = have.get(id)!;
    pending.push({ resourceId: id, type: l.type, action: 'Remove', effect: wholeEffect(l.type), attributes: diffAttributes(l.type, l.attributes, undefined).map((c) => ({ ...c, effect: wholeEffect(l.type) })) });
  }
  const changes = pending.map((c, i) => ({ ...c, order: i + 1 }));
  return { changes, destructive: destructiveReasons(desired, live, changes), liveFingerprint: fingerprint(live) };
}

/** Why a change set needs explicit confirmation: it removes every environment or every service, or renames a service. */
export function destructiveReasons(desired: readonly Resource[], live: readonly Resource[], changes: readonly Change[]): string[] {
  const reasons: string[] = [];
  const count = (rs: readonly Resource[], t: ResourceType) => rs.filter((r) => r.type === t).length;
  if (count(live, 'environment') > 0 && count(desired, 'environment') === 0) reasons.push('removes the last environment');
  if (count(live, 'service') > 0 && count(desired, 'service') === 0) reasons.push('removes every service');
  // A service removed and another added in the same environment reads as a rename: its tasks stop before the new ones serve.
  const byEnv = (action: 'Add' | 'Remove') => {
    const m = new Map<string, string[]>();
    for (const c of changes) {
      if (c.type !== 'service' || c.action !== action) continue;
      const [, env, name] = c.resourceId.split('/');
      m.set(env!, [...(m.get(env!) ?? []), name!]);
    }
    return m;
  };
  const added = byEnv('Add');
  for (const [env, removed] of byEnv('Remove')) {
    const news = added.get(env);
    if (news?.length) reasons.push(`in ${env}, ${removed.join(', ')} removed and ${news.join(', ')} added: a rename is a remove and an add (the old tasks stop)`);
  }
  return reasons;
}

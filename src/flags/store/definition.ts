import type { ResolvedFlag } from '../../shared/index.js';

/** The stored part of a flag (its key is a column). */
interface StoredDefinition {
  readonly defaultValue: ResolvedFlag['defaultValue'];
  readonly variants: ResolvedFlag['variants'] | null;
  readonly rules: ResolvedFlag['rules'];
  readonly description: string | null;
}

/**
 * A flag's definition as canonical JSON: object keys sorted at every level, so two equal
 * definitions give the same text whatever order they were written in (seeding compares them).
 */
export function definitionJson(flag: ResolvedFlag): string {
  const stored: StoredDefinition = { defaultValue: flag.defaultValue, variants: flag.variants ?? null, rules: flag.rules, description: flag.description ?? null };
  return JSON.stringify(sortKeys(stored));
}

/** The flag a stored definition describes. */
export function parseDefinition(key: string, json: string): ResolvedFlag {
  const d = JSON.parse(json) as StoredDefinition;
  return { key, defaultValue: d.defaultValue, variants: d.variants ?? undefined, rules: d.rules, description: d.description ?? undefined };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

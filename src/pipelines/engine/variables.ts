import { displayValue, holdsSecret, revealValue, type SecretStore } from '../secrets/index.js';
import type { PipelineVariables } from './model.js';

const REFERENCE = /#\{([A-Za-z0-9@_-]+)\.([A-Za-z0-9_.-]+)\}/g;

/** Variables by namespace with their text values, as references are replaced with. */
export type PlainVariables = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Result of {@link resolveVariables}: the value with references replaced, and the references that had no value. */
export interface VariableResolution<T> {
  readonly value: T;
  readonly missing: readonly string[];
}

/**
 * Replaces CodePipeline-style references `#{<namespace>.<name>}` in every string of a
 * configuration value (objects and arrays walked), e.g. `#{SourceVariables.CommitId}` or
 * `#{build.IMAGE_TAG}`. Unknown references are listed in `missing` and left as written.
 */
export function resolveVariables<T>(value: T, variables: PlainVariables): VariableResolution<T> {
  const missing = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(REFERENCE, (whole, ns: string, name: string) => {
        const found = variables[ns]?.[name];
        if (found === undefined) {
          missing.add(`${ns}.${name}`);
          return whole;
        }
        return found;
      });
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value) as T, missing: [...missing].sort() };
}

/** The variables as they may be shown and stored: a variable holding a secret reads `***` where the secret is. */
export function displayVariables(variables: PipelineVariables): PlainVariables {
  return Object.fromEntries(Object.entries(variables).map(([ns, vars]) => [ns, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, displayValue(v)]))]));
}

/** Result of {@link revealVariables}. */
export interface RevealedVariables {
  /** Every variable that could be rebuilt, with its real value. */
  readonly values: PlainVariables;
  /** `<namespace>.<name>` of each variable that could not be, and why. */
  readonly unavailable: ReadonlyMap<string, string>;
}

/**
 * The variables with their real values, for an action about to run: those
 * holding secrets are rebuilt from the secret store as it is now (they are
 * stored as references). Only the ones `needed` (`<namespace>.<name>`) are
 * read from the store.
 */
export async function revealVariables(variables: PipelineVariables, store: SecretStore, needed: ReadonlySet<string>): Promise<RevealedVariables> {
  const unavailable = new Map<string, string>();
  const values: Record<string, Record<string, string>> = {};
  for (const [ns, vars] of Object.entries(variables)) {
    const out: Record<string, string> = {};
    for (const [name, kept] of Object.entries(vars)) {
      if (!holdsSecret(kept)) {
        out[name] = kept;
        continue;
      }
      if (!needed.has(`${ns}.${name}`)) continue;
      const revealed = await revealValue(kept, store);
      if (revealed.ok) out[name] = revealed.value;
      else unavailable.set(`${ns}.${name}`, revealed.reason);
    }
    values[ns] = out;
  }
  return { values, unavailable };
}

/** The `<namespace>.<name>` of every reference in a configuration value. */
export function referencedVariables(value: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(REFERENCE)) found.add(`${m[1]}.${m[2]}`);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return found;
}

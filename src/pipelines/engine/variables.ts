import type { PipelineVariables } from './model.js';

const REFERENCE = /#\{([A-Za-z0-9@_-]+)\.([A-Za-z0-9_.-]+)\}/g;

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
export function resolveVariables<T>(value: T, variables: PipelineVariables): VariableResolution<T> {
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

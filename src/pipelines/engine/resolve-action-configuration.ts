import type { ResolvedAction } from '../../shared/index.js';
import { resolveVariables, type PlainVariables, type VariableResolution } from './variables.js';

/**
 * The configuration fields a shell runs, by action type. References there become quoted
 * references to environment variables (`resolveVariables(…, { quote: 'shell' })`); every other
 * field (a deploy's environment, a buildspec path) gets the value pasted as it is.
 * A new field handed to `/bin/sh` must be listed here.
 */
export const SHELL_FIELDS: Readonly<Record<ResolvedAction['type'], readonly string[]>> = {
  invoke: ['command'],
  analyze: ['command'],
  loadtest: [],
  build: [],
  image: [],
  scan: [],
  plan: [],
  approval: [],
  deploy: [],
};

/**
 * The action types whose commands get every pipeline variable in their environment
 * (`SLIPWAY_VAR_*`): a run reads all its secret variables from the store before their
 * attempts, and only the referenced ones before any other action's.
 */
export const VARIABLE_ENV_ACTIONS: ReadonlySet<ResolvedAction['type']> = new Set(['build', 'invoke', 'analyze']);

/** Resolves the references of an action's configuration, each field as shell code or as text (see {@link SHELL_FIELDS}). */
export function resolveActionConfiguration(type: ResolvedAction['type'], configuration: Readonly<Record<string, unknown>>, variables: PlainVariables): VariableResolution<Record<string, unknown>> {
  const shell = new Set(SHELL_FIELDS[type]);
  const value: Record<string, unknown> = {};
  const missing = new Set<string>();
  const ambiguous = new Set<string>();
  for (const [key, field] of Object.entries(configuration)) {
    const r = resolveVariables(field, variables, { quote: shell.has(key) ? 'shell' : 'none' });
    value[key] = r.value;
    for (const m of r.missing) missing.add(m);
    for (const a of r.ambiguous) ambiguous.add(a);
  }
  return { value, missing: [...missing].sort(), ambiguous: [...ambiguous].sort() };
}

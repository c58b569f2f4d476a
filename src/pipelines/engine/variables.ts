import { displayValue, holdsSecret, revealValue, type SecretStore } from '../secrets/index.js';
import type { PipelineVariables } from './model.js';
import { variableEnv, variableEnvName } from './variable-env.js';

const REFERENCE = /#\{([A-Za-z0-9@_-]+)\.([A-Za-z0-9_.-]+)\}/g;
/** What changes the quoting state of POSIX shell text, and the references in it. */
const SHELL_TOKEN = /#\{([A-Za-z0-9@_-]+)\.([A-Za-z0-9_.-]+)\}|\\(?!#\{)[\s\S]?|['"]/g;

/** Variables by namespace with their text values, as references are replaced with. */
export type PlainVariables = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Result of {@link resolveVariables}: the value with references replaced, and the references that had no value. */
export interface VariableResolution<T> {
  readonly value: T;
  readonly missing: readonly string[];
  /** Shell mode: references whose environment variable another variable with a different value shares (`#{a-b.X}`, `#{a_b.X}`). */
  readonly ambiguous: readonly string[];
}

/** Options of {@link resolveVariables}. */
export interface ResolveVariablesOptions {
  /**
   * `'shell'`: the strings are shell code (an invoke `command`). A reference becomes a quoted
   * reference to the variable's environment variable (`"${SLIPWAY_VAR_SourceVariables_BranchName}"`,
   * quoted to fit where it stands: bare, inside `"…"` or inside `'…'`), never the value itself, so
   * no value can be parsed as shell syntax; the command must run with {@link variableEnv}'s
   * environment. `'none'`: the value is pasted as it is (names, messages: text no shell reads).
   * @default 'none'
   */
  readonly quote?: 'shell' | 'none';
}

/**
 * Replaces CodePipeline-style references `#{<namespace>.<name>}` in every string of a
 * configuration value (objects and arrays walked), e.g. `#{SourceVariables.CommitId}` or
 * `#{build.IMAGE_TAG}`. Unknown references are listed in `missing` and left as written.
 * Strings a shell runs must be resolved with `{ quote: 'shell' }`.
 *
 * @example resolveVariables('deploy #{SourceVariables.CommitId}', vars).value // 'deploy abc123'
 * @example resolveVariables('echo #{SourceVariables.CommitMessage}', vars, { quote: 'shell' }).value // 'echo "${SLIPWAY_VAR_SourceVariables_CommitMessage}"'
 */
export function resolveVariables<T>(value: T, variables: PlainVariables, options: ResolveVariablesOptions = {}): VariableResolution<T> {
  const missing = new Set<string>();
  const ambiguous = new Set<string>();
  const shared = options.quote === 'shell' ? variableEnv(variables).ambiguous : new Set<string>();
  const lookup = (ns: string, name: string): string | undefined => {
    const found = variables[ns]?.[name];
    if (found === undefined) missing.add(`${ns}.${name}`);
    else if (shared.has(variableEnvName(ns, name))) ambiguous.add(`${ns}.${name}`);
    return found;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return options.quote === 'shell' ? resolveShell(v, lookup) : v.replace(REFERENCE, (whole, ns: string, name: string) => lookup(ns, name) ?? whole);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value) as T, missing: [...missing].sort(), ambiguous: [...ambiguous].sort() };
}

/**
 * Shell text with each known reference replaced by its environment variable, quoted for the
 * quoting state at that point. Whatever the state is taken to be, only a parameter expansion is
 * inserted, and the shell never parses the result of one as code: a wrong guess (inside `$(…)`
 * or a here-document) can only split the value, never run it.
 */
function resolveShell(text: string, lookup: (ns: string, name: string) => string | undefined): string {
  const re = new RegExp(SHELL_TOKEN.source, 'g');
  let state: 'none' | 'single' | 'double' = 'none';
  let out = '';
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const token = m[0];
    out += text.slice(last, m.index);
    last = m.index + token.length;
    if (m[1] !== undefined && m[2] !== undefined) {
      if (lookup(m[1], m[2]) === undefined) {
        out += token;
        continue;
      }
      const ref = `\${${variableEnvName(m[1], m[2])}}`;
      out += state === 'double' ? ref : state === 'single' ? `'"${ref}"'` : `"${ref}"`;
      continue;
    }
    if (token.startsWith('\\')) {
      // Inside single quotes a backslash is an ordinary character: the next one is read again.
      if (state === 'single') {
        out += '\\';
        last = m.index + 1;
        re.lastIndex = last;
      } else out += token;
      continue;
    }
    out += token;
    if (token === "'" && state !== 'double') state = state === 'single' ? 'none' : 'single';
    else if (token === '"' && state !== 'single') state = state === 'double' ? 'none' : 'double';
  }
  return out + text.slice(last);
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

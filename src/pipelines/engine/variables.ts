import type { PipelineVariables } from './model.js';
import { variableEnv, variableEnvName } from './variable-env.js';

const REFERENCE = /#\{([A-Za-z0-9@_-]+)\.([A-Za-z0-9_.-]+)\}/g;
/** What changes the quoting state of POSIX shell text, and the references in it. */
const SHELL_TOKEN = /#\{([A-Za-z0-9@_-]+)\.([A-Za-z0-9_.-]+)\}|\\(?!#\{)[\s\S]?|['"]/g;

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
export function resolveVariables<T>(value: T, variables: PipelineVariables, options: ResolveVariablesOptions = {}): VariableResolution<T> {
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

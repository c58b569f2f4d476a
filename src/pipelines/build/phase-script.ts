/** Quotes a string for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Files the phase script writes when it ends. */
export interface PhaseScriptFiles {
  /** `env -0` of the shell at the end of the phase (NUL-separated NAME=value). */
  readonly envFile: string;
  /** `<exit code> <failed command id>`, e.g. `2 c3` or `1 f1` (a finally command). */
  readonly statusFile: string;
}

function step(id: string, command: string, rcVar: string): string {
  const q = shellQuote(command);
  return [
    `if [ "$${rcVar}" -eq 0 ]; then`,
    `  printf '[Container] Running command %s\\n' ${q}`,
    `  __slw_cur=${id}; __slw_in=1`,
    `  eval ${q}`,
    `  __slw_x=$?; __slw_in=0`,
    `  if [ "$__slw_x" -ne 0 ]; then ${rcVar}=$__slw_x; [ -z "$__slw_failed" ] && __slw_failed=${id}; fi`,
    'fi',
  ].join('\n');
}

/** Prefix of the phase script's own variables, which never carry to the next phase. */
export const SCRIPT_VARIABLE_PREFIX = '__slw_';

/**
 * The script one phase runs in: every command of the phase in one shell (so
 * `cd` and variables carry from one command to the next), each through `eval`,
 * stopping at the first failure; then the `finally` commands, even after a
 * failure or an `exit` in a command (an EXIT trap runs them). Variables are
 * assigned with `set -a` (allexport), so one set by a command — exported or
 * not — is in the environment the shell writes at the end, with the outcome,
 * for the executor to read: a later phase sees it, as in CodeBuild's one shell.
 */
export function phaseScript(commands: readonly string[], finallyCommands: readonly string[], files: PhaseScriptFiles): string {
  return [
    '__slw_rc=0; __slw_frc=0; __slw_failed=; __slw_in=0; __slw_cur=',
    'set -a',
    '__slw_finish() {',
    '  __slw_x=$?',
    '  trap - EXIT',
    '  if [ "$__slw_in" = 1 ]; then __slw_rc=$__slw_x; __slw_in=0; [ -z "$__slw_failed" ] && __slw_failed=$__slw_cur; fi',
    ...finallyCommands.map((c, i) => step(`f${i + 1}`, c, '__slw_frc')),
    '  if [ "$__slw_rc" -eq 0 ]; then __slw_rc=$__slw_frc; fi',
    `  env -0 > ${shellQuote(files.envFile)}`,
    `  printf '%s %s\\n' "$__slw_rc" "$__slw_failed" > ${shellQuote(files.statusFile)}`,
    '  exit "$__slw_rc"',
    '}',
    'trap __slw_finish EXIT',
    ...commands.map((c, i) => step(`c${i + 1}`, c, '__slw_rc')),
    'exit "$__slw_rc"',
    '',
  ].join('\n');
}

/** Parses `env -0` output, leaving out the phase script's own variables. */
export function parseEnvDump(dump: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of dump.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || entry.startsWith(SCRIPT_VARIABLE_PREFIX)) continue;
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

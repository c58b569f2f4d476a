import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exec } from '../../core/index.js';
import type { AnalysisFindingDto } from '../../shared/index.js';

/**
 * ESLint's core rules that guard against code injection and prototype tampering: the default rule
 * set of a static analysis action (no ESLint security plugin is installed with slipway, so the set
 * is made of rules ESLint itself ships).
 */
export const SECURITY_RULES: Readonly<Record<string, string>> = {
  'no-eval': 'eval() runs a string as code',
  'no-implied-eval': 'setTimeout/setInterval with a string run it as code',
  'no-new-func': 'new Function() runs a string as code',
  'no-script-url': 'javascript: URLs run their text as code',
  'no-proto': '__proto__ changes an object\'s prototype',
  'no-extend-native': 'extending built-in prototypes changes every object of that type',
  'no-global-assign': 'overwriting a global (undefined, Object) changes what every module sees',
  'no-caller': 'arguments.caller/callee reach into other functions\' frames',
  'no-prototype-builtins': 'calling hasOwnProperty on an object lets the object pick the answer',
};

/** What {@link lintForSecurity} found, or why it could not run. */
export type EslintRun = { readonly ok: true; readonly findings: AnalysisFindingDto[]; readonly skipped: readonly string[] } | { readonly ok: false; readonly message: string };

const requireHere = createRequire(import.meta.url);

function resolveOrUndefined(id: string): string | undefined {
  try {
    return requireHere.resolve(id);
  } catch {
    return undefined;
  }
}

interface EslintJson {
  readonly filePath: string;
  readonly messages: readonly { readonly ruleId: string | null; readonly severity: number; readonly message: string; readonly line?: number; readonly fatal?: boolean }[];
}

/**
 * Lints `paths` under `root` with {@link SECURITY_RULES} (as errors), in a child process so that a
 * large repository does not hold up the control plane: JavaScript always, TypeScript when
 * typescript-eslint's parser is installed. `configDir` (outside the checkout, removed by the caller)
 * holds the generated config. A file ESLint cannot parse is a `warning` (it was not analysed).
 */
export async function lintForSecurity(root: string, paths: readonly string[], configDir: string, timeoutMs: number): Promise<EslintRun> {
  const eslintPackage = resolveOrUndefined('eslint/package.json');
  if (eslintPackage === undefined) return { ok: false, message: 'ESLint is not installed with slipway: install eslint, or give the action a command that writes SARIF' };
  const bin = path.join(path.dirname(eslintPackage), 'bin', 'eslint.js');
  const tsParser = resolveOrUndefined('@typescript-eslint/parser');
  const rules = Object.fromEntries(Object.keys(SECURITY_RULES).map((r) => [r, 'error']));
  const config = [
    `export default [`,
    `  { ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/*.min.js'] },`,
    `  { files: ['**/*.{js,mjs,cjs,jsx}'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } }, linterOptions: { reportUnusedDisableDirectives: 'off' }, rules: ${JSON.stringify(rules)} },`,
    tsParser === undefined ? '' : `  { files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: (await import(${JSON.stringify(pathToFileURL(tsParser).href)})).default, parserOptions: { ecmaFeatures: { jsx: true } } }, linterOptions: { reportUnusedDisableDirectives: 'off' }, rules: ${JSON.stringify(rules)} },`,
    `];`,
  ].join('\n');
  fs.mkdirSync(configDir, { recursive: true });
  const configFile = path.join(configDir, 'eslint.config.mjs');
  fs.writeFileSync(configFile, config);
  // Inline directives are off: a file cannot switch the security rules off for itself.
  const r = await exec(process.execPath, [bin, '--config', configFile, '--format', 'json', '--no-error-on-unmatched-pattern', '--no-warn-ignored', '--no-inline-config', '--', ...paths], { cwd: root, timeoutMs });
  if (r.signal !== null) return { ok: false, message: `ESLint was killed (${r.signal}) after ${timeoutMs} ms` };
  let results: EslintJson[];
  try {
    results = JSON.parse(r.stdout) as EslintJson[];
  } catch {
    return { ok: false, message: `ESLint failed (exit ${String(r.code)}): ${r.stderr.trim().split('\n').slice(0, 3).join(' ') || 'no output'}` };
  }
  const findings: AnalysisFindingDto[] = [];
  for (const file of results) {
    const rel = path.relative(root, file.filePath).split(path.sep).join('/');
    for (const m of file.messages) {
      if (m.fatal === true || m.ruleId === null) findings.push({ rule: 'parse-error', level: 'warning', message: `not analysed: ${m.message}`, file: rel, line: m.line ?? 0 });
      else findings.push({ rule: m.ruleId, level: m.severity === 2 ? 'error' : 'warning', message: m.message, file: rel, line: m.line ?? 0 });
    }
  }
  return { ok: true, findings, skipped: tsParser === undefined ? ['TypeScript (typescript-eslint is not installed)'] : [] };
}

import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath } from '../../../shared/index.js';
import { BuildspecError, type BuildspecProblem } from './buildspec-error.js';
import { reportTypeOf, type CoverageReportFormat, type TestReportFormat } from '../reports/report-model.js';
import type { CompiledArtifacts, CompiledBuildspec, CompiledPhase, CompiledReport, SecretReference } from './compiled.js';
import { ALLOWED_KEYS, PHASE_NAMES, UNSUPPORTED_KEYS, buildspecSchema } from './schema.js';
import { lineOf } from './yaml-positions.js';

type RawBuildspec = z.output<typeof buildspecSchema>;

/**
 * Parses and validates a buildspec v0.2 into its compiled, frozen form.
 * Throws a {@link BuildspecError} naming the file, the line and the reason of
 * every problem (YAML syntax, unknown keys or phases, wrong types, version).
 *
 * @param text the YAML source
 * @param file the file name used in messages, e.g. `buildspec.yml`
 */
export function parseBuildspec(text: string, file = 'buildspec.yml'): CompiledBuildspec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new BuildspecError(
      file,
      doc.errors.map((e) => ({ line: e.linePos?.[0].line ?? lines.linePos(e.pos[0]).line, path: '', message: firstLine(e.message) })),
    );
  }
  const input: unknown = doc.toJS();
  if (input === null || input === undefined) throw new BuildspecError(file, [{ line: 1, path: '', message: 'the buildspec is empty' }]);
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new BuildspecError(file, [{ line: 1, path: '', message: 'expected a mapping with version and phases' }]);
  }
  const result = buildspecSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    const problems: BuildspecProblem[] = [];
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          problems.push({ line: lineOf(doc, lines, path, true), path: formatPath(path), message: unknownKeyMessage(issue.path, key) });
        }
        continue;
      }
      problems.push({ line: lineOf(doc, lines, issue.path), path: formatPath(issue.path), message: describe(issue) });
    }
    throw new BuildspecError(file, problems);
  }
  return compile(result.data, file, doc, lines);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}

function unknownKeyMessage(parent: readonly PropertyKey[], key: string): string {
  const unsupported = UNSUPPORTED_KEYS[key];
  if (unsupported !== undefined) return unsupported;
  const at = parent.map(String).join('.');
  const allowed = ALLOWED_KEYS[at] ?? ALLOWED_KEYS[at.replace(/\.[^.]+$/, '.*')] ?? [];
  if (at === 'phases') return `unknown phase (expected ${PHASE_NAMES.join(', ')})`;
  if (at === '') return `unknown top-level key (expected ${allowed.join(', ')})`;
  if (key === 'runtime-versions') return 'runtime-versions is only allowed in the install phase';
  return `unknown key (expected ${allowed.join(', ')})`;
}

function describe(issue: z.core.$ZodIssue): string {
  // Messages the schema wrote itself start with a lower-case letter; zod's own do not.
  if (/^[a-z]/.test(issue.message)) return issue.message;
  const input = (issue as { input?: unknown }).input;
  const got = input === undefined ? 'nothing' : input === null ? 'an empty value' : Array.isArray(input) ? 'a list' : typeof input === 'object' ? 'a mapping' : JSON.stringify(input);
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required';
      return `expected ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' || issue.expected === 'record' ? 'a mapping' : `a ${issue.expected}`}, got ${got}`;
    case 'invalid_union':
      return input === undefined ? 'is required' : `expected a string, got ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}, got ${got}`;
    case 'too_small':
      return issue.origin === 'array' ? 'must not be empty' : 'must not be empty';
    default:
      return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  }
}

function parseSecretReference(ref: string): SecretReference {
  const [secretId = '', jsonKey, versionStage, versionId] = ref.split(':');
  const opt = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);
  return { secretId, jsonKey: opt(jsonKey), versionStage: opt(versionStage), versionId: opt(versionId) };
}

function compile(raw: RawBuildspec, file: string, doc: ReturnType<typeof parseDocument>, lines: LineCounter): CompiledBuildspec {
  const ignoredKeys: string[] = [];
  if (raw['run-as'] !== undefined) ignoredKeys.push('run-as');
  if (raw.proxy !== undefined) ignoredKeys.push('proxy');
  if (raw.env?.['git-credential-helper'] !== undefined) ignoredKeys.push('env.git-credential-helper');
  if (raw.artifacts?.['enable-symlinks'] !== undefined) ignoredKeys.push('artifacts.enable-symlinks');
  if (raw.cache?.key !== undefined) ignoredKeys.push('cache.key');
  const phases: CompiledPhase[] = [];
  for (const name of PHASE_NAMES) {
    const p = raw.phases[name];
    if (p === undefined) continue;
    if (p['run-as'] !== undefined) ignoredKeys.push(`phases.${name}.run-as`);
    const runtimeVersions = name === 'install' ? (raw.phases.install?.['runtime-versions'] ?? {}) : {};
    phases.push({ name, commands: p.commands ?? [], finally: p.finally ?? [], onFailure: p['on-failure'] ?? 'ABORT', runtimeVersions });
  }
  const secretsManager: Record<string, SecretReference> = {};
  const problems: BuildspecProblem[] = [];
  if (phases.length === 0) problems.push({ line: lineOf(doc, lines, ['phases'], true), path: 'phases', message: `must have at least one phase (${PHASE_NAMES.join(', ')})` });
  for (const [name, ref] of Object.entries(raw.env?.['secrets-manager'] ?? {})) {
    const parsed = parseSecretReference(ref);
    if (parsed.secretId === '') {
      problems.push({ line: lineOf(doc, lines, ['env', 'secrets-manager', name]), path: `env.secrets-manager.${name}`, message: 'expected secret-id[:json-key[:version-stage[:version-id]]]' });
    }
    secretsManager[name] = parsed;
  }
  for (const [i, p] of (raw.cache?.paths ?? []).entries()) {
    if (p.startsWith('/') || p.split('/').includes('..')) {
      problems.push({ line: lineOf(doc, lines, ['cache', 'paths', i]), path: `cache.paths[${i}]`, message: 'slipway caches only paths inside the source directory (relative, without ..)' });
    }
  }
  const reports: CompiledReport[] = [];
  for (const [name, r] of Object.entries(raw.reports ?? {})) {
    const format = r['file-format'] ?? 'JUNITXML';
    const implied = reportTypeOf(format);
    if (r.type !== undefined && r.type !== implied) {
      problems.push({ line: lineOf(doc, lines, ['reports', name, 'type']), path: `reports.${name}.type`, message: `a ${r.type} report cannot have file-format ${format}, which is a ${implied} format` });
      continue;
    }
    const common = { name, files: r.files, baseDirectory: r['base-directory'] ?? '.', discardPaths: r['discard-paths'] ?? false };
    reports.push(implied === 'TEST' ? { ...common, type: 'TEST', fileFormat: format as TestReportFormat } : { ...common, type: 'CODE_COVERAGE', fileFormat: format as CoverageReportFormat });
  }
  if (raw.artifacts !== undefined && raw.artifacts.files === undefined && raw.artifacts['secondary-artifacts'] === undefined) {
    problems.push({ line: lineOf(doc, lines, ['artifacts'], true), path: 'artifacts.files', message: 'is required (unless artifacts has secondary-artifacts)' });
  }
  for (const [id, a] of Object.entries(raw.artifacts?.['secondary-artifacts'] ?? {})) {
    if (a['enable-symlinks'] !== undefined) ignoredKeys.push(`artifacts.secondary-artifacts.${id}.enable-symlinks`);
  }
  if (problems.length > 0) throw new BuildspecError(file, problems);
  const shell = raw.env?.shell;
  const artifactsOf = (a: NonNullable<RawBuildspec['artifacts']>, files: readonly string[]): CompiledArtifacts => ({
    files,
    name: a.name,
    baseDirectory: a['base-directory'] ?? '.',
    discardPaths: a['discard-paths'] ?? false,
    excludePaths: a['exclude-paths'] ?? [],
  });
  return deepFreeze({
    file,
    version: '0.2',
    shell: shell === 'bash' || shell === '/bin/bash' ? 'bash' : 'sh',
    variables: raw.env?.variables ?? {},
    parameterStore: raw.env?.['parameter-store'] ?? {},
    secretsManager,
    exportedVariables: raw.env?.['exported-variables'] ?? [],
    phases,
    artifacts: raw.artifacts?.files === undefined ? undefined : artifactsOf(raw.artifacts, raw.artifacts.files),
    secondaryArtifacts: Object.entries(raw.artifacts?.['secondary-artifacts'] ?? {}).map(([identifier, a]) => ({ identifier, ...artifactsOf(a, a.files) })),
    reports,
    cachePaths: raw.cache?.paths ?? [],
    ignoredKeys,
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

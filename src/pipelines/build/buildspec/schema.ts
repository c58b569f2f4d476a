import { z } from 'zod';
import { escapingGlobReason, globMatcher, isNegatedGlob } from '../glob.js';
import { COVERAGE_REPORT_FORMATS, TEST_REPORT_FORMATS, type ReportFileFormat } from '../reports/report-model.js';

/** The buildspec phases, in the order CodeBuild runs them. */
export const PHASE_NAMES = ['install', 'pre_build', 'build', 'post_build'] as const;
/** A buildspec phase. */
export type PhaseName = (typeof PHASE_NAMES)[number];

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const command = z.string().min(1);
const commands = z.array(command).min(1);
const yesNo = z.union([z.boolean(), z.enum(['yes', 'no', 'true', 'false'])]).transform((v) => v === true || v === 'yes' || v === 'true');
const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'is not a valid environment variable name' });
const stringList = z.array(z.string().min(1));

function globProblem(glob: string): string | undefined {
  const escaping = escapingGlobReason(glob);
  if (escaping !== undefined) return `glob ${JSON.stringify(glob)} ${escaping}`;
  try {
    globMatcher(isNegatedGlob(glob) ? glob.slice(1) : glob);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
/** A glob relative to its base directory that stays inside it and compiles. */
const glob = z.string().min(1).superRefine((g, ctx) => {
  const problem = globProblem(g);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});
const globList = z.array(glob);
/**
 * An artifact's `files`: a list, or one path as a scalar — CodeBuild accepts both, and AWS's own ECS
 * tutorial writes `files: imagedefinitions.json`.
 */
const artifactFiles = z.preprocess((v) => (typeof v === 'string' ? [v] : v), globList.min(1));
/** `$CODEBUILD_SRC_DIR` (as CodeBuild's examples write base directories) is the source directory. */
const SRC_DIR = /^\$(\{CODEBUILD_SRC_DIR\}|CODEBUILD_SRC_DIR(?![A-Za-z0-9_]))\/?/;
/** A base directory inside the source directory. */
const baseDirectory = z
  .string()
  .min(1)
  .transform((d) => d.replace(SRC_DIR, './'))
  .superRefine((d, ctx) => {
    if (/^\$\{?CODEBUILD_SRC_DIR_/.test(d)) ctx.addIssue({ code: 'custom', message: 'secondary sources ($CODEBUILD_SRC_DIR_<source>) are not supported by slipway' });
    else if (escapingGlobReason(d) !== undefined) ctx.addIssue({ code: 'custom', message: `base directory ${JSON.stringify(d)} is outside the source directory (it must be relative, without ..)` });
  });

/** Formats CodeBuild reads that slipway does not (yet). */
const UNREAD_FORMATS = ['NUNITXML', 'NUNIT3XML', 'TESTNGXML', 'VISUALSTUDIOTRX'];
const FORMATS: readonly string[] = [...TEST_REPORT_FORMATS, ...COVERAGE_REPORT_FORMATS];
/** `file-format`; `LCOV` is accepted for CodeBuild's `LCOVINFO`. */
const fileFormat = z.string().transform((f, ctx) => {
  const upper = f === 'LCOV' ? 'LCOVINFO' : f;
  if (FORMATS.includes(upper)) return upper as ReportFileFormat;
  ctx.addIssue({
    code: 'custom',
    message: UNREAD_FORMATS.includes(f)
      ? `file format "${f}" is not read by slipway (test reports: ${TEST_REPORT_FORMATS.join(', ')}; code coverage: ${COVERAGE_REPORT_FORMATS.join(', ')})`
      : `unknown file format ${JSON.stringify(f)} (test reports: ${TEST_REPORT_FORMATS.join(', ')}; code coverage: ${COVERAGE_REPORT_FORMATS.join(', ')})`,
  });
  return z.NEVER;
});

const phaseFields = {
  'run-as': z.string().optional(),
  'on-failure': z.enum(['ABORT', 'CONTINUE']).optional(),
  commands,
  finally: commands.optional(),
};

const ARTIFACT_IDENTIFIER = /^[A-Za-z0-9_-]{1,100}$/;
/** What `artifacts` and each of its `secondary-artifacts` share. */
const artifactFields = {
  name: z.string().min(1).optional(),
  'base-directory': baseDirectory.optional(),
  'discard-paths': yesNo.optional(),
  'exclude-paths': globList.optional(),
  'enable-symlinks': yesNo.optional(),
};

/** `phases.install` (the only phase with `runtime-versions`). */
const installPhase = z
  .strictObject({ ...phaseFields, commands: commands.optional(), 'runtime-versions': z.record(z.string(), scalar).optional() })
  // CodeBuild's images take an install phase with only runtime-versions.
  .refine((p) => p.commands !== undefined || p['runtime-versions'] !== undefined, { path: ['commands'], error: 'is required (unless the install phase has runtime-versions)' });
/** `phases.pre_build`, `phases.build`, `phases.post_build`. */
const otherPhase = z.strictObject(phaseFields);

/** The buildspec v0.2 schema, as written in YAML (keys as CodeBuild spells them). */
export const buildspecSchema = z.strictObject({
  version: z.union([z.number(), z.string()]).refine((v) => String(v) === '0.2', { error: (i) => `version ${String(i.input)} is not supported (expected 0.2)` }),
  'run-as': z.string().optional(),
  env: z
    .strictObject({
      shell: z.enum(['bash', 'sh', '/bin/sh', '/bin/bash']).optional(),
      variables: z.record(variableName, scalar).optional(),
      'parameter-store': z.record(variableName, z.string().min(1)).optional(),
      'secrets-manager': z.record(variableName, z.string().min(1)).optional(),
      'exported-variables': z.array(variableName).optional(),
      'git-credential-helper': yesNo.optional(),
    })
    .optional(),
  proxy: z.strictObject({ 'upload-artifacts': yesNo.optional(), logs: yesNo.optional() }).optional(),
  phases: z
    .strictObject({ install: installPhase.optional(), pre_build: otherPhase.optional(), build: otherPhase.optional(), post_build: otherPhase.optional() }),
  artifacts: z
    .strictObject({
      ...artifactFields,
      /** Required unless there are secondary artifacts. */
      files: artifactFiles.optional(),
      'secondary-artifacts': z.record(z.string().regex(ARTIFACT_IDENTIFIER, { error: 'is not a valid artifact identifier (letters, digits, _ and -, at most 100)' }), z.strictObject({ ...artifactFields, files: artifactFiles })).optional(),
    })
    .optional(),
  reports: z
    .record(
      z.string().min(1),
      z.strictObject({
        files: globList.min(1),
        'base-directory': baseDirectory.optional(),
        'discard-paths': yesNo.optional(),
        'file-format': fileFormat.optional(),
        /** As CodeBuild's report group type; implied by the format when left out. */
        type: z.enum(['TEST', 'CODE_COVERAGE']).optional(),
      }),
    )
    .optional(),
  cache: z.strictObject({ paths: stringList.min(1), key: z.string().optional() }).optional(),
});

/** Keys CodeBuild knows that slipway rejects instead of silently ignoring. */
export const UNSUPPORTED_KEYS: Readonly<Record<string, string>> = {
  batch: 'batch builds are not supported by slipway',
  'secondary-sources': 'secondary sources are not supported by slipway',
};

/** Allowed keys by path pattern (`*` stands for any one key), for "unknown key" messages. */
export const ALLOWED_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': ['version', 'run-as', 'env', 'proxy', 'phases', 'artifacts', 'reports', 'cache'],
  env: ['shell', 'variables', 'parameter-store', 'secrets-manager', 'exported-variables', 'git-credential-helper'],
  proxy: ['upload-artifacts', 'logs'],
  phases: PHASE_NAMES,
  'phases.install': ['run-as', 'on-failure', 'runtime-versions', 'commands', 'finally'],
  'phases.*': ['run-as', 'on-failure', 'commands', 'finally'],
  artifacts: ['files', 'name', 'base-directory', 'discard-paths', 'exclude-paths', 'enable-symlinks', 'secondary-artifacts'],
  'artifacts.secondary-artifacts.*': ['files', 'name', 'base-directory', 'discard-paths', 'exclude-paths', 'enable-symlinks'],
  'reports.*': ['files', 'base-directory', 'discard-paths', 'file-format', 'type'],
  cache: ['paths', 'key'],
};

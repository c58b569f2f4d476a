import { z } from 'zod';

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

const phaseFields = {
  'run-as': z.string().optional(),
  'on-failure': z.enum(['ABORT', 'CONTINUE']).optional(),
  commands,
  finally: commands.optional(),
};

/** `phases.install` (the only phase with `runtime-versions`). */
const installPhase = z.strictObject({ ...phaseFields, 'runtime-versions': z.record(z.string(), scalar).optional() });
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
      files: stringList.min(1),
      name: z.string().min(1).optional(),
      'base-directory': z.string().min(1).optional(),
      'discard-paths': yesNo.optional(),
      'exclude-paths': stringList.optional(),
      'enable-symlinks': yesNo.optional(),
    })
    .optional(),
  reports: z
    .record(
      z.string().min(1),
      z.strictObject({
        files: stringList.min(1),
        'base-directory': z.string().min(1).optional(),
        'discard-paths': yesNo.optional(),
        'file-format': z.literal('JUNITXML', { error: (i) => `file format ${JSON.stringify(i.input)} is not supported (slipway reads JUNITXML)` }).optional(),
      }),
    )
    .optional(),
  cache: z.strictObject({ paths: stringList.min(1), key: z.string().optional() }).optional(),
});

/** Keys CodeBuild knows that slipway rejects instead of silently ignoring. */
export const UNSUPPORTED_KEYS: Readonly<Record<string, string>> = {
  batch: 'batch builds are not supported by slipway',
  'secondary-artifacts': 'secondary artifacts are not supported by slipway',
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
  artifacts: ['files', 'name', 'base-directory', 'discard-paths', 'exclude-paths', 'enable-symlinks'],
  'reports.*': ['files', 'base-directory', 'discard-paths', 'file-format'],
  cache: ['paths', 'key'],
};

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signalProcessGroup, silentLogger } from '../../core/index.js';
import { SecretPatterns, keepValue, maskDeep, maskSecrets, type KeptValue } from '../secrets/index.js';
import { parseBuildspec, type CompiledBuildspec, type PhaseName } from './buildspec/index.js';
import { restoreCache, saveCache } from './build-cache.js';
import { collectBuildOutputs } from './collect-build-outputs.js';
import type { BuildResult, BuildStatus, PhaseResult, RunBuildOptions } from './model.js';
import { resolveSecretEnv } from './resolve-secret-env.js';
import { runPhase } from './run-phase.js';
import { checkRuntimeVersions, detectHostRuntimes } from './runtime-versions.js';

const BASE_ENV_KEYS = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ'];
/** Shell bookkeeping variables not carried from one phase to the next. */
const SHELL_OWN = new Set(['_', 'PWD', 'OLDPWD', 'SHLVL']);

function defaultBaseEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of BASE_ENV_KEYS) if (process.env[k] !== undefined) out[k] = process.env[k];
  return out;
}

/**
 * Runs a CodeBuild buildspec (v0.2) in `sourceDir`: the phases install,
 * pre_build, build and post_build in order, each in one shell; exported
 * variables carry across phases; `on-failure` and `finally` follow CodeBuild
 * (see docs/pipelines-build.md); artifacts, reports and cache are collected
 * at the end. Every output line reaches `onLogLine` with secrets masked, and
 * the result holds no secret value (exported variables holding one are
 * references into the store).
 * Never throws for a failed build: the result says what happened.
 */
export async function runBuild(options: RunBuildOptions): Promise<BuildResult> {
  const now = options.nowMs ?? Date.now;
  const logger = (options.logger ?? silentLogger).child('build');
  const startedAtMs = now();
  const sourceDir = path.resolve(options.sourceDir);
  const specFile = path.resolve(sourceDir, options.buildspecPath ?? 'buildspec.yml');
  const phases: PhaseResult[] = [];
  const result = (status: BuildStatus, extra: Partial<BuildResult> = {}): BuildResult => ({
    buildId: options.buildId,
    status,
    phases: [...phases],
    exportedVariables: {},
    artifactFiles: [],
    artifactName: undefined,
    secondaryArtifacts: [],
    reports: [],
    coverage: [],
    warnings: [],
    startedAtMs,
    durationMs: now() - startedAtMs,
    ignoredKeys: [],
    ...extra,
  });

  let spec: CompiledBuildspec;
  let text: string;
  try {
    text = fs.readFileSync(specFile, 'utf8');
  } catch {
    return result('Failed', { failureReason: `YAML_FILE_ERROR: ${path.relative(sourceDir, specFile)}: the buildspec file was not found` });
  }
  try {
    spec = parseBuildspec(text, path.relative(sourceDir, specFile));
  } catch (err) {
    return result('Failed', { failureReason: `YAML_FILE_ERROR: ${(err as Error).message}` });
  }
  for (const key of spec.ignoredKeys) logger.warn('buildspec key accepted but not acted on', { key, buildId: options.buildId });

  let secretEnv;
  try {
    secretEnv = await resolveSecretEnv(spec, options.secrets);
  } catch (err) {
    return result('Failed', { failureReason: `SECRET_ERROR: ${(err as Error).message}`, ignoredKeys: spec.ignoredKeys });
  }
  const secrets = new SecretPatterns([...secretEnv.values, ...(options.maskValues ?? [])]);

  const controller = new AbortController();
  const onStop = () => controller.abort('Stopped');
  if (options.signal?.aborted) controller.abort('Stopped');
  options.signal?.addEventListener('abort', onStop, { once: true });
  const timer = setTimeout(() => controller.abort('TimedOut'), options.timeoutMs ?? 3_600_000);
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-build-'));
  const groups: number[] = [];
  try {
    if (options.cacheDir !== undefined && spec.cachePaths.length > 0) {
      const restored = await restoreCache(options.cacheDir, sourceDir).catch((err: unknown) => {
        logger.warn('cache not restored', { err, buildId: options.buildId });
        return 0;
      });
      logger.debug('cache restored', { entries: restored, buildId: options.buildId });
    }
    let env: Record<string, string> = {
      ...(options.baseEnv ?? defaultBaseEnv()),
      ...options.projectEnv,
      ...spec.variables,
      ...secretEnv.variables,
      ...options.env,
      CODEBUILD_BUILD_ID: options.buildId,
      CODEBUILD_BUILD_NUMBER: String(options.buildNumber),
      CODEBUILD_RESOLVED_SOURCE_VERSION: options.commitSha,
      CODEBUILD_SOURCE_VERSION: options.sourceVersion ?? options.commitSha,
      CODEBUILD_SRC_DIR: sourceDir,
      CODEBUILD_INITIATOR: options.initiator ?? 'slipway',
      CODEBUILD_START_TIME: String(startedAtMs),
      CODEBUILD_BUILD_SUCCEEDING: '1',
      CODEBUILD_CI: 'true',
      ...(options.webhookHeadRef === undefined ? {} : { CODEBUILD_WEBHOOK_HEAD_REF: options.webhookHeadRef }),
    };
    const warnings: string[] = [];
    const runtimeVersions = spec.phases.find((p) => p.name === 'install')?.runtimeVersions ?? {};
    if (Object.keys(runtimeVersions).length > 0) {
      const host = options.hostRuntimes ?? (await detectHostRuntimes(Object.keys(runtimeVersions), env));
      for (const w of checkRuntimeVersions(runtimeVersions, host)) {
        warnings.push(w);
        options.onLogLine?.(`[Container] Warning: ${w}`, { phase: 'install', stream: 'stderr' });
      }
    }
    let failureReason: string | undefined;
    let killed: 'Stopped' | 'TimedOut' | undefined;
    let skipTo: PhaseName | 'end' | undefined;
    for (const phase of spec.phases) {
      if (skipTo === 'end') break;
      if (skipTo !== undefined && phase.name !== skipTo) continue;
      skipTo = undefined;
      const startedAt = now();
      options.onPhase?.({ name: phase.name, status: 'InProgress', startedAtMs: startedAt, endedAtMs: undefined, exitCode: null });
      const outcome = await runPhase({
        phase,
        shell: spec.shell,
        cwd: sourceDir,
        env,
        scratchDir,
        secrets,
        onLogLine: options.onLogLine ?? (() => {}),
        signal: controller.signal,
        killGraceMs: options.killGraceMs ?? 3000,
      });
      if (outcome.pgid !== undefined) groups.push(outcome.pgid);
      if (outcome.env) env = Object.fromEntries(Object.entries(outcome.env).filter(([k]) => !SHELL_OWN.has(k)));
      const status: PhaseResult['status'] = outcome.killedFor ?? (outcome.exitCode === 0 ? 'Succeeded' : 'Failed');
      const done: PhaseResult = { name: phase.name, status, startedAtMs: startedAt, endedAtMs: now(), exitCode: outcome.exitCode, ...(outcome.failedCommand ? { failedCommand: outcome.failedCommand } : {}) };
      phases.push(done);
      options.onPhase?.(done);
      if (outcome.killedFor) {
        killed = outcome.killedFor;
        failureReason = killed === 'TimedOut' ? `BUILD_TIMED_OUT: the build did not finish within ${options.timeoutMs ?? 3_600_000} ms` : 'BUILD_STOPPED: the build was stopped';
        break;
      }
      if (status === 'Failed') {
        failureReason ??= `COMMAND_EXECUTION_ERROR: Error while executing command: ${outcome.failedCommand ?? '(the shell)'}. Reason: exit status ${String(outcome.exitCode)}`;
        env = { ...env, CODEBUILD_BUILD_SUCCEEDING: '0' };
        // CodeBuild: a failed install or pre_build ends the build; a failed build still runs post_build.
        if (phase.onFailure === 'ABORT') skipTo = phase.name === 'build' ? 'post_build' : 'end';
      } else {
        env = { ...env, CODEBUILD_BUILD_SUCCEEDING: env.CODEBUILD_BUILD_SUCCEEDING ?? '1' };
      }
    }
    if (killed) return result(killed, { failureReason: maskSecrets(failureReason ?? killed, secrets), ignoredKeys: spec.ignoredKeys, warnings });

    const outputs = collectBuildOutputs(sourceDir, spec, options.minLineCoverage);
    failureReason ??= outputs.failureReason;
    const status: BuildStatus = failureReason === undefined ? 'Succeeded' : 'Failed';
    if (status === 'Succeeded' && options.cacheDir !== undefined && spec.cachePaths.length > 0) {
      await saveCache(options.cacheDir, sourceDir, spec.cachePaths).catch((err: unknown) => logger.warn('cache not saved', { err, buildId: options.buildId }));
    }
    const exportedVariables: Record<string, KeptValue> = {};
    for (const name of spec.exportedVariables) if (env[name] !== undefined) exportedVariables[name] = keepValue(env[name], secrets);
    return result(status, {
      exportedVariables,
      artifactFiles: outputs.artifactFiles,
      artifactName: spec.artifacts?.name,
      secondaryArtifacts: outputs.secondaryArtifacts,
      // Test names, failure messages and source paths are the build's output too.
      reports: maskDeep(outputs.reports, secrets),
      coverage: maskDeep(outputs.coverage, secrets),
      warnings,
      ignoredKeys: spec.ignoredKeys,
      ...(failureReason ? { failureReason: maskSecrets(failureReason, secrets) } : {}),
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onStop);
    // The build's container is gone in CodeBuild; here, whatever the phases left running is ended.
    for (const g of groups) signalProcessGroup(g, 'SIGKILL');
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

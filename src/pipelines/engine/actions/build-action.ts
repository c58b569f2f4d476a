import path from 'node:path';
import { prepareWorkspace, runBuild } from '../../build/index.js';
import { buildReportOutputs } from './build-report-output.js';
import { displayValue, holdsSecret } from '../../secrets/index.js';
import { variableEnv } from '../variable-env.js';
import { containerBuildEnv } from './container-build-env.js';
import { abortedOutcome, type ActionExecutor } from './action-context.js';

/**
 * A build action: `runBuild` of the buildspec in a fresh checkout of the run's
 * commit; output lines are stored masked; the artifact goes to the ArtifactStore
 * (service = the app's name, tags: commit sha, `build-<action id>`, `latest`);
 * secondary artifacts are stored each as its own artifact (service `<app>/<identifier>`);
 * exported variables become `#{<namespace>.<VAR>}` (the action's `namespace`, else its name);
 * test and coverage reports go to the output, and `minLineCoverage` gates the action. The build's environment has
 * every pipeline variable as `SLIPWAY_VAR_<namespace>_<name>` (a buildspec reads
 * `"$SLIPWAY_VAR_SourceVariables_CommitMessage"`; its commands are never rewritten).
 * In an app with container images the build has `docker` and `aws` against the local registry
 * (see {@link containerBuildEnv}); its pushes are recorded as images (`output.pushedImages`).
 * Every secret of the store is masked in the build's output; an exported variable
 * holding one is kept as a reference into the store and shown as `***` (its name
 * is listed in the output's `secretVariables`).
 */
export const executeBuild: ActionExecutor = async (ctx) => {
  const { services, run, action } = ctx;
  const buildId = `r${run.id}-a${action.id}-t${ctx.attempt}`;
  const { prefix } = await services.repo.location();
  const ws = await prepareWorkspace({ repoDir: services.repo.dir, revision: run.commitSha, workspacesDir: services.workspacesDir, buildId });
  const container = await containerBuildEnv(ctx, buildId).catch((err: unknown) => {
    ws.remove();
    throw err;
  });
  try {
    const buildspec = String(action.configuration.buildspec ?? 'buildspec.yml');
    ctx.log(`build ${buildId} of ${run.commitSha} with ${buildspec}`, 'system');
    const result = await runBuild({
      buildId: `${services.app.name}:${buildId}`,
      buildNumber: action.id,
      sourceDir: path.join(ws.dir, prefix),
      buildspecPath: buildspec,
      commitSha: run.commitSha,
      sourceVersion: run.ref ?? run.commitSha,
      initiator: `slipway-pipeline/${run.id}`,
      ...(run.trigger === 'webhook' && run.ref ? { webhookHeadRef: run.ref } : {}),
      ...(container ? { projectEnv: container.env } : {}),
      env: { ...variableEnv(run.variables).env, SLIPWAY_PIPELINE_RUN_ID: String(run.id), SLIPWAY_BRANCH: run.branch ?? '' },
      secrets: services.secrets,
      maskValues: await services.secretValues(),
      // The engine's own timer ends the attempt; this only guards against a lost signal.
      timeoutMs: ctx.remainingMs + 5_000,
      killGraceMs: 1_000,
      signal: ctx.signal,
      ...(typeof action.configuration.minLineCoverage === 'number' ? { minLineCoverage: action.configuration.minLineCoverage } : {}),
      onLogLine: (line, source) => ctx.log(line, source.stream),
      logger: services.logger,
      nowMs: () => services.clock.now(),
    });
    // Whatever reached the registry is recorded, even when a later command failed: it is there.
    const pushedImages = container?.recordPushes() ?? [];
    for (const p of pushedImages) ctx.log(`pushed ${p}`, 'system');
    const exported = Object.entries(result.exportedVariables);
    const output = {
      buildId: result.buildId,
      buildStatus: result.status,
      phases: result.phases.map((p) => ({ name: p.name, status: p.status, durationMs: (p.endedAtMs ?? p.startedAtMs) - p.startedAtMs })),
      ...buildReportOutputs(result),
      ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
      ...(pushedImages.length > 0 ? { pushedImages } : {}),
      exportedVariables: Object.fromEntries(exported.map(([k, v]) => [k, displayValue(v)])),
      secretVariables: exported.filter(([, v]) => holdsSecret(v)).map(([k]) => k),
    };
    if (result.status === 'Stopped' && ctx.signal.aborted) return { ...abortedOutcome(ctx.signal, ctx.timeoutMs), output };
    if (result.status !== 'Succeeded') return { status: 'Failed', reason: result.failureReason ?? `build ${result.status}`, output };
    // Scanned on push, as ECR does: an image with a secret in a layer fails the build, so no deploy runs it.
    const scanFailure = pushedImages.length > 0 ? await container!.scanPushes().catch((err: unknown) => `the images the build pushed could not be scanned: ${(err as Error).message}`) : undefined;
    if (scanFailure !== undefined) return { status: 'Failed', reason: scanFailure, output };
    const secondaryArtifacts = [];
    for (const s of result.secondaryArtifacts) {
      const stored = await services.artifacts.putFiles(s.files, { service: `${services.app.name}/${s.identifier}`, commitSha: run.commitSha, buildNumber: action.id });
      ctx.log(`secondary artifact ${s.identifier}: ${stored.digest} (${stored.fileCount} files, ${stored.sizeBytes} bytes)`, 'system');
      secondaryArtifacts.push({ identifier: s.identifier, name: s.name, digest: stored.digest, fileCount: stored.fileCount });
    }
    const withSecondary = secondaryArtifacts.length > 0 ? { ...output, secondaryArtifacts } : output;
    if (result.artifactFiles.length === 0) return { status: 'Succeeded', output: withSecondary, variables: result.exportedVariables };
    const artifact = await services.artifacts.putFiles(result.artifactFiles, { service: services.app.name, commitSha: run.commitSha, buildNumber: action.id });
    ctx.log(`artifact ${artifact.digest} (${artifact.fileCount} files, ${artifact.sizeBytes} bytes)`, 'system');
    return { status: 'Succeeded', output: { ...withSecondary, artifact: artifact.digest }, variables: result.exportedVariables, artifact: artifact.digest };
  } finally {
    container?.remove();
    ws.remove();
  }
};

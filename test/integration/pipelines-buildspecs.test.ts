import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoverageReportSummaryDto, PipelineActionDto, PipelineRunDto, TestReportSummaryDto } from '../../src/shared/index.js';
import { pipelineHarness, type Harness } from './pipelines-harness.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/buildspecs');

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const action = (run: PipelineRunDto, stage: string, name: string): PipelineActionDto => {
  const a = run.stages.find((s) => s.name === stage)?.actions.find((x) => x.name === name);
  if (!a) throw new Error(`no action ${stage}.${name} in run ${run.id}`);
  return a;
};

describe('buildspecs as people write them, through a pipeline', () => {
  it('reads jest-junit and cobertura, stores secondary artifacts, warns about runtime-versions and passes exported variables on', async () => {
    // GIVEN a Node project's buildspec (brace globs, a secondary artifact, nodejs: 18, IMAGE_TAG exported)
    // and a pipeline whose build action puts its variables in the BuildVariables namespace
    h = await pipelineHarness({
      copyFrom: path.join(FIXTURES, 'node-jest'),
      pipeline: {
        stages: [
          { name: 'Build', actions: [{ type: 'build', namespace: 'BuildVariables', minLineCoverage: 80 }] },
          { name: 'Smoke', actions: [{ type: 'invoke', name: 'smoke', command: 'echo "image #{BuildVariables.IMAGE_TAG}"' }] },
        ],
      },
    });
    // WHEN a run goes through it
    const run = await h.waitForEnd((await h.pipelines.run()).id, { timeoutMs: 60_000 });
    // THEN it succeeded: 80% line coverage meets minLineCoverage 80
    expect(run.reason).toBeUndefined();
    expect(run.status).toBe('Succeeded');
    const build = action(run, 'Build', 'build');
    const reports = build.output.reports as TestReportSummaryDto[];
    expect(reports).toEqual([
      {
        name: 'jest-reports', status: 'Failed', fileFormat: 'JUNITXML', tests: 6, passed: 3, failures: 2, errors: 0, skipped: 1, durationMs: 186,
        failedCases: [
          { name: 'Calculator compares a > b', className: 'Calculator compares a > b', status: 'Failed', message: 'Error: expect(received).toBe(expected) // Object.is equality' },
          { name: 'api rejects a cart with 2 > 1 coupons', className: 'api rejects a cart with 2 > 1 coupons', status: 'Failed', message: 'expected 2 > 1' },
        ],
      },
    ]);
    const coverage = build.output.coverage as CoverageReportSummaryDto[];
    expect(coverage).toEqual([
      {
        name: 'coverage-cobertura', status: 'Succeeded', fileFormat: 'COBERTURAXML',
        lines: { covered: 8, total: 10, percent: 80 }, branches: { covered: 3, total: 4, percent: 75 },
        files: [
          { path: 'src/calc.js', lines: { covered: 3, total: 4, percent: 75 }, branches: { covered: 1, total: 2, percent: 50 } },
          { path: 'src/server.js', lines: { covered: 5, total: 6, percent: 83.33 }, branches: { covered: 2, total: 2, percent: 100 } },
        ],
        filesOmitted: 0,
      },
    ]);
    expect(run.tests).toEqual({ total: 6, failures: 2, errors: 0, skipped: 1 });
    expect(run.coverage).toEqual({ lines: { covered: 8, total: 10, percent: 80 }, branches: { covered: 3, total: 4, percent: 75 } });
    // AND the primary artifact holds what the brace glob selects, the secondary one is its own artifact
    const primary = await h.request('GET', `/api/v1/artifacts/${encodeURIComponent(run.artifact!)}`);
    expect(primary.body.fileCount).toBe(2);
    const secondary = build.output.secondaryArtifacts as { identifier: string; digest: string; fileCount: number }[];
    expect(secondary).toEqual([{ identifier: 'docs', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), fileCount: 1 }]);
    expect(secondary[0]!.digest).not.toBe(run.artifact);
    const byTag = await h.request('GET', `/api/v1/artifacts/${encodeURIComponent('demo/docs:latest')}`);
    expect(byTag.body.digest).toBe(secondary[0]!.digest);
    // AND the runtime-versions mismatch is a warning line in the build log, not a failure
    const host = process.versions.node;
    const warning = `runtime-versions: nodejs 18 was asked for, but the host has nodejs ${host}, which is used`;
    const buildLog = (await h.pipelines.logs(run.id, { action: 'Build.build' })).lines.map((l) => l.line);
    if (!host.startsWith('18.')) {
      expect(buildLog).toContain(`[Container] Warning: ${warning}`);
      expect(build.output.warnings).toEqual([warning]);
    }
    // AND the exported variable reached the later action through its namespace
    expect(run.stages[0]!.actions[0]!.output.exportedVariables).toEqual({ IMAGE_TAG: `build-${run.commitSha.slice(0, 7)}` });
    const smokeLog = (await h.pipelines.logs(run.id, { action: 'Smoke.smoke' })).lines.map((l) => l.line);
    expect(smokeLog).toContain(`image build-${run.commitSha.slice(0, 7)}`);
  }, 90_000);

  it('fails the build action when line coverage is below minLineCoverage, keeping the reports', async () => {
    // GIVEN the same project with a minimum of 90%
    h = await pipelineHarness({
      copyFrom: path.join(FIXTURES, 'node-jest'),
      pipeline: { stages: [{ name: 'Build', actions: [{ type: 'build', minLineCoverage: 90 }] }, { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] }] },
    });
    // WHEN a run goes through it
    const run = await h.waitForEnd((await h.pipelines.run()).id, { timeoutMs: 60_000 });
    // THEN the action failed with the figure and the minimum, and the reports are still there
    expect(run.status).toBe('Failed');
    const build = action(run, 'Build', 'build');
    expect(build.reason).toBe('COVERAGE_BELOW_MINIMUM: line coverage of report group "coverage-cobertura" is 80% (8 of 10 lines), below the minimum of 90%');
    expect((build.output.coverage as CoverageReportSummaryDto[])[0]!.lines).toEqual({ covered: 8, total: 10, percent: 80 });
    expect((build.output.reports as TestReportSummaryDto[])[0]!.tests).toBe(6);
    expect(action(run, 'Staging', 'deploy-staging').status).not.toBe('Succeeded');
  }, 90_000);
});

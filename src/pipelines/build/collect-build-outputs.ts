import type { ArtifactFile } from '../artifacts/index.js';
import type { CompiledBuildspec } from './buildspec/index.js';
import { collectArtifactFiles, collectCoverageReport, collectTestReport } from './collect-outputs.js';
import type { CoverageReport, SecondaryArtifactFiles, TestReport } from './model.js';

/** What a build leaves for the pipeline, and the first reason it fails, if one of them does. */
export interface BuildOutputs {
  readonly artifactFiles: readonly ArtifactFile[];
  readonly secondaryArtifacts: readonly SecondaryArtifactFiles[];
  readonly reports: readonly TestReport[];
  readonly coverage: readonly CoverageReport[];
  /** `CLIENT_ERROR: …` (no matching artifact paths), `REPORT_FILE_ERROR: …`, `COVERAGE_BELOW_MINIMUM: …`. */
  readonly failureReason: string | undefined;
}

/** The coverage gate: why the coverage reports do not reach `minLineCoverage`, or undefined. */
export function coverageGateFailure(coverage: readonly CoverageReport[], minLineCoverage: number): string | undefined {
  if (coverage.length === 0) return `COVERAGE_BELOW_MINIMUM: minLineCoverage is ${minLineCoverage}%, but the buildspec has no code-coverage report`;
  for (const c of coverage) {
    const percent = c.lines.percent;
    if (percent === null) return `COVERAGE_BELOW_MINIMUM: report group "${c.name}" measured no lines${c.error ? ` (${c.error})` : ''}; minLineCoverage is ${minLineCoverage}%`;
    if (percent < minLineCoverage) return `COVERAGE_BELOW_MINIMUM: line coverage of report group "${c.name}" is ${percent}% (${c.lines.covered} of ${c.lines.total} lines), below the minimum of ${minLineCoverage}%`;
  }
  return undefined;
}

/**
 * Collects artifacts, secondary artifacts, test and coverage reports after the phases, as
 * CodeBuild's UPLOAD_ARTIFACTS does. Every output is collected even when one fails: a report
 * file that is not of its format fails the build (`REPORT_FILE_ERROR`, naming the group, the
 * file and the format) but the other reports and the artifacts are still read. A report group
 * whose globs match no file is an `Error` report, not a failed build, as in CodeBuild.
 */
export function collectBuildOutputs(sourceDir: string, spec: CompiledBuildspec, minLineCoverage: number | undefined): BuildOutputs {
  const failures: string[] = [];
  let artifactFiles: ArtifactFile[] = [];
  if (spec.artifacts) {
    try {
      artifactFiles = collectArtifactFiles(sourceDir, spec.artifacts);
    } catch (err) {
      failures.push(`CLIENT_ERROR: ${(err as Error).message}`);
    }
  }
  const secondaryArtifacts: SecondaryArtifactFiles[] = [];
  for (const a of spec.secondaryArtifacts) {
    try {
      secondaryArtifacts.push({ identifier: a.identifier, name: a.name, files: collectArtifactFiles(sourceDir, a) });
    } catch (err) {
      failures.push(`CLIENT_ERROR: secondary artifact ${a.identifier}: ${(err as Error).message}`);
    }
  }
  const reports: TestReport[] = [];
  const coverage: CoverageReport[] = [];
  for (const r of spec.reports) {
    const read = r.type === 'TEST' ? collectTestReport(sourceDir, r) : collectCoverageReport(sourceDir, r);
    if (read.type === 'TEST') reports.push(read);
    else coverage.push(read);
    if (read.status === 'Error' && read.files.length > 0) failures.push(`REPORT_FILE_ERROR: report group "${r.name}": ${read.error ?? 'a file could not be read'}`);
  }
  if (minLineCoverage !== undefined) {
    const gate = coverageGateFailure(coverage, minLineCoverage);
    if (gate !== undefined) failures.push(gate);
  }
  return { artifactFiles, secondaryArtifacts, reports, coverage, failureReason: failures[0] };
}

import type { CoverageReportSummaryDto, TestReportSummaryDto } from '../../../shared/index.js';
import type { BuildResult } from '../../build/index.js';

/** Failed cases kept per test report in an action's output. */
const MAX_FAILED_CASES = 50;
/** Source files kept per coverage report in an action's output. */
const MAX_COVERED_FILES = 2000;

/**
 * A build's test and coverage reports as a build action stores them in its output (`reports`,
 * and `coverage` when the buildspec has code-coverage reports): counts, durations, errors, the
 * first failed cases with their messages, and per-file coverage (bounded, so one output row
 * stays small).
 */
export function buildReportOutputs(result: BuildResult): { reports: TestReportSummaryDto[]; coverage?: CoverageReportSummaryDto[] } {
  const reports: TestReportSummaryDto[] = result.reports.map((r) => ({
    name: r.name,
    status: r.status,
    fileFormat: r.fileFormat,
    tests: r.tests,
    passed: r.passed,
    failures: r.failures,
    errors: r.errors,
    skipped: r.skipped,
    durationMs: r.durationMs,
    ...(r.error === undefined ? {} : { error: r.error }),
    failedCases: r.cases
      .filter((c) => c.status === 'Failed' || c.status === 'Error')
      .slice(0, MAX_FAILED_CASES)
      .map((c) => ({ name: c.name, className: c.className, status: c.status, message: c.message })),
  }));
  if (result.coverage.length === 0) return { reports };
  const coverage: CoverageReportSummaryDto[] = result.coverage.map((c) => ({
    name: c.name,
    status: c.status,
    fileFormat: c.fileFormat,
    lines: c.lines,
    branches: c.branches,
    files: c.coveredFiles.slice(0, MAX_COVERED_FILES),
    filesOmitted: Math.max(0, c.coveredFiles.length - MAX_COVERED_FILES),
    ...(c.error === undefined ? {} : { error: c.error }),
  }));
  return { reports, coverage };
}

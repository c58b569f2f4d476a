import { coverageCounts } from '../../../shared/index.js';
/** The test-report formats slipway reads (CodeBuild's `TEST` report group type). */
export const TEST_REPORT_FORMATS = ['JUNITXML', 'CUCUMBERJSON'] as const;
/** The code-coverage formats slipway reads (CodeBuild's `CODE_COVERAGE` report group type). */
export const COVERAGE_REPORT_FORMATS = ['COBERTURAXML', 'CLOVERXML', 'JACOCOXML', 'SIMPLECOV', 'LCOVINFO'] as const;
/** A test-report file format. */
export type TestReportFormat = (typeof TEST_REPORT_FORMATS)[number];
/** A code-coverage file format. */
export type CoverageReportFormat = (typeof COVERAGE_REPORT_FORMATS)[number];
/** A report file format, as a buildspec's `file-format` names it. */
export type ReportFileFormat = TestReportFormat | CoverageReportFormat;
/** A report group's type, as CodeBuild's report groups name it. */
export type ReportType = 'TEST' | 'CODE_COVERAGE';

/** The report type a file format belongs to. */
export function reportTypeOf(format: ReportFileFormat): ReportType {
  return (TEST_REPORT_FORMATS as readonly string[]).includes(format) ? 'TEST' : 'CODE_COVERAGE';
}

/** One test case of a report. */
export interface TestCaseResult {
  readonly name: string;
  /** JUnit's `classname`; for Cucumber, the feature's name. */
  readonly className: string | undefined;
  readonly status: 'Succeeded' | 'Failed' | 'Error' | 'Skipped';
  readonly durationMs: number;
  /** The failure or error message, if any. */
  readonly message: string | undefined;
}

/** Counts of one test-report file (or several, summed). */
export interface TestReportCounts {
  readonly tests: number;
  /** Tests neither failed, errored nor skipped. */
  readonly passed: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  readonly durationMs: number;
  readonly cases: readonly TestCaseResult[];
}

/** Covered and total of one measure (lines or branches). */
export interface CoverageCounts {
  readonly covered: number;
  readonly total: number;
  /** `covered / total` in percent, rounded to 2 decimals; null when there is nothing to cover. */
  readonly percent: number | null;
}

/** Coverage of one source file. */
export interface FileCoverage {
  /** As the report names it; relative to the source directory when the report gives an absolute path inside it. */
  readonly path: string;
  readonly lines: CoverageCounts;
  readonly branches: CoverageCounts;
}

/** Coverage of one report file (or several, summed). */
export interface CoverageSummary {
  readonly lines: CoverageCounts;
  readonly branches: CoverageCounts;
  /** Per source file, sorted by path. */
  readonly files: readonly FileCoverage[];
}

/** Counts with their percentage: the one definition the API sums with too. */
export { coverageCounts };

/** A summary from per-file figures: totals are the sums, files sorted by path (one file listed twice is merged). */
export function summarizeCoverage(files: readonly { path: string; lines: { covered: number; total: number }; branches: { covered: number; total: number } }[]): CoverageSummary {
  const byPath = new Map<string, { lc: number; lt: number; bc: number; bt: number }>();
  for (const f of files) {
    const s = byPath.get(f.path) ?? { lc: 0, lt: 0, bc: 0, bt: 0 };
    byPath.set(f.path, { lc: s.lc + f.lines.covered, lt: s.lt + f.lines.total, bc: s.bc + f.branches.covered, bt: s.bt + f.branches.total });
  }
  const out = [...byPath.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, s]) => ({ path, lines: coverageCounts(s.lc, s.lt), branches: coverageCounts(s.bc, s.bt) }));
  const sum = (pick: (f: FileCoverage) => CoverageCounts) => coverageCounts(out.reduce((n, f) => n + pick(f).covered, 0), out.reduce((n, f) => n + pick(f).total, 0));
  return { lines: sum((f) => f.lines), branches: sum((f) => f.branches), files: out };
}

/** A report file that is not what its `file-format` says; the message names what was wrong (the caller adds the file). */
export class ReportFormatError extends Error {
  override readonly name = 'ReportFormatError';
}

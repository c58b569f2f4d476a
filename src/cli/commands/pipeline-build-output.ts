import type { CoverageCountsDto, CoverageReportSummaryDto, TestReportSummaryDto } from '../../shared/index.js';

/** Failed cases shown per test report; the rest are in `--json`. */
const SHOWN_FAILURES = 5;

const pct = (c: CoverageCountsDto) => (c.percent === null ? 'n/a' : `${c.percent}% (${c.covered}/${c.total})`);
const seconds = (ms: number | undefined) => (ms === undefined ? '' : ` in ${(ms / 1000).toFixed(1)}s`);

/**
 * The lines `slipway pipeline show` prints under a build action: each test report (counts,
 * the first failed cases with their messages), each coverage report (lines and branches),
 * the secondary artifacts and the build's warnings.
 */
export function renderBuildOutput(output: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  for (const r of (output.reports as TestReportSummaryDto[] | undefined) ?? []) {
    const passed = r.passed ?? r.tests - r.failures - r.errors - r.skipped;
    lines.push(`tests ${r.name}: ${r.status}, ${r.tests} tests, ${passed} passed, ${r.failures} failed, ${r.errors} errors, ${r.skipped} skipped${seconds(r.durationMs)}`);
    if (r.error) lines.push(`  ${r.error}`);
    for (const c of (r.failedCases ?? []).slice(0, SHOWN_FAILURES)) lines.push(`  ✖ ${c.className ? `${c.className} › ` : ''}${c.name}${c.message ? `: ${c.message}` : ''}`);
    const more = (r.failedCases?.length ?? 0) - SHOWN_FAILURES;
    if (more > 0) lines.push(`  … ${more} more (--json)`);
  }
  for (const c of (output.coverage as CoverageReportSummaryDto[] | undefined) ?? []) {
    lines.push(`coverage ${c.name} (${c.fileFormat}): lines ${pct(c.lines)}, branches ${pct(c.branches)}, ${c.files.length + c.filesOmitted} files`);
    if (c.error) lines.push(`  ${c.error}`);
  }
  for (const a of (output.secondaryArtifacts as { identifier: string; digest: string; fileCount: number }[] | undefined) ?? []) {
    lines.push(`artifact ${a.identifier} ${a.digest} (${a.fileCount} files)`);
  }
  for (const w of (output.warnings as string[] | undefined) ?? []) lines.push(`warning ${w}`);
  return lines;
}

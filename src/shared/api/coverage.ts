import type { CoverageCountsDto } from './pipelines.js';

/** Covered and total with their percentage (two decimals; null when there is nothing to cover). */
export function coverageCounts(covered: number, total: number): CoverageCountsDto {
  return { covered, total, percent: total === 0 ? null : Math.round((covered / total) * 10_000) / 100 };
}

/**
 * Lines and branches summed over coverage reports (an action's, or every build action's of a
 * run); undefined when there is none. The API and the dashboard sum with this one function.
 */
export function sumCoverage(reports: readonly { readonly lines: CoverageCountsDto; readonly branches: CoverageCountsDto }[]): { lines: CoverageCountsDto; branches: CoverageCountsDto } | undefined {
  if (reports.length === 0) return undefined;
  const sum = (pick: (r: (typeof reports)[number]) => CoverageCountsDto) => coverageCounts(reports.reduce((n, r) => n + pick(r).covered, 0), reports.reduce((n, r) => n + pick(r).total, 0));
  return { lines: sum((r) => r.lines), branches: sum((r) => r.branches) };
}

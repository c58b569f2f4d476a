import { parseCloverXml } from './parse-clover.js';
import { parseCoberturaXml } from './parse-cobertura.js';
import { parseCucumberJson } from './parse-cucumber.js';
import { parseJacocoXml } from './parse-jacoco.js';
import { parseJunitXml } from './parse-junit.js';
import { parseLcov } from './parse-lcov.js';
import { parseSimplecov } from './parse-simplecov.js';
import type { CoverageReportFormat, CoverageSummary, TestReportCounts, TestReportFormat } from './report-model.js';

const TEST_READERS: Readonly<Record<TestReportFormat, (text: string) => TestReportCounts>> = {
  JUNITXML: parseJunitXml,
  CUCUMBERJSON: parseCucumberJson,
};

const COVERAGE_READERS: Readonly<Record<CoverageReportFormat, (text: string) => CoverageSummary>> = {
  COBERTURAXML: parseCoberturaXml,
  CLOVERXML: parseCloverXml,
  JACOCOXML: parseJacocoXml,
  SIMPLECOV: parseSimplecov,
  LCOVINFO: parseLcov,
};

/** Reads one test-report file of `format`; throws `ReportFormatError` when it is not one. */
export function readTestReport(format: TestReportFormat, text: string): TestReportCounts {
  return TEST_READERS[format](text);
}

/** Reads one code-coverage file of `format`; throws `ReportFormatError` when it is not one. */
export function readCoverageReport(format: CoverageReportFormat, text: string): CoverageSummary {
  return COVERAGE_READERS[format](text);
}

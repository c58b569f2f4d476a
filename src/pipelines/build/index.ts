export { runBuild } from './run-build.js';
export { prepareWorkspace, type PrepareWorkspaceOptions, type Workspace } from './workspace.js';
export { globMatcher, matchFiles, type GlobMatcher } from './glob.js';
export { parseJunitXml } from './reports/parse-junit.js';
export { readCoverageReport, readTestReport } from './reports/read-report.js';
export {
  TEST_REPORT_FORMATS,
  COVERAGE_REPORT_FORMATS,
  ReportFormatError,
  type TestCaseResult,
  type TestReportCounts,
  type CoverageCounts,
  type CoverageSummary,
  type FileCoverage,
  type ReportFileFormat,
  type TestReportFormat,
  type CoverageReportFormat,
  type ReportType,
} from './reports/report-model.js';
export { checkRuntimeVersions, detectHostRuntimes, KNOWN_RUNTIMES } from './runtime-versions.js';
export {
  parseBuildspec,
  BuildspecError,
  formatProblem,
  PHASE_NAMES,
  type BuildspecProblem,
  type PhaseName,
  type CompiledBuildspec,
  type CompiledPhase,
  type CompiledArtifacts,
  type CompiledReport,
  type CompiledTestReport,
  type CompiledCoverageReport,
  type CompiledSecondaryArtifact,
  type SecretReference,
} from './buildspec/index.js';
export type { RunBuildOptions, BuildResult, BuildStatus, PhaseResult, PhaseStatus, TestReport, CoverageReport, SecondaryArtifactFiles, HostRuntimes, LogLineSource } from './model.js';

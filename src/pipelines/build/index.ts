export { runBuild } from './run-build.js';
export { prepareWorkspace, type PrepareWorkspaceOptions, type Workspace } from './workspace.js';
export { globMatcher, matchFiles, type GlobMatcher } from './glob.js';
export { parseJunitXml, type TestCaseResult, type TestReportCounts } from './reports/parse-junit.js';
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
  type SecretReference,
} from './buildspec/index.js';
export type { RunBuildOptions, BuildResult, BuildStatus, PhaseResult, PhaseStatus, TestReport, LogLineSource } from './model.js';

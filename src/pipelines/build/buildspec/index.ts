export { parseBuildspec } from './parse-buildspec.js';
export { BuildspecError, formatProblem, type BuildspecProblem } from './buildspec-error.js';
export { PHASE_NAMES, type PhaseName } from './schema.js';
export type { CompiledBuildspec, CompiledPhase, CompiledArtifacts, CompiledSecondaryArtifact, CompiledReport, CompiledTestReport, CompiledCoverageReport, SecretReference } from './compiled.js';

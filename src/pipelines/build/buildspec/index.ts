export { parseBuildspec } from './parse-buildspec.js';
export { BuildspecError, formatProblem, type BuildspecProblem } from './buildspec-error.js';
export { PHASE_NAMES, type PhaseName } from './schema.js';
export type { CompiledBuildspec, CompiledPhase, CompiledArtifacts, CompiledReport, SecretReference } from './compiled.js';

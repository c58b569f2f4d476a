// Pipelines: the build and artifact layers (buildspec executor, workspaces, secret masking,
// content-addressed artifacts, scanning). The run engine, triggers and approvals build on these.
import type { Migration } from '../core/index.js';
import { artifactMigrations } from './artifacts/index.js';
import { secretMigrations } from './secrets/index.js';
import { runMigrations } from './engine/migrations.js';

export {
  runBuild,
  prepareWorkspace,
  parseBuildspec,
  BuildspecError,
  formatProblem,
  parseJunitXml,
  globMatcher,
  matchFiles,
  PHASE_NAMES,
  type RunBuildOptions,
  type BuildResult,
  type BuildStatus,
  type PhaseResult,
  type PhaseStatus,
  type TestReport,
  type TestCaseResult,
  type TestReportCounts,
  type LogLineSource,
  type PrepareWorkspaceOptions,
  type Workspace,
  type BuildspecProblem,
  type PhaseName,
  type CompiledBuildspec,
  type CompiledPhase,
  type CompiledArtifacts,
  type CompiledReport,
  type SecretReference,
} from './build/index.js';
export {
  ArtifactStore,
  planLifecycle,
  artifactMigrations,
  extractTarGz,
  writeTarGz,
  DIGEST_PATTERN,
  TAG_PATTERN,
  type ArtifactStoreOptions,
  type Artifact,
  type ArtifactMeta,
  type ArtifactFile,
  type ArtifactFilter,
  type LifecyclePolicy,
  type LifecycleArtifact,
  type LifecyclePlan,
  type TarInputEntry,
  type WrittenArchive,
} from './artifacts/index.js';
export {
  StreamMasker,
  MaskedLineSplitter,
  maskSecrets,
  maskDeep,
  SecretPatterns,
  encodeSecret,
  secretForms,
  keepValue,
  displayValue,
  revealValue,
  listKnownSecrets,
  SECRET_ENCODINGS,
  MIN_ENCODED_SECRET_CHARS,
  MIN_ENCODED_PATTERN_CHARS,
  LINE_BREAK_WINDOW_FACTOR,
  staticSecretStore,
  SqliteSecretStore,
  secretMigrations,
  MASK,
  SECRET_NAME_PATTERN,
  type SecretStore,
  type ManagedSecretStore,
  type SqliteSecretStoreOptions,
  type SecretVersionInfo,
  type MaskedLineSplitterOptions,
  type KnownSecret,
  type SecretRef,
  type SecretInput,
  type SecretEncoding,
  type KeptValue,
  type SecretTemplate,
  type SecretPart,
  type MaskedValue,
} from './secrets/index.js';
export {
  runScan,
  scanSecrets,
  secretScanner,
  scanImageArchive,
  cycloneDx,
  purlOf,
  runNpmAudit,
  DEFAULT_SECRET_RULES,
  shannonEntropyBits,
  SEVERITIES,
  type RunScanOptions,
  type ScanResult,
  type ScanSecretsOptions,
  type NpmAuditOptions,
  type AuditResult,
  type AuditVulnerability,
  type Severity,
  type SecretRule,
  type SecretFinding,
  type SecretScanner,
  type ImageScan,
  type ImageLayer,
  type ImagePackage,
  type LayerSecretFinding,
  type ScanImageOptions,
  type CycloneDxBom,
} from './scan/index.js';

/** The pipelines context's migrations, in order, for the composition root to apply. */
export const pipelineMigrations: readonly Migration[] = [...secretMigrations, ...artifactMigrations, ...runMigrations];

// The run engine, triggers, approvals and the facade the composition root wires.
export { createPipelines, GITHUB_WEBHOOK_SECRET_NAME, type Pipelines, type PipelinesOptions, type PipelineLogsQuery } from './pipelines.js';
export type { Deployer, DeployRequest, DeployResult, AlarmStates, Ingresses, Planner, PlanRequest, PlanResult } from './engine/ports.js';
export { decideAdmission, type Admission, type ExecutionMode, type GatePosition } from './engine/admission.js';
export { resolveVariables, type VariableResolution, type PlainVariables } from './engine/variables.js';
export { planStages, HOTFIX_APPROVAL_STAGE } from './triggers/plan-stages.js';
export { parseRef, refMatchesTrigger, type SourceRef } from './triggers/ref-filter.js';
export { signGithubPayload, verifyGithubSignature } from './triggers/webhook-signature.js';
export type { RunFilter } from './engine/run-store.js';

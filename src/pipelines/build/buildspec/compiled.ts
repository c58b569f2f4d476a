import type { CoverageReportFormat, TestReportFormat } from '../reports/report-model.js';
import type { PhaseName } from './schema.js';

/** One phase of a compiled buildspec. */
export interface CompiledPhase {
  readonly name: PhaseName;
  readonly commands: readonly string[];
  /** Commands run after `commands`, even when one of them failed. */
  readonly finally: readonly string[];
  /** ABORT: a failure ends the build (see docs for which phases still run); CONTINUE: go on. @default 'ABORT' */
  readonly onFailure: 'ABORT' | 'CONTINUE';
  /** `runtime-versions` of the install phase: checked against the host's tools (a mismatch is a warning in the build log; the host's tools are used). */
  readonly runtimeVersions: Readonly<Record<string, string>>;
}

/** A `secrets-manager` reference: `secret-id[:json-key[:version-stage[:version-id]]]`. */
export interface SecretReference {
  readonly secretId: string;
  /** When set, the secret is a JSON object and the variable takes this key's value. */
  readonly jsonKey: string | undefined;
  /** Accepted and ignored: slipway keeps one version per secret. */
  readonly versionStage: string | undefined;
  /** Accepted and ignored. */
  readonly versionId: string | undefined;
}

/** `artifacts` (or one of `secondary-artifacts`) of a compiled buildspec. */
export interface CompiledArtifacts {
  /** Globs relative to `baseDirectory`; a `!` pattern excludes. */
  readonly files: readonly string[];
  readonly name: string | undefined;
  /** Relative to the source directory. @default '.' */
  readonly baseDirectory: string;
  readonly discardPaths: boolean;
  readonly excludePaths: readonly string[];
}

/** One secondary artifact: its identifier (the key under `secondary-artifacts`) and what it selects. */
export interface CompiledSecondaryArtifact extends CompiledArtifacts {
  /** The `artifactIdentifier`, e.g. `web`. */
  readonly identifier: string;
}

/** One report group of a compiled buildspec: a test report or a code-coverage report. */
export type CompiledReport = CompiledTestReport | CompiledCoverageReport;

interface CompiledReportBase {
  readonly name: string;
  readonly files: readonly string[];
  readonly baseDirectory: string;
  readonly discardPaths: boolean;
}

/** A test report group (`JUNITXML`, `CUCUMBERJSON`). */
export interface CompiledTestReport extends CompiledReportBase {
  readonly type: 'TEST';
  /** @default 'JUNITXML' */
  readonly fileFormat: TestReportFormat;
}

/** A code-coverage report group (`COBERTURAXML`, `CLOVERXML`, `JACOCOXML`, `SIMPLECOV`, `LCOVINFO`). */
export interface CompiledCoverageReport extends CompiledReportBase {
  readonly type: 'CODE_COVERAGE';
  readonly fileFormat: CoverageReportFormat;
}

/** A validated buildspec, frozen; what the executor runs. */
export interface CompiledBuildspec {
  /** The file it came from, for messages. */
  readonly file: string;
  readonly version: '0.2';
  /** @default 'sh' */
  readonly shell: 'bash' | 'sh';
  readonly variables: Readonly<Record<string, string>>;
  readonly parameterStore: Readonly<Record<string, string>>;
  readonly secretsManager: Readonly<Record<string, SecretReference>>;
  readonly exportedVariables: readonly string[];
  /** The phases present, in CodeBuild's order. */
  readonly phases: readonly CompiledPhase[];
  readonly artifacts: CompiledArtifacts | undefined;
  /** `secondary-artifacts`, in the order written; each is stored as its own artifact. */
  readonly secondaryArtifacts: readonly CompiledSecondaryArtifact[];
  readonly reports: readonly CompiledReport[];
  /** `cache.paths`, relative to the source directory. */
  readonly cachePaths: readonly string[];
  /** Keys accepted for compatibility but not acted on (e.g. `run-as`), as dotted paths. */
  readonly ignoredKeys: readonly string[];
}

import type { Logger } from '../../core/index.js';
import type { KeptValue, SecretInput, SecretStore } from '../secrets/index.js';
import type { ArtifactFile } from '../artifacts/index.js';
import type { PhaseName } from './buildspec/index.js';
import type { CoverageCounts, CoverageReportFormat, FileCoverage, TestReportCounts, TestReportFormat } from './reports/report-model.js';

/** State of a build or one of its phases. */
export type BuildStatus = 'Succeeded' | 'Failed' | 'Stopped' | 'TimedOut';
/** State of a phase, including while it runs. */
export type PhaseStatus = 'InProgress' | BuildStatus;

/** Where a log line came from. */
export interface LogLineSource {
  readonly phase: PhaseName;
  readonly stream: 'stdout' | 'stderr';
}

/** Options of `runBuild`. */
export interface RunBuildOptions {
  /** Unique id of the build (`CODEBUILD_BUILD_ID`). */
  readonly buildId: string;
  /** Sequential number of the build (`CODEBUILD_BUILD_NUMBER`). */
  readonly buildNumber: number;
  /** The workspace: a clean checkout of `commitSha` (see `prepareWorkspace`). Builds write into it. */
  readonly sourceDir: string;
  /** The buildspec, relative to `sourceDir` (or absolute). @default 'buildspec.yml' */
  readonly buildspecPath?: string;
  /** The resolved commit (`CODEBUILD_RESOLVED_SOURCE_VERSION`). */
  readonly commitSha: string;
  /** What was asked for: a branch, tag or sha (`CODEBUILD_SOURCE_VERSION`). @default commitSha */
  readonly sourceVersion?: string;
  /** Who started the build (`CODEBUILD_INITIATOR`). @default 'slipway' */
  readonly initiator?: string;
  /** The pushed ref for webhook builds (`CODEBUILD_WEBHOOK_HEAD_REF`). @default unset */
  readonly webhookHeadRef?: string;
  /** Extra variables; they override the buildspec's `env.variables` (as start-build overrides do). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The project's environment variables (as a CodeBuild project's `environmentVariables`): the
   * buildspec's `env.variables` override them, and they override the base environment (PATH included).
   * @default {}
   */
  readonly projectEnv?: Readonly<Record<string, string>>;
  /**
   * The environment the build starts from. Not the control plane's whole
   * environment, so its own secrets (tokens) never reach a build.
   * @default PATH, HOME, USER, LANG, LC_ALL, TMPDIR, TZ of this process
   */
  readonly baseEnv?: Readonly<Record<string, string>>;
  /** Resolves `env.secrets-manager` and `env.parameter-store` names. */
  readonly secrets: SecretStore;
  /**
   * Extra values to mask in logs and results, besides the resolved secrets;
   * with their reference into the store when known, so an exported variable
   * holding one is kept as a reference (see `BuildResult.exportedVariables`).
   * @default []
   */
  readonly maskValues?: readonly SecretInput[];
  /** Where `cache.paths` are kept between builds (one per service/project). @default no cache */
  readonly cacheDir?: string;
  /** The build is stopped (status TimedOut) after this long. @default 3_600_000 */
  readonly timeoutMs?: number;
  /** Between SIGTERM and SIGKILL to the process group when stopping. @default 3000 */
  readonly killGraceMs?: number;
  /** Receives every output line, secrets (in every form the masker knows) already masked. */
  readonly onLogLine?: (line: string, source: LogLineSource) => void;
  /** Called when a phase starts (status InProgress) and when it ends. */
  readonly onPhase?: (phase: PhaseResult) => void;
  /** Aborting stops the build (status Stopped). */
  readonly signal?: AbortSignal;
  /**
   * The build fails (`COVERAGE_BELOW_MINIMUM`) when the line coverage of a code-coverage report
   * group is below this percentage, or when the buildspec has no such report. @default no minimum
   */
  readonly minLineCoverage?: number;
  /**
   * The host's runtimes, which `runtime-versions` are checked against.
   * @default detected: Node.js from this process, the others by asking their tools
   */
  readonly hostRuntimes?: HostRuntimes;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default Date.now */
  readonly nowMs?: () => number;
}

/** One phase of a build. */
export interface PhaseResult {
  readonly name: PhaseName;
  readonly status: PhaseStatus;
  readonly startedAtMs: number;
  /** undefined while running. */
  readonly endedAtMs: number | undefined;
  /** The shell's exit code; null while running or when it was killed. */
  readonly exitCode: number | null;
  /** The command that failed, if any. */
  readonly failedCommand?: string;
}

/** The version of each runtime on the host, by CodeBuild's runtime name (`nodejs`, `python`, `java`, ...); undefined when it is not installed. */
export type HostRuntimes = Readonly<Record<string, string | undefined>>;

/** A test report group's result. */
export interface TestReport extends TestReportCounts {
  readonly name: string;
  readonly type: 'TEST';
  readonly fileFormat: TestReportFormat;
  /** Succeeded when no test failed or errored; Failed otherwise; Error when a file could not be read. */
  readonly status: 'Succeeded' | 'Failed' | 'Error';
  readonly files: readonly string[];
  /** Why a file could not be read. */
  readonly error?: string;
}

/** A code-coverage report group's result. */
export interface CoverageReport {
  readonly name: string;
  readonly type: 'CODE_COVERAGE';
  readonly fileFormat: CoverageReportFormat;
  /** Succeeded when every file was read; Error otherwise (see `error`). */
  readonly status: 'Succeeded' | 'Error';
  /** The report files read, relative to the report's base directory. */
  readonly files: readonly string[];
  readonly lines: CoverageCounts;
  readonly branches: CoverageCounts;
  /** Per source file, sorted by path. */
  readonly coveredFiles: readonly FileCoverage[];
  /** Why a file could not be read. */
  readonly error?: string;
}

/** One secondary artifact's files. */
export interface SecondaryArtifactFiles {
  /** The identifier under `secondary-artifacts`. */
  readonly identifier: string;
  /** Its `name`, if given. */
  readonly name: string | undefined;
  readonly files: readonly ArtifactFile[];
}

/** What `runBuild` returns; a failed build is a result, not an exception. */
export interface BuildResult {
  readonly buildId: string;
  readonly status: BuildStatus;
  readonly phases: readonly PhaseResult[];
  /**
   * `env.exported-variables` with their values at the end of the build (unset
   * ones left out). A value holding a secret is never returned as text: it is
   * a template of literal text and references into the secret store, or only
   * its masked text when no reference can rebuild it (see `keepValue`).
   */
  readonly exportedVariables: Readonly<Record<string, KeptValue>>;
  /** Files matched by `artifacts`, with their path inside the artifact. */
  readonly artifactFiles: readonly ArtifactFile[];
  /** `artifacts.name`, if given. */
  readonly artifactName: string | undefined;
  /** `artifacts.secondary-artifacts`, in the order written; each becomes an artifact of its own. */
  readonly secondaryArtifacts: readonly SecondaryArtifactFiles[];
  /** Test reports, their names, messages and errors with secrets masked. */
  readonly reports: readonly TestReport[];
  /** Code-coverage reports, secrets masked. */
  readonly coverage: readonly CoverageReport[];
  /** Warnings also written to the build log (e.g. a runtime version the host does not have). */
  readonly warnings: readonly string[];
  readonly startedAtMs: number;
  readonly durationMs: number;
  /** Why it did not succeed, e.g. `COMMAND_EXECUTION_ERROR: ...` or a buildspec error with file and line; secrets masked. */
  readonly failureReason?: string;
  /** Buildspec keys accepted but not acted on. */
  readonly ignoredKeys: readonly string[];
}

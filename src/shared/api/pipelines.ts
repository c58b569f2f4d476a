import { z } from 'zod';
import type { ACTION_TYPES } from '../app-model/schema/pipeline.js';

/** The states of a run, a stage and an action, as the API, the database and the CLI spell them. */
export const PIPELINE_STATUSES = ['Pending', 'InProgress', 'Waiting', 'Succeeded', 'Failed', 'Stopped', 'Superseded', 'Skipped'] as const;
/** A run, stage or action state. `Waiting`: an approval waits for a decision. `Skipped`: a stage condition skipped it. */
export type PipelineStatus = (typeof PIPELINE_STATUSES)[number];

const revision = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/@^~-]{0,199}$/, 'must be a commit sha, a branch or a tag');

/** Body of `POST /api/v1/pipeline/runs`. */
export const startPipelineRunBodySchema = z.strictObject({
  /** A commit sha, branch or tag. @default the head of `branch` */
  revision: revision.optional(),
  /** The branch the run is for (stage selection and `#{SourceVariables.BranchName}`). @default the first trigger branch without wildcards, else "main" */
  branch: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/, 'must be a branch name').optional(),
});

/** Path parameters naming a run. */
export const pipelineRunParamsSchema = z.strictObject({
  id: z.coerce.number().int().min(1),
});

/** Query string of `GET /api/v1/pipeline/runs`. */
export const pipelineRunsQuerySchema = z.strictObject({
  /** Only runs in this state. */
  status: z.enum(PIPELINE_STATUSES).optional(),
  /** Only runs with an id below this (paging, newest first). */
  before: z.coerce.number().int().min(1).optional(),
  /** Page size. @default 50 */
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** Body of `POST /api/v1/pipeline/runs/:id/approve` and `.../reject`. */
export const approvalBodySchema = z.strictObject({
  /** Why; recorded with the decision. */
  comment: z.string().max(2000).optional(),
  /** Who decided. @default "api" */
  by: z.string().min(1).max(200).optional(),
  /** The approval action's name, when several wait at once. */
  action: z.string().min(1).max(100).optional(),
});

/** Query string of `GET /api/v1/pipeline/runs/:id/logs`. */
export const pipelineLogsQuerySchema = z.strictObject({
  /** Only lines of this action (its name, or `<stage>.<action>`). */
  action: z.string().min(1).max(201).optional(),
  /** Only lines after this sequence number (`nextAfter` of the previous page). */
  after: z.coerce.number().int().min(0).optional(),
  /** Page size. @default 1000 */
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  /** Long-poll: when no line is there yet, wait up to this long for one. @default 0 */
  waitMs: z.coerce.number().int().min(0).max(60_000).optional(),
});

/** Query string of `GET /api/v1/artifacts`. */
export const artifactsQuerySchema = z.strictObject({
  service: z.string().min(1).max(100).optional(),
  commit: z.string().regex(/^[0-9a-f]{4,40}$/, 'must be a commit sha').optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Path parameters naming an artifact: `sha256:<hex>` or `<service>:<tag>`. */
export const artifactRefParamsSchema = z.strictObject({
  ref: z.string().min(1).max(300),
});

/** One test report of a build action (`output.reports`). */
export interface TestReportSummaryDto {
  readonly name: string;
  readonly status: string;
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  /** Tests neither failed, errored nor skipped. */
  readonly passed?: number;
  /** `JUNITXML` or `CUCUMBERJSON`. */
  readonly fileFormat?: string;
  /** Sum of the test cases' durations. */
  readonly durationMs?: number;
  /** Why a report file could not be read. */
  readonly error?: string;
  /** The failed and errored test cases, at most 50, with their messages. */
  readonly failedCases?: readonly { readonly name: string; readonly className: string | undefined; readonly status: string; readonly message: string | undefined }[];
}

/** Covered and total of lines or branches; `percent` is null when there is nothing to cover. */
export interface CoverageCountsDto {
  readonly covered: number;
  readonly total: number;
  readonly percent: number | null;
}

/** One code-coverage report of a build action (`output.coverage`). */
export interface CoverageReportSummaryDto {
  readonly name: string;
  /** `Succeeded`, or `Error` when a report file could not be read. */
  readonly status: string;
  /** `COBERTURAXML`, `CLOVERXML`, `JACOCOXML`, `SIMPLECOV` or `LCOVINFO`. */
  readonly fileFormat: string;
  readonly lines: CoverageCountsDto;
  readonly branches: CoverageCountsDto;
  /** Per source file, sorted by path (at most 2000; see `filesOmitted`). */
  readonly files: readonly { readonly path: string; readonly lines: CoverageCountsDto; readonly branches: CoverageCountsDto }[];
  /** Source files left out of `files` past the first 2000. */
  readonly filesOmitted: number;
  readonly error?: string;
}

/** One finding of a static analysis action (`output.analysis.findings`), as its SARIF log reported it. */
export interface AnalysisFindingDto {
  /** The rule (`ruleId`), e.g. `no-eval`. */
  readonly rule: string;
  /** The SARIF level: `error`, `warning`, `note` or `none`. */
  readonly level: 'error' | 'warning' | 'note' | 'none';
  readonly message: string;
  /** The file, relative to the checkout's root, `/`-separated; empty when the finding names none. */
  readonly file: string;
  /** 1-based; 0 when the finding names no line. */
  readonly line: number;
}

/** What a static analysis action stored (`output.analysis`). */
export interface AnalysisOutputDto {
  /** The SARIF driver's name (`ESLint` for the default rule set). */
  readonly tool: string;
  /** Lowest level that failed the action. */
  readonly failOn: 'error' | 'warning' | 'note';
  /** Findings by level. */
  readonly counts: { readonly error: number; readonly warning: number; readonly note: number; readonly none: number };
  /** The findings, most severe first (at most 1000; see `findingsOmitted`). */
  readonly findings: readonly AnalysisFindingDto[];
  readonly findingsOmitted: number;
}

/** What a load test action stored (`output.loadTest`): its figures and each threshold checked. */
export interface LoadTestOutputDto {
  /** The URL loaded: the environment's ingress listener and the path. */
  readonly target: string;
  readonly environment: string;
  readonly service: string;
  readonly requests: number;
  readonly errors: number;
  /** 0 to 1. */
  readonly errorRate: number;
  /** Requests by status (`"200"`) or by what went wrong (`"timeout"`, `"connection"`). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Latency percentiles in ms; absent when no request completed. */
  readonly latencyMs?: { readonly min: number; readonly mean: number; readonly p50: number; readonly p90: number; readonly p95: number; readonly p99: number; readonly max: number };
  readonly durationMs: number;
  readonly ratePerSecond: number;
  /** Each threshold: its limit, the measured value (null: nothing measured), whether it held. */
  readonly thresholds: readonly { readonly threshold: string; readonly limit: number; readonly value: number | null; readonly ok: boolean }[];
}

/** One action of a run. */
export interface PipelineActionDto {
  readonly id: number;
  readonly name: string;
  readonly type: (typeof ACTION_TYPES)[number];
  readonly runOrder: number;
  readonly status: PipelineStatus;
  /** 1 for the first try; higher after retries. */
  readonly attempt: number;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
  readonly durationMs: number | undefined;
  /** Why it failed, stopped or was skipped. */
  readonly reason: string | undefined;
  /** The configuration with pipeline variables resolved (once started); secrets in it, and variables holding them, read `***`. */
  readonly configuration: Readonly<Record<string, unknown>>;
  /**
   * What it produced: `artifact`, `secondaryArtifacts` (`{ identifier, name, digest, fileCount }`),
   * `exportedVariables` (secrets in them read `***`; their names are in `secretVariables`),
   * `reports` ({@link TestReportSummaryDto}), `coverage` ({@link CoverageReportSummaryDto}),
   * `warnings`, `scan`, `deploymentIds`, `approval`, `images` (image actions: one {@link ImageActionOutputDto}
   * per service), `loadTest` ({@link LoadTestOutputDto}), `analysis` ({@link AnalysisOutputDto}), ... Secrets are masked
   * in every string.
   */
  readonly output: Readonly<Record<string, unknown>>;
}

/** One stage of a run. */
export interface PipelineStageDto {
  readonly name: string;
  readonly status: PipelineStatus;
  readonly attempt: number;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
  readonly durationMs: number | undefined;
  readonly reason: string | undefined;
  readonly actions: readonly PipelineActionDto[];
}

/** A pipeline run as `GET /api/v1/pipeline/runs/:id` returns it. */
export interface PipelineRunDto {
  readonly id: number;
  readonly status: PipelineStatus;
  /** What started it: `poll`, `webhook`, `manual`. */
  readonly trigger: string;
  /** The ref it was started for (`refs/heads/main`, `refs/tags/v1`), if any. */
  readonly ref: string | undefined;
  readonly branch: string | undefined;
  readonly commitSha: string;
  readonly commitMessage: string | undefined;
  readonly createdAtMs: number;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
  readonly durationMs: number | undefined;
  readonly reason: string | undefined;
  /** The run's artifact (the first build output stored), if any. */
  readonly artifact: string | undefined;
  /** The images the run's image actions pushed, by service: `<registry>/<repository>@sha256:…` (what its deploy actions run). */
  readonly images: Readonly<Record<string, string>>;
  /** Summed test report counts of all build actions. */
  readonly tests: { readonly total: number; readonly failures: number; readonly errors: number; readonly skipped: number };
  /** Line and branch coverage summed over every code-coverage report of the run's build actions; absent when there is none. */
  readonly coverage?: { readonly lines: CoverageCountsDto; readonly branches: CoverageCountsDto };
  readonly stages: readonly PipelineStageDto[];
}

/** A run in `GET /api/v1/pipeline/runs` (stages without actions). */
export type PipelineRunSummaryDto = Omit<PipelineRunDto, 'stages'> & {
  readonly stages: readonly { readonly name: string; readonly status: PipelineStatus }[];
};

/** One stored log line of an action. */
export interface PipelineLogLineDto {
  readonly seq: number;
  /** `<stage>.<action>`. */
  readonly action: string;
  readonly timeMs: number;
  readonly stream: 'stdout' | 'stderr' | 'system';
  readonly line: string;
}

/** `GET /api/v1/pipeline/runs/:id/logs`: a page of log lines. */
export interface PipelineLogsPageDto {
  readonly lines: readonly PipelineLogLineDto[];
  /** Pass as `after` for the next page. */
  readonly nextAfter: number;
  /** True when the run has ended and no line follows. */
  readonly done: boolean;
}

/** `GET /api/v1/pipeline/runs`, newest first. */
export interface PipelineRunListDto {
  readonly runs: readonly PipelineRunSummaryDto[];
}

/** A build artifact: a content-addressed archive and the tags pointing at it. */
export interface ArtifactDto {
  /** `sha256:<hex>` of the compressed archive. */
  readonly digest: string;
  readonly sizeBytes: number;
  readonly createdAtMs: number;
  /** The service it was built for. */
  readonly service: string;
  readonly commitSha: string | null;
  readonly buildNumber: number | null;
  readonly fileCount: number;
  /** Tags pointing at it, as `<service>:<tag>`, sorted. */
  readonly tags: readonly string[];
}

/** `GET /api/v1/artifacts`, newest first. */
export interface ArtifactListDto {
  readonly artifacts: readonly ArtifactDto[];
}

/** `POST /api/v1/artifacts/prune`: what the lifecycle policy did. */
export interface ArtifactPruneDto {
  /** Tags removed. */
  readonly untagged: number;
  /** Digests of the artifacts deleted. */
  readonly deleted: readonly string[];
}

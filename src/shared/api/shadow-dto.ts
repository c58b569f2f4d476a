// What a shadow comparison found: made by the router (`GET /admin/shadow/:id`), kept with the deployment.

/** Why a request chosen for mirroring was not compared. */
export interface ShadowSkippedDto {
  /** The method is not in the shadow's `methods` (non-idempotent methods are mirrored only when declared). */
  readonly method: number;
  /** The request or one of the two answers was larger than `maxBodyBytes`. */
  readonly bodyTooLarge: number;
  /** `maxConcurrent` mirrored requests were already in flight. */
  readonly concurrency: number;
  /** The primary answer did not arrive whole (the router answered 5xx itself, the client went away, the body was never read). */
  readonly primaryFailed: number;
  /** The shadow revision had no healthy target. */
  readonly noTarget: number;
}

/** One mirrored request whose two answers differed. */
export interface ShadowDiffSampleDto {
  readonly atMs: number;
  readonly method: string;
  /** The request path, without its query string. */
  readonly path: string;
  readonly primaryStatus: number;
  /** Null when the shadow gave no answer (see `error`). */
  readonly shadowStatus: number | null;
  /** What differed: `status`, `headers.<name>`, `body` (bytes) or JSON paths such as `$.items[2].price`. */
  readonly fields: readonly string[];
  readonly primaryMs: number;
  readonly shadowMs: number | null;
  /** Why the shadow gave no answer (timeout, connection refused), else null. */
  readonly error: string | null;
}

/** Latency of the compared answers (time to response headers), ms; null without samples. */
export interface ShadowLatencyDto {
  readonly primaryP50Ms: number | null;
  readonly primaryP99Ms: number | null;
  readonly shadowP50Ms: number | null;
  readonly shadowP99Ms: number | null;
  /** shadow p99 / primary p99. */
  readonly p99Ratio: number | null;
}

/** The totals of one shadow comparison (one mirror rule of the routing table). */
export interface ShadowReportDto {
  /** The rule's id, e.g. `deployment-12.step-1`. */
  readonly id: string;
  readonly environment: string;
  readonly service: string;
  /** The revision the copies went to. */
  readonly revision: string;
  readonly startedAtMs: number;
  readonly updatedAtMs: number;
  /** Copies sent to the shadow revision. */
  readonly mirrored: number;
  /** Pairs of answers compared (a shadow that gave no answer counts, as differing). */
  readonly compared: number;
  readonly differing: number;
  /** Shadow requests that failed or timed out (counted in `differing`). */
  readonly shadowErrors: number;
  readonly skipped: ShadowSkippedDto;
  /** Count per `primary→shadow` status pair of the differing answers, e.g. `{"200→500": 3}`. */
  readonly statusPairs: Readonly<Record<string, number>>;
  /** Count per differing field (the 50 most frequent kept). */
  readonly fields: Readonly<Record<string, number>>;
  readonly latency: ShadowLatencyDto;
  /** The first differing requests (at most 20). */
  readonly samples: readonly ShadowDiffSampleDto[];
}

/** The verdict of a shadow step, kept with the deployment (`shadowRuns` of a deployment). */
export interface ShadowRunDto {
  /** The plan step, from 0. */
  readonly stepIndex: number;
  readonly verdict: 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
  readonly reasons: readonly string[];
  /** Share of compared answers that differed, percent; null when none were compared. */
  readonly differingPercent: number | null;
  /** The router's report; null when it could not be read. */
  readonly report: ShadowReportDto | null;
  readonly atMs: number;
}

/** `GET /api/v1/deployments/:id/shadow`: the finished shadow runs, and the running comparison's report so far. */
export interface DeploymentShadowDto {
  readonly deploymentId: number;
  readonly runs: readonly ShadowRunDto[];
  /** The router's report of the shadow step under way; null when none runs (or the router has none yet). */
  readonly live: ShadowReportDto | null;
}

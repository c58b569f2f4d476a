// The API's answers as the dashboard reads them. Routes that are still being
// built are typed from their agreed contracts; optional fields are read defensively.
import type { EventDto } from '../../../src/shared/index.js';

export type { EventDto };

export interface TaskDto {
  readonly id: string;
  readonly pid: number | null;
  readonly port: number;
  readonly state: string;
  readonly uptimeMs?: number;
  readonly restarts?: number;
}

export interface RevisionDto {
  readonly revision: string;
  readonly weightPercent: number;
  readonly desiredCount?: number;
  readonly tasks: readonly TaskDto[];
}

export interface ServiceDto {
  readonly name: string;
  readonly url?: string;
  readonly revisions: readonly RevisionDto[];
}

export interface EnvironmentDto {
  readonly name: string;
  readonly ingressPort?: number;
  readonly services: readonly ServiceDto[];
}

export interface StatusDto {
  readonly server?: { readonly version: string; readonly pid: number; readonly startedAt: string; readonly ports: Readonly<Record<string, number>> };
  readonly events?: { readonly lastSeq: number };
  readonly app?: { readonly name: string; readonly file: string };
  readonly runtime?: {
    readonly environments: readonly EnvironmentDto[];
    readonly router: { readonly pid: number; readonly version: number | null; readonly listeners: readonly { id: string; kind: string; environment: string; port: number }[] };
  };
}

export interface EventsPage {
  readonly events: readonly EventDto[];
  readonly nextAfter: number | null;
  readonly lastSeq: number;
}

export interface AlarmDto {
  readonly name: string;
  readonly state: string;
  readonly service?: string;
  readonly environment?: string;
  readonly reason?: string;
  readonly updatedAtMs?: number;
}

export interface DoraDto {
  readonly deploymentFrequency: { readonly perDay: number | null; readonly perWeek: number | null; readonly band?: string };
  readonly leadTime: { readonly medianMs: number | null; readonly band?: string };
  readonly changeFailureRate: { readonly ratio: number | null; readonly band?: string };
  readonly timeToRestore: { readonly medianMs: number | null; readonly band?: string };
}

export interface DeploymentStepDto {
  readonly name?: string;
  readonly weightPercent?: number;
  readonly status: string;
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
  readonly message?: string;
}

export interface HookResultDto {
  readonly name: string;
  readonly status: string;
  readonly durationMs?: number;
  readonly message?: string;
}

export interface AnalysisDto {
  readonly name?: string;
  readonly verdict?: string;
  readonly status?: string;
  readonly message?: string;
  readonly atMs?: number;
}

export interface DeploymentDto {
  readonly id: string;
  readonly environment: string;
  readonly service?: string;
  readonly revision?: string;
  readonly previousRevision?: string;
  readonly strategy?: string;
  readonly status: string;
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
  readonly weights?: Readonly<Record<string, number>>;
  readonly steps?: readonly DeploymentStepDto[];
  readonly hooks?: readonly HookResultDto[];
  readonly analysis?: readonly AnalysisDto[];
  readonly message?: string;
}

export interface TestCountsDto {
  readonly total?: number;
  readonly passed?: number;
  readonly failed?: number;
  readonly skipped?: number;
}

export interface PipelineActionDto {
  readonly name: string;
  readonly type?: string;
  readonly status: string;
  readonly runOrder?: number;
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
  readonly durationMs?: number;
  readonly message?: string;
  /** Why it failed, stopped or was skipped (the API's name for `message`). */
  readonly reason?: string;
  readonly tests?: TestCountsDto;
  /** What it produced; build actions list their test `reports` here. */
  readonly output?: Readonly<Record<string, unknown>>;
}

export interface PipelineStageDto {
  readonly name: string;
  readonly status: string;
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
  readonly durationMs?: number;
  readonly actions: readonly PipelineActionDto[];
}

export interface PipelineRunDto {
  readonly id: string | number;
  readonly commitSha?: string;
  readonly commitMessage?: string;
  readonly status: string;
  readonly commit?: string;
  readonly branch?: string;
  readonly message?: string;
  readonly trigger?: string | { readonly type?: string; readonly branch?: string; readonly commit?: string };
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
  readonly durationMs?: number;
  readonly stages?: readonly PipelineStageDto[];
}

export interface LogLineDto {
  readonly seq?: number;
  readonly timeMs?: number;
  readonly stream?: string;
  readonly text?: string;
  readonly line?: string;
  readonly message?: string;
}

export interface LogPageDto {
  readonly lines: readonly LogLineDto[];
  readonly nextAfter?: number | null;
}

export interface MetricSeriesDto {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export interface MetricNameDto {
  readonly name: string;
  readonly kind?: string;
  readonly unit?: string;
  readonly dimensionKeys?: readonly string[];
}

export type CellValue = string | number | boolean | null;

export interface LogsResultDto {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, CellValue>>[];
  readonly statistics?: Readonly<Record<string, number>>;
}

export interface TraceSummaryDto {
  readonly traceId: string;
  readonly rootService: string;
  readonly rootOperation: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly error: boolean;
}

export interface SpanDto {
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly service: string;
  readonly name: string;
  readonly kind: string | number;
  readonly startMs: number;
  readonly offsetMs: number;
  readonly durationMs: number;
  readonly selfTimeMs: number;
  readonly depth: number;
  readonly status: string;
  readonly statusMessage?: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: readonly { readonly name: string; readonly timeMs?: number; readonly attributes?: Readonly<Record<string, unknown>> }[];
  readonly critical: boolean;
}

export interface TraceDto {
  readonly traceId: string;
  readonly rootService: string;
  readonly rootOperation: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly spans: readonly SpanDto[];
  readonly services?: readonly { readonly service: string; readonly selfTimeMs: number; readonly spanCount: number }[];
  readonly criticalPath?: readonly string[];
  readonly errors?: readonly { readonly spanId: string; readonly service: string; readonly name: string; readonly type?: string; readonly message?: string }[];
}

export interface SlowQueryDto {
  readonly statement: string;
  readonly dbSystem?: string;
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly totalMs: number;
  readonly exampleTraceId?: string;
}

export interface CallStatsDto {
  readonly requests: number;
  readonly errors: number;
  readonly faults: number;
  readonly errorRate: number;
  readonly faultRate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface ServiceMapDto {
  readonly startMs?: number;
  readonly endMs?: number;
  readonly nodes: readonly (CallStatsDto & { readonly id: string; readonly type: string; readonly dbSystem?: string })[];
  readonly edges: readonly (CallStatsDto & { readonly source: string; readonly target: string })[];
}

type Raw = Readonly<Record<string, unknown>>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const obj = (v: unknown): Raw => (v !== null && typeof v === 'object' ? (v as Raw) : {});
const arr = (v: unknown): Raw[] => (Array.isArray(v) ? v.map(obj) : []);

function stepName(step: Raw): string | undefined {
  switch (step.type) {
    case 'hook':
      return `Hook ${str(step.hook) ?? ''}`;
    case 'start':
      return `Start ${num(step.desiredCount) ?? ''} task(s) of the new revision`;
    case 'scale':
      return `Scale the ${str(step.revision) ?? ''} revision to ${num(step.desiredCount) ?? ''}`;
    case 'testTraffic':
      return step.enabled ? 'Route test traffic to the new revision' : 'Remove test traffic';
    case 'traffic':
      return `Shift ${num(step.newPercent) ?? ''}% to the new revision`;
    case 'wait':
      return `Wait ${Math.round((num(step.durationMs) ?? 0) / 1000)} s${step.analysis ? ' with analysis' : ''} (${str(step.purpose) ?? ''})`;
    case 'retireOld':
      return 'Stop the old revision';
    default:
      return str(step.name);
  }
}

/**
 * A deployment as the views show it, from the API's record (`state`,
 * `toRevision`, `plan` with `stepHistory`, `analysisRuns`, strategy object) or
 * from the contract shape (`status`, `revision`, `steps`, …).
 */
export function deploymentOf(body: unknown): DeploymentDto {
  const d = obj(body);
  const status = str(d.status) ?? str(d.state) ?? 'Unknown';
  const strategy = obj(d.strategy);
  const history = arr(d.stepHistory);
  const active = ['Created', 'InProgress', 'Baking', 'Paused'].includes(status);
  const steps: DeploymentStepDto[] = Array.isArray(d.steps)
    ? (d.steps as DeploymentStepDto[])
    : arr(d.plan).map((step, i) => {
        const h = history.find((x) => x.index === i);
        const done = typeof h?.completedAtMs === 'number';
        return {
          name: stepName(step),
          weightPercent: num(step.newPercent),
          status: done ? 'Succeeded' : h ? (active ? (status === 'Paused' ? 'Paused' : 'InProgress') : 'Stopped') : active ? 'Pending' : 'Skipped',
          startedAtMs: num(h?.startedAtMs),
          finishedAtMs: num(h?.completedAtMs),
        };
      });
  const rollback = d.rollback === null || d.rollback === undefined ? undefined : obj(d.rollback);
  return {
    id: str(d.id) ?? '',
    environment: str(d.environment) ?? '',
    service: str(d.service),
    revision: str(d.revision) ?? str(d.toRevision),
    previousRevision: str(d.previousRevision) ?? str(d.fromRevision),
    strategy: typeof d.strategy === 'string' ? d.strategy : (str(strategy.codeDeployName) ?? str(strategy.kind)),
    status,
    startedAtMs: num(d.startedAtMs) ?? num(d.createdAtMs),
    finishedAtMs: num(d.finishedAtMs),
    weights: d.weights as DeploymentDto['weights'],
    steps,
    hooks: arr(d.hooks).map((h) => ({ name: str(h.name) ?? str(h.hook) ?? '', status: str(h.status) ?? str(h.result) ?? 'Unknown', durationMs: num(h.durationMs), message: str(h.message) || undefined })),
    analysis: Array.isArray(d.analysis)
      ? (d.analysis as AnalysisDto[])
      : arr(d.analysisRuns).map((a) => ({ name: `Step ${(num(a.stepIndex) ?? 0) + 1}`, verdict: str(a.verdict), message: Array.isArray(a.reasons) ? a.reasons.join('; ') : undefined, atMs: num(a.atMs) })),
    message: str(d.message) ?? (rollback ? `Rolled back (${str(rollback.trigger) ?? ''}): ${str(rollback.reason) ?? ''}` : undefined) ?? str(d.pausedReason),
  };
}

/** The DORA figures the tiles show: the API's `{ windows: [{ window, overall }] }` (the 30-day window when there is one) or a bare report. */
export function doraOf(body: unknown): DoraDto | undefined {
  const b = obj(body);
  if (Array.isArray(b.windows)) {
    const windows = arr(b.windows);
    const w = windows.find((x) => x.window === '30d') ?? windows[0];
    return w && typeof w.overall === 'object' ? (w.overall as unknown as DoraDto) : undefined;
  }
  return b.deploymentFrequency ? (b as unknown as DoraDto) : undefined;
}

/** Lists come either bare or wrapped (`{ deployments: [...] }`); this reads both. */
export function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body !== null && typeof body === 'object') {
    const v = (body as Record<string, unknown>)[key];
    if (Array.isArray(v)) return v as T[];
  }
  return [];
}

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
  readonly tests?: TestCountsDto;
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
  readonly id: string;
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

/** Lists come either bare or wrapped (`{ deployments: [...] }`); this reads both. */
export function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body !== null && typeof body === 'object') {
    const v = (body as Record<string, unknown>)[key];
    if (Array.isArray(v)) return v as T[];
  }
  return [];
}

import { z } from 'zod';
import { tryParseDuration } from '../app-model/index.js';

/** The windows `GET /api/v1/dora` reports when none is asked for. */
export const DORA_DEFAULT_WINDOWS = ['7d', '30d', '90d'] as const;

/** Query string of `GET /api/v1/dora`. */
export const doraQuerySchema = z.strictObject({
  /** A duration such as `30d`; @default every one of {@link DORA_DEFAULT_WINDOWS} */
  window: z
    .string()
    .refine((v) => (tryParseDuration(v) ?? 0) >= 3_600_000 && (tryParseDuration(v) ?? 0) <= 366 * 86_400_000, 'must be a duration from 1h to 366d, e.g. "30d"')
    .optional(),
  service: z.string().min(1).max(63).optional(),
  /** The end of the windows, ms since the epoch. @default now */
  end: z.coerce.number().int().min(0).optional(),
});

/** Parsed form of {@link doraQuerySchema}. */
export type DoraQuery = z.output<typeof doraQuerySchema>;

type Band = 'Elite' | 'High' | 'Medium' | 'Low';

/** The four keys over one window, as the API returns them (the same shape as `computeDora`'s report). */
export interface DoraReportDto {
  readonly window: { readonly startMs: number; readonly endMs: number };
  readonly environment: string;
  readonly service?: string;
  readonly thresholdsYear: string;
  readonly deploymentFrequency: { readonly perDay: number | null; readonly perWeek: number | null; readonly band?: Band; readonly deploymentIds: readonly string[] };
  readonly leadTime: {
    readonly medianMs: number | null;
    readonly p90Ms: number | null;
    readonly band?: Band;
    readonly samples: readonly { readonly sha: string; readonly deploymentId: string; readonly leadTimeMs: number }[];
  };
  readonly changeFailureRate: { readonly ratio: number | null; readonly band?: Band; readonly deploymentIds: readonly string[]; readonly failedDeploymentIds: readonly string[] };
  readonly timeToRestore: {
    readonly medianMs: number | null;
    readonly band?: Band;
    readonly samples: readonly { readonly kind: 'incident' | 'deployment'; readonly id: string; readonly startMs: number; readonly restoredAtMs: number; readonly durationMs: number }[];
    readonly openIncidentIds: readonly string[];
    readonly openDeploymentIds: readonly string[];
  };
}

/** One window of `GET /api/v1/dora`: the whole app (or the service asked for) and each service on its own. */
export interface DoraWindowDto {
  /** The window as asked, e.g. `30d`. */
  readonly window: string;
  readonly windowMs: number;
  /** Every service together, or only `service` when one was asked for. */
  readonly overall: DoraReportDto;
  /** Per service that deployed to the environment or had an incident there. */
  readonly services: Readonly<Record<string, DoraReportDto>>;
}

/** `GET /api/v1/dora`. */
export interface DoraResponseDto {
  readonly environment: string;
  readonly endMs: number;
  readonly windows: readonly DoraWindowDto[];
  /** What could not be derived (e.g. a commit range git could not list); the figures leave those commits out. */
  readonly warnings: readonly string[];
}

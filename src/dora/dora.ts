import { systemClock, type Clock, type EventLog } from '../core/index.js';
import type { DoraResponseDto } from '../shared/index.js';
import type { FastifyInstance } from 'fastify';
import { doraRoutes } from './routes.js';
import { DoraService, type DoraReportRequest } from './service.js';

/** Options of {@link createDora}. */
export interface DoraOptions {
  /** The event log deployments and incidents are read from. */
  readonly events: EventLog;
  /** The git repository whose commits the revisions are; lists the commits a deployment shipped when its events do not. */
  readonly repoDir?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** The environment measured. @default 'production' */
  readonly environment?: string;
  /** The State of DevOps report year of the bands. @default DEFAULT_DORA_YEAR */
  readonly thresholdsYear?: string;
}

/** The DORA context, as the composition root uses it. */
export interface Dora {
  readonly service: DoraService;
  /** `GET /api/v1/dora`, for `buildServer({ routes })`. */
  readonly routes: (app: FastifyInstance) => void;
  /** The four keys per window, overall and per service. */
  report(request?: DoraReportRequest): Promise<DoraResponseDto>;
}

/** Builds the DORA context: the four keys derived from the event log and git. */
export function createDora(options: DoraOptions): Dora {
  const service = new DoraService({
    events: options.events,
    repoDir: options.repoDir,
    clock: options.clock ?? systemClock,
    environment: options.environment ?? 'production',
    thresholdsYear: options.thresholdsYear,
  });
  return { service, routes: doraRoutes(service), report: (request) => service.report(request) };
}

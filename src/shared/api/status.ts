// The answers of `GET /api/v1/status` and `GET /api/v1/environments`: what runs where. No zod here (the dashboard imports it).
import type { AppliedVersionDto } from './iac.js';

/** A task of a revision: one process under the supervisor. */
export interface TaskStatusDto {
  readonly id: string;
  /** Null while it is being started. */
  readonly pid: number | null;
  readonly port: number;
  /** `Starting`, `Healthy`, `Unhealthy`, `Draining`, ... as the supervisor names them. */
  readonly state: string;
  readonly uptimeMs: number;
  readonly restarts: number;
}

/** How the tasks of a container revision run. */
export interface RevisionContainerDto {
  /** The image its tasks run. */
  readonly image: string;
  /** The CPU limit of each task, in cores (`--cpus`); null when none is applied. */
  readonly cpus: number | null;
  /** The memory limit of each task, in MiB (`--memory`); null when none is applied. */
  readonly memoryMiB: number | null;
  /** Why limits the service asks for are not applied (the engine refused them here); null when all apply. */
  readonly limitsNotApplied: string | null;
}

/** A revision of a service in an environment, with its share of the traffic. */
export interface RevisionStatusDto {
  readonly revision: string;
  readonly weightPercent: number;
  readonly desiredCount: number;
  readonly tasks: readonly TaskStatusDto[];
  /** For a container service: the image and the limits its tasks run with. @default absent for process tasks */
  readonly container?: RevisionContainerDto;
}

/** A service in an environment. */
export interface ServiceStatusDto {
  readonly name: string;
  /** Its stable service-discovery address in the environment. */
  readonly url: string;
  readonly revisions: readonly RevisionStatusDto[];
}

/** An environment of the app and what runs in it. */
export interface EnvironmentStatusDto {
  readonly name: string;
  readonly ingressPort: number;
  readonly services: readonly ServiceStatusDto[];
}

/** `GET /api/v1/environments`. */
export interface EnvironmentsDto {
  readonly environments: readonly EnvironmentStatusDto[];
}

/** One listener of the router. */
export interface RouterListenerDto {
  readonly id: string;
  /** `ingress`, `service` or `test`. */
  readonly kind: string;
  readonly environment: string;
  /** The service of a service or test listener; null for an ingress. */
  readonly service: string | null;
  readonly port: number;
}

/** The `runtime` part of the status: environments and the router. */
export interface RuntimeStatusDto {
  readonly environments: readonly EnvironmentStatusDto[];
  readonly router: {
    readonly pid: number;
    readonly adminUrl: string;
    /** Version of the routing table the router serves; null when it did not answer. */
    readonly version: number | null;
    readonly listeners: readonly RouterListenerDto[];
  };
}

/** The `server` part of the status: the control plane process. */
export interface ServerStatusDto {
  readonly version: string;
  readonly pid: number;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly dataDir: string;
  /** The ports in use: `api`, `otlp`, `xray`, ... */
  readonly ports: Readonly<Record<string, number>>;
}

/**
 * `GET /api/v1/status`. `app`, `runtime` and `delivery` are there when an app is loaded;
 * `telemetry` and `delivery` are counters each context reports in its own words.
 */
export interface StatusDto {
  readonly server: ServerStatusDto;
  readonly events: { readonly lastSeq: number };
  readonly telemetry: Readonly<Record<string, unknown>>;
  readonly app?: { readonly name: string; readonly file: string };
  readonly runtime?: RuntimeStatusDto;
  readonly delivery?: Readonly<Record<string, unknown>>;
  /** Which model each environment (and the app-wide scope) runs: commit, when, by what. */
  readonly iac?: { readonly scopes: readonly AppliedVersionDto[] };
}

/** `POST /api/v1/environments/:environment/services/:service/revisions`: the revision started (its tasks' extra environment and source directory stay inside). */
export interface ServiceRevisionDto {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  readonly weightPercent: number;
  /** Whether the environment's test listener sends to it. */
  readonly testTraffic: boolean;
  readonly desiredCount: number;
  readonly createdAtMs: number;
}

/** `PUT /api/v1/environments/:environment/services/:service/traffic`: the split now. */
export interface TrafficWeightsDto {
  readonly weights: readonly { readonly revision: string; readonly weightPercent: number }[];
}

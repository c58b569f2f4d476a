import path from 'node:path';
import { allocatePort, nextEvent, silentLogger, type Clock, type Db, type EventLog, type Logger } from '../core/index.js';
import type { RouterClient } from '../router/index.js';
import { ACTIVE_TASK_STATES, LIVE_TASK_STATES, type Supervisor, type TaskSetSpec } from '../runtime/index.js';
import { ConflictError, InputError, NotFoundError, interpolateEnv, type EnvironmentStatusDto, type ResolvedApp } from '../shared/index.js';
import { RevisionStore, type ServiceRevision } from './store/revision-store.js';
import { RoutingStateStore } from './store/routing-state-store.js';
import type { EnvironmentRouting } from './traffic/routing-table.js';
import { TrafficController } from './traffic/traffic-controller.js';

/** Options of {@link LocalEnvironments}. */
export interface LocalEnvironmentsOptions {
  readonly app: ResolvedApp;
  readonly db: Db;
  readonly events: EventLog;
  readonly supervisor: Supervisor;
  readonly router: RouterClient;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** OTLP/HTTP endpoint the tasks export to; without one their OpenTelemetry SDK is disabled. */
  readonly otlpEndpoint?: string;
  /** Time between deregistering a task and SIGTERM. @default 2000 */
  readonly drainMs?: number;
  /** Time between SIGTERM and SIGKILL of a task. @default 10000 */
  readonly stopTimeoutMs?: number;
  /** Period of the routing safety-net sync. @default 500 */
  readonly syncIntervalMs?: number;
}

/** A request to run a revision of a service. */
export interface StartRevisionRequest {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  /** Directory holding the app (the service runs in `<sourceDir>/<service.path>`). */
  readonly sourceDir: string;
  /** @default the service's `scaling.min` */
  readonly desiredCount?: number;
  /** Extra environment variables of this revision's tasks, over the service's own. @default {} */
  readonly env?: Readonly<Record<string, string>>;
}

/** How a revision's task set is doing. */
export interface RevisionHealth {
  readonly desiredCount: number;
  /** Healthy tasks. */
  readonly healthyCount: number;
  /** Whether every healthy task is a healthy target in the table the router serves. */
  readonly routed: boolean;
  /** Consecutive failed tasks of the set (a crash loop grows it). */
  readonly failureStreak: number;
}

/**
 * The environments of the app, run locally: which revisions of each service
 * run (task sets under the supervisor), how traffic is split between them
 * (weights in the router), and the stable service-discovery addresses tasks
 * use to reach each other. The deployment engine drives it; so do the
 * low-level traffic verbs of the API.
 */
export class LocalEnvironments {
  readonly #o: LocalEnvironmentsOptions;
  readonly #logger: Logger;
  readonly revisions: RevisionStore;
  readonly #state: RoutingStateStore;
  readonly traffic: TrafficController;
  #ports = new Map<string, number>();

  constructor(options: LocalEnvironmentsOptions) {
    this.#o = options;
    this.#logger = (options.logger ?? silentLogger).child('environments');
    this.revisions = new RevisionStore(options.db);
    this.#state = new RoutingStateStore(options.db);
    this.traffic = new TrafficController({
      router: options.router,
      revisions: this.revisions,
      state: this.#state,
      environments: () => this.routing(),
      tasks: () => options.supervisor.listTasks({ states: LIVE_TASK_STATES }),
      logger: this.#logger,
      intervalMs: options.syncIntervalMs,
    });
  }

  /** The app this runs. */
  get app(): ResolvedApp {
    return this.#o.app;
  }

  /**
   * Gives every service of every environment its stable service-discovery
   * port (allocated once, then kept across restarts), pushes the routing,
   * and starts the routing safety net.
   */
  async start(): Promise<void> {
    this.#ports = this.#state.all();
    const taken = new Set(this.#ports.values());
    for (const env of Object.keys(this.#o.app.environments)) {
      for (const service of Object.keys(this.#o.app.services)) {
        if (this.#ports.has(`${env}/${service}`)) continue;
        const port = await allocatePort(taken);
        taken.add(port);
        this.#state.set(env, service, port);
        this.#ports.set(`${env}/${service}`, port);
      }
    }
    await this.traffic.sync();
    this.traffic.start();
  }

  /** Stops the routing loop (tasks and router are left as they are). */
  close(): Promise<void> {
    return this.traffic.close();
  }

  /** The URL a task uses to reach a service of its environment: the router's stable listener. */
  serviceUrl(environment: string, service: string): string {
    const port = this.#ports.get(`${environment}/${service}`);
    if (port === undefined) throw new NotFoundError('SLW_ERR_DEPLOY_SERVICE_NOT_FOUND', `no service "${service}" in environment "${environment}"`);
    return `http://127.0.0.1:${port}`;
  }

  /** The routing view of each environment. */
  routing(): EnvironmentRouting[] {
    return Object.values(this.#o.app.environments).map((env) => ({
      name: env.name,
      ingressPort: env.ingressPort,
      testPort: env.testPort ?? 0,
      ingressRules: Object.values(this.#o.app.services)
        .filter((s) => s.ingressPathPrefix !== undefined)
        .map((s) => ({ pathPrefix: s.ingressPathPrefix!, service: s.name })),
      servicePorts: Object.fromEntries(Object.keys(this.#o.app.services).map((s) => [s, this.#ports.get(`${env.name}/${s}`) ?? 0])),
    }));
  }

  /** The task-set spec of a revision: the service's command, health and scaling, with its environment resolved. */
  taskSetSpec(r: Pick<ServiceRevision, 'environment' | 'service' | 'revision' | 'sourceDir' | 'desiredCount'> & { readonly env?: Readonly<Record<string, string>> }): TaskSetSpec {
    const svc = this.#service(r.environment, r.service);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(svc.env)) env[k] = interpolateEnv(v, (name) => this.serviceUrl(r.environment, name));
    Object.assign(env, r.env ?? {});
    env.OTEL_SERVICE_NAME = svc.name;
    if (this.#o.otlpEndpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = this.#o.otlpEndpoint;
    else env.OTEL_SDK_DISABLED = 'true';
    const { scaling } = svc;
    const tracks = scaling.targetCpuPercent !== undefined || scaling.targetRequestsPerTask !== undefined;
    // Health, port variable and scaling are the service's compiled model as they are: the
    // runtime has no defaults of its own, so what the app model says is what runs.
    return {
      environment: r.environment,
      service: r.service,
      revision: r.revision,
      command: svc.start,
      cwd: path.resolve(r.sourceDir, svc.path),
      env,
      desiredCount: r.desiredCount,
      portEnv: svc.portEnv,
      health: svc.health,
      drainMs: this.#o.drainMs ?? 2000,
      stopTimeoutMs: this.#o.stopTimeoutMs ?? 10_000,
      ...(tracks ? { scaling } : {}),
    };
  }

  /**
   * Runs a revision of a service (idempotent). The first revision of a
   * service gets all its traffic once it is registered; a later one starts
   * with 0% until weights are shifted to it.
   */
  async startRevision(req: StartRevisionRequest): Promise<ServiceRevision> {
    const svc = this.#service(req.environment, req.service);
    validRevision(req.revision);
    const desiredCount = req.desiredCount ?? svc.scaling.min;
    const first = this.revisions.list({ environment: req.environment, service: req.service }).length === 0;
    this.revisions.upsert({ ...req, desiredCount, env: req.env ?? {}, createdAtMs: this.#o.clock.now(), weightPercent: first ? 100 : 0 });
    const revision = this.revisions.tryFind(req.environment, req.service, req.revision)!;
    await this.#o.supervisor.applyTaskSet(this.taskSetSpec(revision));
    this.#o.events.append({
      type: 'service.revision.started',
      subject: serviceSubject(req.environment, req.service),
      data: { environment: req.environment, service: req.service, revision: req.revision, sourceDir: req.sourceDir, desiredCount, weightPercent: revision.weightPercent },
    });
    await this.traffic.sync();
    return revision;
  }

  /**
   * Shifts a service's traffic between its revisions. Weights are integers
   * summing to 100; a revision that is given traffic must have a healthy
   * task registered with the router, so a shift never sends requests nowhere.
   * Resolves once the router serves the new weights.
   */
  async setWeights(environment: string, service: string, weights: Readonly<Record<string, number>>, reason = 'manual'): Promise<void> {
    this.#service(environment, service);
    const known = new Set(this.revisions.list({ environment, service }).map((r) => r.revision));
    const sum = Object.values(weights).reduce((a, b) => a + b, 0);
    for (const [revision, w] of Object.entries(weights)) {
      if (!known.has(revision)) throw new NotFoundError('SLW_ERR_DEPLOY_REVISION_NOT_FOUND', `no revision "${revision}" of ${service} in ${environment}`);
      if (!Number.isInteger(w) || w < 0 || w > 100) throw new InputError('SLW_ERR_DEPLOY_WEIGHTS_INVALID', `weights.${revision}: expected an integer from 0 to 100, got ${w}`);
    }
    if (sum !== 100) throw new InputError('SLW_ERR_DEPLOY_WEIGHTS_INVALID', `weights must sum to 100, got ${sum}`);
    for (const [revision, w] of Object.entries(weights)) {
      if (w === 0) continue;
      const healthy = this.#o.supervisor.healthyTasks(environment, service, revision).map((t) => t.id);
      await this.traffic.sync();
      if (healthy.length === 0 || !this.traffic.routes(healthy)) {
        throw new ConflictError('SLW_ERR_DEPLOY_NOT_READY', `revision "${revision}" of ${service} in ${environment} has no healthy task registered with the router yet`);
      }
    }
    const before = Object.fromEntries(this.revisions.list({ environment, service }).map((r) => [r.revision, r.weightPercent]));
    this.revisions.setWeights(environment, service, weights);
    await this.traffic.sync();
    this.#o.events.append({ type: 'service.traffic.shifted', subject: serviceSubject(environment, service), data: { environment, service, from: before, to: { ...weights }, reason } });
  }

  /** Sets the number of tasks of a running revision (idempotent). */
  async scaleRevision(environment: string, service: string, revision: string, desiredCount: number): Promise<void> {
    const r = this.revisions.tryFind(environment, service, revision);
    if (!r) throw new NotFoundError('SLW_ERR_DEPLOY_REVISION_NOT_FOUND', `no revision "${revision}" of ${service} in ${environment}`);
    this.revisions.setDesiredCount(environment, service, revision, desiredCount);
    await this.#o.supervisor.scaleTaskSet({ environment, service, revision }, desiredCount);
  }

  /** Points the environment's test listener at a revision of the service (or at none). */
  async setTestTraffic(environment: string, service: string, revision: string | undefined): Promise<void> {
    this.#service(environment, service);
    this.revisions.setTestTraffic(environment, service, revision);
    await this.traffic.sync();
  }

  /** Desired, healthy and routed tasks of a revision; zeros when it has no task set. */
  revisionHealth(environment: string, service: string, revision: string): RevisionHealth {
    const set = this.#o.supervisor.listTaskSets().find((s) => s.environment === environment && s.service === service && s.revision === revision);
    const healthy = this.#o.supervisor.healthyTasks(environment, service, revision).map((t) => t.id);
    return { desiredCount: set?.desiredCount ?? 0, healthyCount: healthy.length, routed: healthy.length > 0 && this.traffic.routes(healthy), failureStreak: set?.failureStreak ?? 0 };
  }

  /** Stops a revision that has no traffic and forgets it. */
  async stopRevision(environment: string, service: string, revision: string): Promise<void> {
    const r = this.revisions.tryFind(environment, service, revision);
    if (!r) throw new NotFoundError('SLW_ERR_DEPLOY_REVISION_NOT_FOUND', `no revision "${revision}" of ${service} in ${environment}`);
    if (r.weightPercent > 0) throw new ConflictError('SLW_ERR_DEPLOY_HAS_TRAFFIC', `revision "${revision}" of ${service} in ${environment} still has ${r.weightPercent}% of the traffic; shift it away first`);
    this.revisions.delete(environment, service, revision);
    await this.traffic.sync();
    await this.#o.supervisor.stopTaskSet(environment, service, revision).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
    });
    this.#o.events.append({ type: 'service.revision.stopped', subject: serviceSubject(environment, service), data: { environment, service, revision } });
  }

  /**
   * Replaces every task of a revision once, one at a time: start one more,
   * wait until the router sends it traffic, then retire the oldest. The
   * revision never has fewer healthy, routed tasks than it started with.
   */
  async replaceTasks(environment: string, service: string, revision: string, timeoutMs = 60_000): Promise<void> {
    const key = { environment, service, revision };
    const olds = this.#o.supervisor.listTasks({ ...key, states: ACTIVE_TASK_STATES });
    for (const old of olds) {
      const set = this.#o.supervisor.getTaskSet(key);
      const before = new Set(this.#o.supervisor.listTasks(key).map((t) => t.id));
      await this.#o.supervisor.scaleTaskSet(key, set.desiredCount + 1);
      const fresh = await this.#waitFor(`a replacement of ${old.id} to take traffic`, timeoutMs, () => {
        const t = this.#o.supervisor.healthyTasks(environment, service, revision).find((x) => !before.has(x.id));
        return t && this.traffic.routes([t.id]) ? t : undefined;
      });
      await this.#o.supervisor.retireTask(old.id, 'replaced');
      this.#o.events.append({ type: 'service.task.replaced', subject: serviceSubject(environment, service), data: { ...key, oldTaskId: old.id, newTaskId: fresh.id } });
    }
  }

  /** Environments, services, revisions with weights, and tasks. */
  status(): EnvironmentStatus[] {
    const tasks = this.#o.supervisor.listTasks({ states: LIVE_TASK_STATES });
    const now = this.#o.clock.now();
    return this.routing().map((env) => ({
      name: env.name,
      ingressPort: env.ingressPort,
      services: Object.keys(this.#o.app.services).map((service) => ({
        name: service,
        url: this.serviceUrl(env.name, service),
        revisions: this.revisions.list({ environment: env.name, service }).map((r) => ({
          revision: r.revision,
          weightPercent: r.weightPercent,
          desiredCount: r.desiredCount,
          tasks: tasks
            .filter((t) => t.environment === env.name && t.service === service && t.revision === r.revision)
            .map((t) => ({ id: t.id, pid: t.pid, port: t.port, state: t.state, uptimeMs: now - t.startedAtMs, restarts: t.restarts })),
        })),
      })),
    }));
  }

  async #waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
    const deadline = this.#o.clock.now() + timeoutMs;
    // Wake on every event (task health changes are events) and on the routing sync's timer.
    for (;;) {
      await this.traffic.sync();
      const value = check();
      if (value !== undefined) return value;
      if (this.#o.clock.now() > deadline) throw new ConflictError('SLW_ERR_DEPLOY_NOT_READY', `timed out after ${timeoutMs} ms waiting for ${what}`);
      await nextEvent(this.#o.events, () => true, 250);
    }
  }

  #service(environment: string, service: string) {
    if (!this.#o.app.environments[environment]) throw new NotFoundError('SLW_ERR_DEPLOY_ENVIRONMENT_NOT_FOUND', `no environment "${environment}" (known: ${Object.keys(this.#o.app.environments).join(', ')})`);
    const svc = this.#o.app.services[service];
    if (!svc) throw new NotFoundError('SLW_ERR_DEPLOY_SERVICE_NOT_FOUND', `no service "${service}" (known: ${Object.keys(this.#o.app.services).join(', ')})`);
    return svc;
  }
}

/** Status of one environment. */
/** An environment and what runs in it, as `GET /api/v1/environments` and the status show it. */
export type EnvironmentStatus = EnvironmentStatusDto;

/** The event subject of a service in an environment. */
export function serviceSubject(environment: string, service: string): string {
  return `service/${environment}/${service}`;
}

function validRevision(revision: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(revision)) {
    throw new InputError('SLW_ERR_DEPLOY_REVISION_INVALID', `revision: "${revision}" must be 1-64 letters, digits, dots, dashes or underscores`);
  }
}

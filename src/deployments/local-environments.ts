import { silentLogger } from '../core/index.js';
import { LIVE_TASK_STATES, type TaskSetSpec } from '../runtime/index.js';
import type { ResolvedApp } from '../shared/index.js';
import { environmentRouting } from './local/environment-routing.js';
import { environmentStatus, type EnvironmentStatus } from './local/environment-status.js';
import type { LocalContext } from './local/local-context.js';
import type { LocalEnvironmentsOptions } from './local/local-environments-options.js';
import { replaceTasks } from './local/replace-tasks.js';
import { rescaleService } from './local/rescale-service.js';
import { retireService } from './local/retire-service.js';
import { describeService } from './local/describe-service.js';
import { revisionHealth } from './local/revision-health.js';
import { scaleRevision } from './local/scale-revision.js';
import { allocateServicePorts, serviceUrl } from './local/service-ports.js';
import { startShadow, stopShadow } from './local/set-shadow.js';
import { setTestTraffic } from './local/set-test-traffic.js';
import { setWeights } from './local/set-weights.js';
import { startRevision } from './local/start-revision.js';
import { stopRevision } from './local/stop-revision.js';
import { taskSetSpec, type TaskSetSource } from './local/task-set-spec.js';
import { testUrl } from './local/test-url.js';
import { verifyWeights } from './local/verify-weights.js';
import { RevisionStore, type ServiceRevision } from './store/revision-store.js';
import { RoutingStateStore } from './store/routing-state-store.js';
import type { RevisionHealth, ServiceDescription } from './target/service-description.js';
import type { ShadowRequest, ShadowTarget } from './target/shadow-target.js';
import type { StartRevisionRequest, TrafficTarget, VerifiedWeights } from './target/traffic-target.js';
import type { ShadowReportDto } from '../shared/index.js';
import type { EnvironmentRouting } from './traffic/routing-table.js';
import { TrafficController } from './traffic/traffic-controller.js';

export type { LocalEnvironmentsOptions } from './local/local-environments-options.js';
export type { StartRevisionRequest } from './target/traffic-target.js';
export type { RevisionHealth } from './target/service-description.js';
export type { EnvironmentStatus } from './local/environment-status.js';
export { serviceSubject } from './local/service-subject.js';

/**
 * The environments of the app, run locally: which revisions of each service
 * run (task sets under the supervisor), how traffic is split between them
 * (weights in the router), and the stable service-discovery addresses tasks
 * use to reach each other. The deployment engine drives it; so do the
 * low-level traffic verbs of the API. It is the local {@link TrafficTarget}:
 * the router carries the traffic, the supervisor runs the tasks. Each
 * operation lives in its own file under `local/`; this class holds what
 * they share.
 */
export class LocalEnvironments implements TrafficTarget, ShadowTarget {
  readonly #ctx: LocalContext;
  readonly revisions: RevisionStore;
  readonly traffic: TrafficController;

  constructor(options: LocalEnvironmentsOptions) {
    const logger = (options.logger ?? silentLogger).child('environments');
    const revisions = new RevisionStore(options.db);
    const state = new RoutingStateStore(options.db);
    const ports = new Map<string, number>();
    const traffic = new TrafficController({
      router: options.router,
      revisions,
      state,
      environments: () => environmentRouting(options.app, ports),
      tasks: () => options.supervisor.listTasks({ states: LIVE_TASK_STATES }),
      logger,
      intervalMs: options.syncIntervalMs,
    });
    this.revisions = revisions;
    this.traffic = traffic;
    this.#ctx = { o: options, revisions, state, traffic, ports };
  }

  /** The app this runs. */
  get app(): ResolvedApp {
    return this.#ctx.o.app;
  }

  /**
   * Gives every service of every environment its stable service-discovery
   * port (allocated once, then kept across restarts), pushes the routing,
   * and starts the routing safety net.
   */
  async start(): Promise<void> {
    await allocateServicePorts(this.#ctx);
    await this.traffic.sync();
    this.traffic.start();
  }

  /**
   * Follows a change of the app model: gives new services (and environments) their ports and
   * pushes the routing table (new listeners open, removed ones close, ingress rules move).
   */
  async refresh(): Promise<void> {
    await allocateServicePorts(this.#ctx);
    await this.traffic.sync();
  }

  /** Retires a service of an environment: out of the routing, then drained and stopped (idempotent). */
  retireService(environment: string, service: string): Promise<void> {
    return retireService(this.#ctx, environment, service);
  }

  /** Applies the model's scaling range to a service's running revisions, in place. */
  rescaleService(environment: string, service: string): Promise<void> {
    return rescaleService(this.#ctx, environment, service);
  }

  /** Stops the routing loop (tasks and router are left as they are). */
  close(): Promise<void> {
    return this.traffic.close();
  }

  /** The URL a task uses to reach a service of its environment: the router's stable listener. */
  serviceUrl(environment: string, service: string): string {
    return serviceUrl(this.#ctx, environment, service);
  }

  /** The routing view of each environment. */
  routing(): EnvironmentRouting[] {
    return environmentRouting(this.#ctx.o.app, this.#ctx.ports);
  }

  /** The task-set spec of a revision: the service's command, health and scaling, with its environment resolved. */
  taskSetSpec(r: TaskSetSource): TaskSetSpec {
    return taskSetSpec(this.#ctx, r);
  }

  /**
   * Runs a revision of a service (idempotent). The first revision of a
   * service gets all its traffic once it is registered; a later one starts
   * with 0% until weights are shifted to it.
   */
  startRevision(req: StartRevisionRequest): Promise<ServiceRevision> {
    return startRevision(this.#ctx, req);
  }

  /**
   * Shifts a service's traffic between its revisions. Weights are integers
   * summing to 100; a revision that is given traffic must have a healthy
   * task registered with the router, so a shift never sends requests nowhere.
   * Resolves once the router serves the new weights.
   */
  setWeights(environment: string, service: string, weights: Readonly<Record<string, number>>, reason = 'manual'): Promise<void> {
    return setWeights(this.#ctx, environment, service, weights, reason);
  }

  /** Sets the number of tasks of a running revision (idempotent). */
  scaleRevision(environment: string, service: string, revision: string, desiredCount: number): Promise<void> {
    return scaleRevision(this.#ctx, environment, service, revision, desiredCount);
  }

  /** Points the environment's test listener at a revision of the service (or at none). */
  setTestTraffic(environment: string, service: string, revision: string | undefined): Promise<void> {
    return setTestTraffic(this.#ctx, environment, service, revision);
  }

  /** The stored revisions of a service with their weights, and the health of their task sets. */
  describe(environment: string, service: string): ServiceDescription {
    return describeService(this.#ctx, environment, service);
  }

  /** What the router serves for the service now (`GET /admin/verify`), by revision. */
  verifyWeights(environment: string, service: string): Promise<VerifiedWeights> {
    return verifyWeights(this.#ctx, environment, service);
  }

  /** URL of the router's test listener of the service, when it has one open. */
  testUrl(environment: string, service: string): Promise<string | undefined> {
    return testUrl(this.#ctx, environment, service);
  }

  /** Desired, healthy and routed tasks of a revision; zeros when it has no task set. */
  revisionHealth(environment: string, service: string, revision: string): RevisionHealth {
    return revisionHealth(this.#ctx, environment, service, revision);
  }

  /** Stops a revision that has no traffic and forgets it. */
  stopRevision(environment: string, service: string, revision: string): Promise<void> {
    return stopRevision(this.#ctx, environment, service, revision);
  }

  /**
   * Replaces every task of a revision once, one at a time: start one more,
   * wait until the router sends it traffic, then retire the oldest. The
   * revision never has fewer healthy, routed tasks than it started with.
   */
  replaceTasks(environment: string, service: string, revision: string, timeoutMs = 60_000): Promise<void> {
    return replaceTasks(this.#ctx, environment, service, revision, timeoutMs);
  }

  /** Mirrors a share of the service's requests to a revision and has the router compare the answers (idempotent). */
  startShadow(request: ShadowRequest): Promise<void> {
    return startShadow(this.#ctx, request);
  }

  /** Stops the service's mirroring (idempotent). */
  stopShadow(environment: string, service: string): Promise<void> {
    return stopShadow(this.#ctx, environment, service);
  }

  /** The router's report of comparison `id` (`GET /admin/shadow/:id`). */
  shadowReport(id: string): Promise<ShadowReportDto> {
    return this.#ctx.o.router.shadowReport(id);
  }

  /** Environments, services, revisions with weights, and tasks. */
  status(): EnvironmentStatus[] {
    return environmentStatus(this.#ctx);
  }
}

import type { ServiceDescription, StartRevisionRequest, TrafficTarget, VerifiedWeights } from '../../src/deployments/index.js';
import { ConflictError, InputError, NotFoundError, type ResolvedApp } from '../../src/shared/index.js';

/** One call the engine made on the target, in the order it made them. */
export interface TargetCall {
  readonly op: 'startRevision' | 'scaleRevision' | 'setWeights' | 'verifyWeights' | 'setTestTraffic' | 'stopRevision';
  readonly environment: string;
  readonly service: string;
  readonly revision?: string;
  readonly desiredCount?: number;
  readonly weights?: Readonly<Record<string, number>>;
  /** What `verifyWeights` answered. */
  readonly verified?: VerifiedWeights;
}

interface Revision {
  readonly revision: string;
  readonly sourceDir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, number>>;
  weightPercent: number;
  testTraffic: boolean;
  desiredCount: number;
  /** Failed tasks in a row (set by a test, as a crash loop would grow it). */
  failureStreak: number;
}

/**
 * A second, complete kind of {@link TrafficTarget}, with no processes and no
 * router: a service's "revisions" are variants whose share of requests a
 * data plane (think of a feature-flag service) applies. Desired weights and
 * what the data plane serves are kept apart, so that a data plane that stops
 * applying changes ({@link freezeDataPlane}) is seen only through
 * `verifyWeights`, as with a real one. A revision is healthy as soon as it is
 * started, unless {@link crashWhenStarted} says otherwise. Every call is recorded.
 */
export class InMemoryTrafficTarget implements TrafficTarget {
  /** The calls made so far. */
  readonly calls: TargetCall[] = [];
  readonly #app: ResolvedApp;
  readonly #services = new Map<string, Map<string, Revision>>();
  readonly #served = new Map<string, VerifiedWeights>();
  #version = 0;
  #frozen = false;
  /** Revision → failure streak its tasks get as soon as it is started. */
  readonly #crashOnStart = new Map<string, number>();

  constructor(app: ResolvedApp) {
    this.#app = app;
  }

  /** From now on the data plane keeps serving what it serves: weight changes are accepted and stored, not applied. */
  freezeDataPlane(): void {
    this.#frozen = true;
  }

  /** Makes the tasks of `revision`, once it is started, fail `failureStreak` times in a row with none healthy (a crash loop). */
  crashWhenStarted(revision: string, failureStreak: number): void {
    this.#crashOnStart.set(revision, failureStreak);
  }

  describe(environment: string, service: string): ServiceDescription {
    return {
      environment,
      service,
      revisions: [...this.#revisions(environment, service).values()].map((r) => {
        const healthy = r.failureStreak === 0 ? r.desiredCount : 0;
        return {
          revision: r.revision,
          weightPercent: r.weightPercent,
          testTraffic: r.testTraffic,
          desiredCount: r.desiredCount,
          sourceDir: r.sourceDir,
          env: r.env,
          secrets: r.secrets,
          health: { desiredCount: r.desiredCount, healthyCount: healthy, routed: healthy > 0, failureStreak: r.failureStreak },
        };
      }),
    };
  }

  async startRevision(req: StartRevisionRequest): Promise<void> {
    const revisions = this.#revisions(req.environment, req.service);
    const desiredCount = req.desiredCount ?? this.#app.services[req.service]!.scaling.min;
    this.calls.push({ op: 'startRevision', environment: req.environment, service: req.service, revision: req.revision, desiredCount });
    const known = revisions.get(req.revision);
    if (known) {
      known.desiredCount = desiredCount;
      return;
    }
    const first = revisions.size === 0;
    revisions.set(req.revision, { revision: req.revision, sourceDir: req.sourceDir, env: req.env ?? {}, secrets: req.secrets ?? {}, weightPercent: first ? 100 : 0, testTraffic: false, desiredCount, failureStreak: this.#crashOnStart.get(req.revision) ?? 0 });
    this.#apply(req.environment, req.service);
  }

  async scaleRevision(environment: string, service: string, revision: string, desiredCount: number): Promise<void> {
    this.calls.push({ op: 'scaleRevision', environment, service, revision, desiredCount });
    this.#revision(environment, service, revision).desiredCount = desiredCount;
  }

  async setWeights(environment: string, service: string, weights: Readonly<Record<string, number>>): Promise<void> {
    this.calls.push({ op: 'setWeights', environment, service, weights: { ...weights } });
    const revisions = this.#revisions(environment, service);
    const sum = Object.values(weights).reduce((a, b) => a + b, 0);
    if (sum !== 100) throw new InputError('SLW_ERR_DEPLOY_WEIGHTS_INVALID', `weights must sum to 100, got ${sum}`);
    for (const [revision, w] of Object.entries(weights)) {
      const r = this.#revision(environment, service, revision);
      if (w > 0 && r.failureStreak > 0) throw new ConflictError('SLW_ERR_DEPLOY_NOT_READY', `revision "${revision}" of ${service} in ${environment} has no healthy task`);
    }
    for (const r of revisions.values()) r.weightPercent = weights[r.revision] ?? 0;
    this.#apply(environment, service);
  }

  async verifyWeights(environment: string, service: string): Promise<VerifiedWeights> {
    this.#revisions(environment, service);
    const verified = this.#served.get(`${environment}/${service}`) ?? { version: this.#version, weights: {} };
    this.calls.push({ op: 'verifyWeights', environment, service, verified });
    return verified;
  }

  async setTestTraffic(environment: string, service: string, revision: string | undefined): Promise<void> {
    this.calls.push({ op: 'setTestTraffic', environment, service, ...(revision === undefined ? {} : { revision }) });
    for (const r of this.#revisions(environment, service).values()) r.testTraffic = r.revision === revision;
  }

  async stopRevision(environment: string, service: string, revision: string): Promise<void> {
    this.calls.push({ op: 'stopRevision', environment, service, revision });
    const r = this.#revision(environment, service, revision);
    if (r.weightPercent > 0) throw new ConflictError('SLW_ERR_DEPLOY_HAS_TRAFFIC', `revision "${revision}" of ${service} in ${environment} still has ${r.weightPercent}% of the traffic`);
    this.#revisions(environment, service).delete(revision);
    this.#apply(environment, service);
  }

  serviceUrl(environment: string, service: string): string {
    this.#revisions(environment, service);
    return `memory://${environment}/${service}`;
  }

  async testUrl(environment: string, service: string): Promise<string | undefined> {
    const on = [...this.#revisions(environment, service).values()].some((r) => r.testTraffic);
    return on ? `memory://${environment}/${service}/test` : undefined;
  }

  /** The data plane takes the desired weights (a new version), unless it is frozen. */
  #apply(environment: string, service: string): void {
    if (this.#frozen) return;
    const weights = Object.fromEntries([...this.#revisions(environment, service).values()].map((r) => [r.revision, r.weightPercent]));
    this.#served.set(`${environment}/${service}`, { version: ++this.#version, weights });
  }

  #revisions(environment: string, service: string): Map<string, Revision> {
    if (!this.#app.environments[environment]) throw new NotFoundError('SLW_ERR_DEPLOY_ENVIRONMENT_NOT_FOUND', `no environment "${environment}"`);
    if (!this.#app.services[service]) throw new NotFoundError('SLW_ERR_DEPLOY_SERVICE_NOT_FOUND', `no service "${service}"`);
    const key = `${environment}/${service}`;
    let revisions = this.#services.get(key);
    if (!revisions) this.#services.set(key, (revisions = new Map()));
    return revisions;
  }

  #revision(environment: string, service: string, revision: string): Revision {
    const r = this.#revisions(environment, service).get(revision);
    if (!r) throw new NotFoundError('SLW_ERR_DEPLOY_REVISION_NOT_FOUND', `no revision "${revision}" of ${service} in ${environment}`);
    return r;
  }
}

import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/index.js';
import {
  ConflictError,
  InputError,
  NotFoundError,
  parseInput,
  resolveStrategy,
  serviceIn,
  servicesIn,
  strategySchema,
  type CreateDeploymentBody,
  type DeploymentDecisionBody,
  type HookName,
  type ResolvedApp,
  type ResolvedStrategy,
  type DeploymentShadowDto,
  type ShadowReportDto,
} from '../shared/index.js';
import { isTerminal, type AnalysisConfig, type Deployment, type DeploymentKind } from './model.js';
import type { Reconciler } from './reconciler.js';
import type { DeploymentRecorder } from './recorder.js';
import type { DeployLogStore, DeployLogEntry } from './store/deploy-log-store.js';
import type { DeploymentFilter, DeploymentStore } from './store/deployment-store.js';
import { planDeployment, promotedPlan } from './strategies/plan-deployment.js';
import type { TrafficTarget } from './target/traffic-target.js';
import { baseRevision, pinSecrets, revisionWithPins, samePins, type SecretPins, type SecretVersions } from './secret-pins.js';
import { shadowId, type ShadowTarget } from './target/shadow-target.js';

/** What {@link DeploymentService} needs. */
export interface DeploymentServiceOptions {
  readonly app: ResolvedApp;
  /** What carries the services' traffic: where the current revisions and weights are read. */
  readonly target: TrafficTarget;
  readonly store: DeploymentStore;
  readonly logs: DeployLogStore;
  readonly recorder: DeploymentRecorder;
  readonly reconciler: Reconciler;
  readonly clock: Clock;
  /** The app's directory: the source of a deployment that names none. */
  readonly appDir: string;
  /** Where the current versions of the services' secrets are read. @default none (a service that declares secrets cannot be deployed) */
  readonly secrets?: SecretVersions;
  /** Where shadow steps mirror requests. @default none (a strategy with a shadow step is refused) */
  readonly shadow?: ShadowTarget;
}

/** What a deployment started by slipway itself (a rotation, a rollback) fixes beyond the request. */
export interface DeploymentOrigin {
  /** The secret versions of the new revision. @default the current version of each secret the service declares */
  readonly secrets?: SecretPins;
  /** Why it was started, in its `deployment.created` event. @default "requested" */
  readonly reason?: string;
}

/** A deployment with its log, as `GET /api/v1/deployments/:id` returns it. */
export interface DeploymentDetail extends Deployment {
  readonly logs: readonly DeployLogEntry[];
}

/**
 * The deployment use-cases the API and the CLI call: start, promote, abort,
 * pause, resume, roll back. Each validates first and applies nothing when
 * the request is refused; the reconciler does the work.
 */
export class DeploymentService {
  constructor(private readonly o: DeploymentServiceOptions) {}

  /** Starts a deployment; 404 for an unknown service or environment, 400 for bad input, 409 when one is active. */
  start(body: CreateDeploymentBody, kind: DeploymentKind = 'Deploy', rollbackOf: number | null = null, origin: DeploymentOrigin = {}): Deployment {
    const { app, target } = this.o;
    const env = app.environments[body.environment];
    if (!env) throw new NotFoundError('SLW_ERR_DEPLOY_ENVIRONMENT_NOT_FOUND', `no environment "${body.environment}" (known: ${Object.keys(app.environments).join(', ')})`);
    const svc = serviceIn(app, env.name, body.service);
    if (!svc) throw new NotFoundError('SLW_ERR_DEPLOY_SERVICE_NOT_FOUND', `no service "${body.service}" in ${env.name} (known: ${Object.keys(servicesIn(app, env.name)).join(', ')})`);
    const strategy = body.strategy === undefined ? env.strategy : compileStrategy(body.strategy, { hasTestPort: env.testPort !== undefined, rollbackOn: env.rollbackOn });
    const sourceDir = path.resolve(body.sourceDir ?? this.o.appDir);
    const serviceDir = path.resolve(sourceDir, svc.path);
    // A container service given its image needs nothing of the service's folder: the ECS deploy of a
    // container build gets an artifact holding only imagedefinitions.json.
    const runsImage = body.image !== undefined && svc.runtime === 'container';
    for (const dir of runsImage ? [sourceDir] : [sourceDir, serviceDir]) {
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        const message = dir === sourceDir ? `${dir} is not a directory` : `${dir} (the ${svc.name} service in ${sourceDir}) is not a directory`;
        throw new InputError('SLW_ERR_DEPLOY_SOURCE_NOT_FOUND', `body.sourceDir: ${message}`, { issues: [{ path: 'body.sourceDir', message }] });
      }
    }
    if (body.image !== undefined && svc.runtime !== 'container') {
      const message = `${svc.name} runs as processes (runtime: 'process'); only a container service runs an image`;
      throw new InputError('SLW_ERR_DEPLOY_IMAGE_INVALID', `body.image: ${message}`, { issues: [{ path: 'body.image', message }] });
    }
    const revisions = target.describe(env.name, svc.name).revisions;
    const weighted = revisions.filter((r) => r.weightPercent > 0);
    if (weighted.length > 1) {
      throw new ConflictError('SLW_ERR_DEPLOY_TRAFFIC_SPLIT', `${svc.name} in ${env.name} splits its traffic between ${weighted.map((r) => `${r.revision} (${r.weightPercent}%)`).join(', ')}; set one revision to 100% first`);
    }
    const from = weighted[0];
    const secrets = origin.secrets ?? pinSecrets(svc, env.name, this.o.secrets);
    // Deploying what already serves 100 % (the same code with the same secret versions) changes nothing: it succeeds
    // at once, recorded as unchanged (as `kubectl apply` says "unchanged"), so the pipeline's first run of the commit
    // `slipway up` started is green.
    const unchanged = kind === 'Deploy' && from !== undefined && baseRevision(from.revision) === baseRevision(body.revision) && samePins(from.secrets, secrets);
    // The same code with other secret versions is another revision (another task set): its id gets a suffix.
    const known = revisions.find((r) => r.revision === body.revision);
    const toRevision = unchanged ? from.revision : known && !samePins(known.secrets, secrets) ? revisionWithPins(body.revision, secrets) : body.revision;
    const desiredCount = Math.max(1, from?.desiredCount ?? svc.scaling.min);
    const analysis = compileAnalysis(strategy, body.analysis);
    const plan = unchanged
      ? []
      : planDeployment(strategy, {
          desiredCount,
          hooks: new Set(Object.keys(env.hooks) as HookName[]),
          hasTestListener: env.testPort !== undefined,
          analysis: analysis !== undefined,
          first: from === undefined,
        });
    if (this.o.shadow === undefined && plan.some((s) => s.type === 'shadow')) {
      throw new InputError('SLW_ERR_DEPLOY_SHADOW_UNSUPPORTED', `body.strategy.shadow: the traffic target of ${svc.name} in ${env.name} cannot mirror requests`, { issues: [{ path: 'body.strategy.shadow', message: 'this traffic target cannot mirror requests' }] });
    }
    const now = this.o.clock.now();
    const d = this.o.store.insert({
      ...(env.requiresApproval && !unchanged ? { approval: { status: 'Pending', requestedAtMs: now, decidedAtMs: null, by: null, comment: null } } : {}),
      kind,
      service: svc.name,
      environment: env.name,
      fromRevision: from?.revision ?? null,
      fromSourceDir: from?.sourceDir ?? null,
      fromEnv: from?.env ?? {},
      fromSecrets: from?.secrets ?? {},
      toRevision,
      sourceDir,
      ...(body.image !== undefined ? { image: body.image } : {}),
      env: body.env ?? {},
      secrets,
      strategy,
      analysis,
      desiredCount,
      plan,
      // Nothing to approve in a deployment that changes nothing.
      state: env.requiresApproval && !unchanged ? 'AwaitingApproval' : 'Created',
      stepIndex: 0,
      stepActed: false,
      stepStartedAtMs: null,
      weights: Object.fromEntries(revisions.map((r) => [r.revision, r.weightPercent])),
      pausedReason: null,
      pausedBy: null,
      stepHistory: [],
      message: null,
      rollback: null,
      analysisRuns: [],
      hooks: [],
      baseline: null,
      baselineAtMs: null,
      failedRuns: 0,
      inconclusiveRuns: 0,
      rollbackOf,
      createdAtMs: now,
      updatedAtMs: now,
      finishedAtMs: null,
    });
    this.o.recorder.emit(d, 'deployment.created', { strategy: strategy.kind, plan, reason: origin.reason ?? (kind === 'Rollback' ? `rollback of deployment ${rollbackOf}` : 'requested') });
    if (unchanged) {
      const reason = `revision "${toRevision}" already serves all of ${svc.name} in ${env.name}${svc.secrets.length > 0 ? ' with the same secret versions' : ''}`;
      const done = this.o.recorder.save(d, { state: 'Succeeded', finishedAtMs: now, message: `unchanged: ${reason}` });
      this.o.recorder.emit(done, 'deployment.succeeded', { durationMs: 0, unchanged: true, reason });
      return done;
    }
    if (d.approval) {
      this.o.recorder.emit(d, 'deployment.approval.requested', { reason: `environment ${env.name} requires an approval` });
      return d;
    }
    this.o.reconciler.kick(d.id);
    return d;
  }

  /** Deployments, newest first. */
  list(filter: DeploymentFilter = {}): Deployment[] {
    return this.o.store.list(filter);
  }

  /** One deployment with its log. */
  get(id: number): DeploymentDetail {
    return { ...this.o.store.get(id), logs: this.o.logs.list(id) };
  }

  /** The deployment's shadow runs, and the report so far of the shadow step under way (read from the data plane). */
  async shadow(id: number): Promise<DeploymentShadowDto> {
    const d = this.o.store.get(id);
    const step = d.plan[d.stepIndex];
    let live: ShadowReportDto | null = null;
    if (step?.type === 'shadow' && d.stepActed && !isTerminal(d.state) && this.o.shadow !== undefined) {
      // A report the data plane does not have (yet) is no error here: the step's verdict deals with that.
      live = await this.o.shadow.shadowReport(shadowId(d.id, d.stepIndex)).catch(() => null);
    }
    return { deploymentId: d.id, runs: d.shadowRuns ?? [], live };
  }

  /** Approves a deployment waiting for its approval: it starts (state `Created`, then the plan runs). 409 when it is not waiting. */
  approve(id: number, input: DeploymentDecisionBody = {}): Promise<Deployment> {
    return this.#command(id, (d) => {
      const approval = this.#decide(d, 'Approved', input);
      const next = this.o.recorder.save(d, { state: 'Created', approval });
      this.o.recorder.emit(next, 'deployment.approved', { by: approval.by, comment: approval.comment, reason: `approved by ${approval.by}` });
      return next;
    });
  }

  /** Rejects a deployment waiting for its approval: it ends `Rejected`, nothing started and no traffic moved. 409 when it is not waiting. */
  reject(id: number, input: DeploymentDecisionBody = {}): Promise<Deployment> {
    return this.#command(id, (d) => {
      const approval = this.#decide(d, 'Rejected', input);
      const reason = `rejected by ${approval.by}${approval.comment ? `: ${approval.comment}` : ''}`;
      const next = this.o.recorder.save(d, { state: 'Rejected', approval, finishedAtMs: approval.decidedAtMs, message: reason });
      this.o.recorder.emit(next, 'deployment.rejected', { by: approval.by, comment: approval.comment, reason });
      return next;
    });
  }

  /** Skips the remaining waits and traffic steps: the new revision gets all traffic now. */
  promote(id: number): Promise<Deployment> {
    return this.#command(id, (d) => {
      this.#refuseUnapproved(d, 'promoted');
      if (d.rollback) throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${id} is rolling back`);
      const current = d.plan[d.stepIndex];
      const rest = promotedPlan(d.plan, d.stepIndex);
      const keepsCurrent = current !== undefined && JSON.stringify(rest[0]) === JSON.stringify(current);
      const next = this.o.recorder.save(d, {
        plan: [...d.plan.slice(0, d.stepIndex), ...rest],
        stepActed: keepsCurrent && d.stepActed,
        state: d.state === 'Created' ? 'Created' : 'InProgress',
        pausedBy: null,
        pausedReason: null,
      });
      this.o.recorder.emit(next, 'deployment.promoted', { plan: next.plan, reason: 'promoted by user' });
      return next;
    });
  }

  /** Rolls an active deployment back; it ends Stopped. */
  abort(id: number): Promise<Deployment> {
    this.o.reconciler.noteTrigger(id);
    return this.#command(id, (d) => {
      if (d.state === 'AwaitingApproval') {
        // Nothing ran yet, so there is nothing to roll back: it just ends.
        const stopped = this.o.recorder.save(d, { state: 'Stopped', finishedAtMs: this.o.clock.now(), message: 'aborted by user before its approval' });
        this.o.recorder.emit(stopped, 'deployment.stopped', { reason: 'aborted by user before its approval' });
        return stopped;
      }
      if (d.rollback) return d;
      const next = this.o.recorder.save(d, { rollback: { reason: 'aborted by user', trigger: 'abort', finalState: 'Stopped', requestedAtMs: this.o.clock.now(), rollbackMs: null } });
      this.o.recorder.emit(next, 'deployment.rollback.started', { trigger: 'abort', reason: 'aborted by user' });
      return next;
    });
  }

  /** Holds an active deployment where it is (alarms are not acted on while paused). */
  pause(id: number): Promise<Deployment> {
    return this.#command(id, (d) => {
      if (d.state === 'Paused') return d;
      this.#refuseUnapproved(d, 'paused');
      if (d.rollback) throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${id} is rolling back`);
      const next = this.o.recorder.save(d, { state: 'Paused', pausedBy: 'user', pausedReason: 'paused by user' });
      this.o.recorder.emit(next, 'deployment.paused', { reason: 'paused by user' });
      return next;
    });
  }

  /**
   * Resumes a paused deployment. After a user pause a wait starts again; after
   * an analysis pause the step is accepted and the rollout goes on.
   */
  resume(id: number): Promise<Deployment> {
    return this.#command(id, (d) => {
      if (d.state !== 'Paused') throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${id} is ${d.state}, not Paused`);
      const step = d.plan[d.stepIndex];
      const isWait = step?.type === 'wait';
      // After an Inconclusive analysis or shadow comparison, resuming accepts the step.
      const accept = (isWait || step?.type === 'shadow') && d.pausedBy === 'analysis';
      const now = this.o.clock.now();
      const next = this.o.recorder.save(d, {
        state: step?.type === 'wait' ? step.phase : 'InProgress',
        pausedBy: null,
        pausedReason: null,
        inconclusiveRuns: 0,
        ...(accept ? { stepIndex: d.stepIndex + 1, stepActed: false, stepStartedAtMs: now } : isWait ? { stepActed: false } : {}),
      });
      this.o.recorder.emit(next, 'deployment.resumed', { reason: accept ? 'resumed by user: analysis step accepted' : 'resumed by user' });
      return next;
    });
  }

  /** Redeploys the revision a finished deployment replaced (a new deployment of kind Rollback, all at once). */
  rollback(id: number): Deployment {
    const d = this.o.store.get(id);
    if (d.state !== 'Succeeded') throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${id} is ${d.state}; only a Succeeded deployment can be rolled back (abort an active one)`);
    if (d.fromRevision === null || d.fromSourceDir === null) throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${id} was a first deployment; there is no previous revision`);
    const serving = this.o.target.describe(d.environment, d.service).revisions.find((r) => r.weightPercent === 100);
    if (serving?.revision !== d.toRevision) throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `${d.service} in ${d.environment} no longer runs ${d.toRevision} (it runs ${serving?.revision ?? 'a traffic split'})`);
    return this.start(
      { service: d.service, environment: d.environment, revision: d.fromRevision, sourceDir: d.fromSourceDir, env: { ...d.fromEnv }, strategy: 'CodeDeployDefault.AllAtOnce' },
      'Rollback',
      d.id,
      // The old revision comes back with the secret versions it had.
      d.fromSecrets === undefined ? {} : { secrets: d.fromSecrets },
    );
  }

  /** Resumes every active deployment (after a control-plane start). */
  resumeAll(): number {
    return this.o.reconciler.resumeAll();
  }

  #decide(d: Deployment, status: 'Approved' | 'Rejected', input: DeploymentDecisionBody) {
    if (d.state !== 'AwaitingApproval' || !d.approval) {
      const after = d.approval && d.approval.status !== 'Pending' ? ` (${d.approval.status.toLowerCase()} by ${d.approval.by ?? '?'})` : '';
      throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${d.id} is ${d.state}${after}, not AwaitingApproval; only a deployment waiting for its approval can be approved or rejected`);
    }
    return { ...d.approval, status, decidedAtMs: this.o.clock.now(), by: input.by ?? 'api', comment: input.comment ?? null };
  }

  #refuseUnapproved(d: Deployment, verb: string): void {
    if (d.state === 'AwaitingApproval') throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${d.id} is AwaitingApproval; it cannot be ${verb} before it is approved (slipway deployments approve ${d.id})`);
  }

  async #command(id: number, fn: (d: Deployment) => Deployment): Promise<Deployment> {
    const next = await this.o.reconciler.exclusive(id, async () => {
      const d = this.o.store.get(id);
      if (isTerminal(d.state)) {
        throw new ConflictError('SLW_ERR_DEPLOY_INVALID_STATE', `deployment ${id} is ${d.state}`);
      }
      return fn(d);
    });
    this.o.reconciler.kick(id);
    return next;
  }
}

function compileStrategy(input: unknown, context: { hasTestPort: boolean; rollbackOn: readonly string[] }): ResolvedStrategy {
  return resolveStrategy(parseInput(strategySchema, input, 'body.strategy', 'SLW_ERR_DEPLOY_STRATEGY_INVALID'), context);
}

function compileAnalysis(strategy: ResolvedStrategy, override: CreateDeploymentBody['analysis']): AnalysisConfig | undefined {
  const base = strategy.kind === 'Canary' || strategy.kind === 'Linear' ? strategy.analysis : undefined;
  if (!base && !override) return undefined;
  if (strategy.kind !== 'Canary' && strategy.kind !== 'Linear') return undefined;
  return {
    maxErrorRatePercent: override?.maxErrorRatePercent ?? base?.maxErrorRatePercent,
    maxErrorRateIncreasePercent: override?.maxErrorRateIncreasePercent,
    maxLatencyP99Ms: override?.maxLatencyP99Ms ?? base?.maxLatencyP99Ms,
    maxLatencyP99Ratio: override?.maxLatencyP99Ratio,
    minRequestCount: override?.minRequestCount ?? base?.minRequestCount ?? 10,
    failureLimit: override?.failureLimit ?? 0,
    inconclusiveLimit: override?.inconclusiveLimit ?? 0,
  };
}

import path from 'node:path';
import { exec, readDefinitionAt, type EventLog, type Logger } from '../core/index.js';
import type { DeploymentEngine, LocalEnvironments, SecretVersions } from '../deployments/index.js';
import type {
  IacStore} from '../iac/index.js';
import {
  APP_SCOPE,
  DriftDetector,
  InfrastructureAsCode,
  LiveModel,
  envScope,
  formatChangeSet,
  appliedVersionDto,
  iacRoutes,
  liveResources,
  desiredResources,
  planChanges,
  scopeOf,
  summarize,
  type StoredPlan,
} from '../iac/index.js';
import type { Planner } from '../pipelines/index.js';
import { formatIssues, validateApp, type ResolvedApp } from '../shared/index.js';
import type { Db } from '../core/index.js';
import type { RoutesPlugin } from './build-server.js';
import { localLiveSystem } from './iac-system.js';

/**
 * The live model at start: each scope's last applied model from the store; on a first start
 * (nothing applied yet) the app definition `slipway up` loaded becomes the applied model of
 * every scope. A definition that differs from what is applied is not applied by a restart: it
 * is a plan (`slipway plan`), applied through the pipeline or `slipway apply`.
 */
export async function openLiveModel(store: IacStore, app: ResolvedApp, appDir: string): Promise<LiveModel> {
  const applied = store.applied();
  if (applied.length === 0 || !applied.some((a) => a.version.scope === APP_SCOPE)) {
    const commit = await headCommit(appDir);
    const now = Date.now();
    const scopes = [APP_SCOPE, ...Object.keys(app.environments).map(envScope)];
    store.transaction(() => {
      for (const scope of scopes) store.setApplied({ scope, commit, appliedAtMs: now, by: 'slipway up', planId: null, runId: null }, app);
    });
    return new LiveModel(new Map(scopes.map((s) => [s, app])));
  }
  return new LiveModel(new Map(applied.map((a) => [a.version.scope, a.model])));
}

async function headCommit(dir: string): Promise<string | null> {
  const r = await exec('git', ['rev-parse', 'HEAD'], { cwd: dir, timeoutMs: 5000 }).catch(() => undefined);
  const sha = r?.code === 0 ? r.stdout.trim() : '';
  return /^[0-9a-f]{40}$/.test(sha) ? sha : null;
}

/** Options of {@link startIac}. */
export interface IacWiringOptions {
  readonly db: Db;
  readonly live: LiveModel;
  readonly store: IacStore;
  readonly events: EventLog;
  readonly logger: Logger;
  readonly environments: LocalEnvironments;
  readonly deployments: DeploymentEngine;
  readonly secrets: SecretVersions | undefined;
  /** The app definition's directory and file: where a commit's model is read from. */
  readonly appDir: string;
  readonly appFile: string;
  /** Time between two drift detections. @default 10000 */
  readonly driftIntervalMs?: number;
}

/** What a deploy action needs before it deploys an environment. */
export interface DeployPreparation {
  /** The services the environment runs after the apply. */
  readonly services: readonly string[];
  /** Services whose definition changed in a way that needs new tasks (or that are new). */
  readonly rolling: ReadonlySet<string>;
  /** The revision serving all of each service's traffic, where one does. */
  readonly serving: Readonly<Record<string, string>>;
}

/** Infrastructure as code, wired into the control plane. */
export interface IacWiring {
  readonly iac: InfrastructureAsCode;
  readonly drift: DriftDetector;
  readonly routes: RoutesPlugin;
  /** Plan actions of the pipeline. */
  readonly planner: Planner;
  /**
   * Before a deploy action deploys an environment: the run's plan (made now when the run has no
   * plan action, or when it rolls back to an earlier commit), its app-wide part applied once, then
   * the environment's part. Throws when the model is invalid, the plan is stale or destructive, or
   * a change fails.
   */
  prepareDeploy(req: { runId: number; commitSha: string; environment: string; rollback: boolean }): Promise<DeployPreparation>;
  /** Resumes applies a previous control plane left in progress, then starts drift detection. */
  start(): Promise<void>;
  status(): Record<string, unknown>;
  close(): Promise<void>;
}

/** Wires plans, applies, drift and their API over the local runtime. */
export function startIac(o: IacWiringOptions): IacWiring {
  const system = localLiveSystem(o.environments, o.deployments, o.secrets);
  const iac = new InfrastructureAsCode({ store: o.store, live: o.live, system, events: o.events, logger: o.logger.child('iac') });
  const drift = new DriftDetector({ live: o.live, system, store: o.store, events: o.events, logger: o.logger.child('drift'), ...(o.driftIntervalMs !== undefined ? { intervalMs: o.driftIntervalMs } : {}) });
  const relFile = path.relative(o.appDir, o.appFile).split(path.sep).join('/');
  let unsubscribe: (() => void) | undefined;

  /** The model at a commit, validated with the messages `slipway validate` prints. */
  async function modelAt(commitSha: string): Promise<{ ok: true; app: ResolvedApp; source: string } | { ok: false; lines: string[]; message: string }> {
    const source = `${relFile}@${commitSha.slice(0, 12)}`;
    let definition: unknown;
    try {
      ({ definition } = await readDefinitionAt({ repoDir: o.appDir, file: o.appFile, ref: commitSha }));
    } catch (err) {
      return { ok: false, lines: [(err as Error).message], message: (err as Error).message };
    }
    const v = validateApp(definition);
    if (!v.ok) {
      const text = formatIssues(v.issues, source);
      return { ok: false, lines: text.split('\n'), message: `the app model at ${commitSha.slice(0, 12)} is invalid:\n${text}` };
    }
    return { ok: true, app: v.app, source };
  }

  const planner: Planner = {
    async plan(req) {
      const model = await modelAt(req.commitSha);
      if (!model.ok) return { status: 'Failed', lines: model.lines, message: model.message };
      const plan = await iac.plan(model.app, { commit: req.commitSha, runId: req.runId, source: model.source });
      const lines = formatChangeSet(plan.changeSet);
      const base = { planId: plan.id, lines, summary: summarize(plan.changeSet), changeSet: plan.changeSet };
      if (plan.changeSet.destructive.length > 0 && !req.allowDestroy && !req.approvalFollows) {
        return { ...base, status: 'Failed', message: `the plan needs confirmation: ${plan.changeSet.destructive.join('; ')} (set allowDestroy on the plan action, or put an approval after it)` };
      }
      return { ...base, status: 'Succeeded' };
    },
  };

  async function prepareDeploy(req: { runId: number; commitSha: string; environment: string; rollback: boolean }): Promise<DeployPreparation> {
    let plan: StoredPlan | undefined = req.rollback ? undefined : iac.planOfRun(req.runId);
    // A plan action that succeeded on a destructive plan was confirmed (allowDestroy, or the approval after it).
    let confirmed = plan !== undefined;
    if (plan !== undefined && plan.commit !== req.commitSha) plan = undefined;
    if (plan === undefined) {
      const model = await modelAt(req.commitSha);
      if (!model.ok) throw new Error(model.message);
      plan = await iac.plan(model.app, { commit: req.commitSha, runId: req.runId, source: model.source });
      confirmed = false;
    }
    const by = `pipeline run ${req.runId}`;
    await iac.applyScope(plan, APP_SCOPE, { by, runId: req.runId, allowDestroy: confirmed });
    await iac.applyScope(plan, envScope(req.environment), { by, runId: req.runId, allowDestroy: confirmed });
    const rolling = new Set<string>();
    for (const c of plan.changeSet.changes) {
      if (c.type !== 'service' || scopeOf(c.resourceId) !== envScope(req.environment)) continue;
      if (c.action === 'Add' || (c.action === 'Modify' && c.effect !== 'in-place')) rolling.add(c.resourceId.split('/')[2]!);
    }
    const services = Object.keys(o.live.view.environments[req.environment]?.services ?? o.live.view.services);
    const serving: Record<string, string> = {};
    for (const service of services) {
      const full = o.environments.describe(req.environment, service).revisions.find((r) => r.weightPercent === 100);
      if (full) serving[service] = full.revision;
    }
    return { services, rolling, serving };
  }

  return {
    iac,
    drift,
    routes: iacRoutes({ iac, drift, live: o.live }),
    planner,
    prepareDeploy,
    async start() {
      const resumed = await iac.resume();
      if (resumed.length > 0) o.logger.info('resumed applies', { count: resumed.length });
      // A rollback someone asked for (the CLI, the API, an incident's mitigation) is deliberate:
      // its service is overridden for an hour, so drift on it is reported but not healed mid-incident.
      unsubscribe = o.events.subscribe((e) => {
        if (e.type !== 'deployment.created') return;
        const d = e.data as { kind?: string; service?: string; environment?: string; deploymentId?: number; reason?: string | null };
        if (d.kind !== 'Rollback' || d.service === undefined || d.environment === undefined) return;
        const { service, environment } = d;
        queueMicrotask(() => {
          try {
            drift.recordOverride({ environment, resourceId: `service/${environment}/${service}`, reason: `rollback deployment ${d.deploymentId ?? '?'}${d.reason ? `: ${d.reason}` : ''}`, by: 'slipway' });
          } catch (err) {
            o.logger.warn('no override recorded for a rollback', { error: (err as Error).message });
          }
        });
      });
      drift.start();
    },
    status() {
      return { scopes: iac.versions().map(appliedVersionDto) };
    },
    close: () => {
      unsubscribe?.();
      return drift.close();
    },
  };
}

/** How many changes the definition on disk has against the applied state (what `slipway plan` would show). */
export function pendingChanges(live: LiveModel, app: ResolvedApp): number {
  return planChanges(desiredResources(app), liveResources(live)).changes.length;
}

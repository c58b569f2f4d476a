import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SerialQueue, silentLogger, systemClock, type Clock, type Db, type EventLog, type Logger } from '../core/index.js';
import type { LocalRegistry } from '../images/index.js';
import { InputError, NotFoundError, type PipelineLogLineDto, type PipelineRunDto, type PipelineRunSummaryDto, type ResolvedApp } from '../shared/index.js';
import { ArtifactStore } from './artifacts/index.js';
import type { ActionServices } from './engine/actions/action-context.js';
import { PipelineEngine } from './engine/engine.js';
import { isTerminal, type TriggerKind } from './engine/model.js';
import type { AlarmStates, Deployer, Ingresses, Planner } from './engine/ports.js';
import { toRunDto, toRunSummaryDto } from './engine/run-dto.js';
import { RunStore, type RunFilter } from './engine/run-store.js';
import { pipelineRoutes } from './routes.js';
import { listKnownSecrets, type SecretStore } from './secrets/index.js';
import { handleGithubWebhook, type GithubPush, type GithubWebhookRequest } from './triggers/github-webhook.js';
import { planStages } from './triggers/plan-stages.js';
import { startPolling, type PollingLoop } from './triggers/poller.js';
import { parseRef, refMatchesTrigger } from './triggers/ref-filter.js';
import { decideHead } from './triggers/decide-head.js';
import { claimHead, forgetHead, recordedHead, wasBuilt } from './triggers/source-heads.js';
import { SourceRepo } from './triggers/source-repo.js';
import { forgetDelivery, recordDelivery } from './triggers/webhook-deliveries.js';

/** The secret-store name of the GitHub webhook secret, when `webhookSecret` is not given. */
export const GITHUB_WEBHOOK_SECRET_NAME = 'github-webhook-secret';

/** Options of {@link createPipelines}. */
export interface PipelinesOptions {
  /** The resolved app; its `pipeline` drives runs (without one, only artifacts are served). */
  readonly app: ResolvedApp;
  /** The git repository (or a folder inside one) runs build from: where slipway.config.ts is. */
  readonly repoDir: string;
  /** The control plane's database, with `pipelineMigrations` applied. */
  readonly db: Db;
  readonly events: EventLog;
  /** The data directory: `workspaces/`, `artifacts/` and `releases/` go under it. */
  readonly dataDir: string;
  /** Secrets for buildspecs; every value it can list (and every field of a JSON one) is masked in all the engine stores and emits. */
  readonly secrets: SecretStore;
  /** @default an ArtifactStore over `<dataDir>/artifacts` and `db` */
  readonly artifacts?: ArtifactStore;
  /** Deploy actions go through it (the composition root wires the deployment engine). */
  readonly deployer: Deployer;
  /** Plan actions go through it (the composition root wires infrastructure as code). @default none: plan actions fail */
  readonly planner?: Planner;
  /** Load tests find the environments' ingress listeners through it (the composition root wires the router). @default none: load tests fail */
  readonly ingresses?: Ingresses;
  /** Alarm states for stage `beforeEntry` conditions. @default none: every alarm counts as not in ALARM */
  readonly alarms?: AlarmStates;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** The GitHub webhook secret. @default the secret store's `github-webhook-secret` */
  readonly webhookSecret?: string;
  /** Polling period; 0 turns polling off. @default the pipeline's `trigger.pollIntervalMs` */
  readonly pollIntervalMs?: number;
  /** Run `npm audit` in scan actions (it needs the registry). @default true */
  readonly scanAudit?: boolean;
  /** The local registry image actions push to and builds' `docker` command uses. @default none: image actions fail */
  readonly images?: LocalRegistry;
  /** Artifact digests in use outside pipelines (running revisions), kept by prune. @default none */
  readonly artifactsInUse?: () => Iterable<string>;
}

/** Filters of a logs read. */
export interface PipelineLogsQuery {
  /** An action's name or `<stage>.<action>`. */
  readonly action?: string;
  readonly after?: number;
  readonly limit?: number;
  /** Long-poll: wait up to this long for a line when none is there yet. @default 0 */
  readonly waitMs?: number;
}

/** The pipelines context as the composition root sees it. */
export interface Pipelines {
  /** Resumes unfinished runs, then polls the repository every poll interval. */
  start(): Promise<void>;
  /** The API routes: `/api/v1/pipeline/...`, `/api/v1/webhooks/github`, `/api/v1/artifacts...`. */
  readonly routes: (app: FastifyInstance) => void;
  /** Starts a run by hand: `revision` (sha, branch or tag; default the head of `branch`), `branch` (default the first plain trigger branch, else main). */
  run(input?: { revision?: string; branch?: string }): Promise<PipelineRunDto>;
  approve(runId: number, input?: { by?: string; comment?: string; action?: string }): PipelineRunDto;
  reject(runId: number, input?: { by?: string; comment?: string; action?: string }): PipelineRunDto;
  /** Stops a run in progress; resolves once it is Stopped. */
  cancel(runId: number): Promise<PipelineRunDto>;
  /** Runs the failed stage of a Failed or Stopped run again. */
  retry(runId: number): PipelineRunDto;
  getRun(runId: number): PipelineRunDto;
  listRuns(filter?: RunFilter): PipelineRunSummaryDto[];
  /** Stored log lines of a run; with `waitMs`, waits for the next line when there is none. */
  logs(runId: number, query?: PipelineLogsQuery): Promise<{ lines: PipelineLogLineDto[]; nextAfter: number; done: boolean }>;
  /** Handles a GitHub webhook delivery (the route calls it with the raw body). */
  handleGithubWebhook(req: GithubWebhookRequest): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Polls the repository once now. */
  pollNow(): Promise<void>;
  /** Resolves when the run is no longer being driven. */
  settled(runId: number): Promise<void>;
  /** What `GET /api/v1/status` shows. */
  status(): Record<string, unknown>;
  readonly artifacts: ArtifactStore;
  /** Stops polling and driving runs; unfinished runs stay stored for the next start to resume. */
  close(): Promise<void>;
}

/**
 * Builds the pipelines context: triggers (git polling, GitHub webhook), the
 * run engine, approvals, artifacts and their API. Nothing runs until `start()`.
 */
export function createPipelines(options: PipelinesOptions): Pipelines {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child('pipelines');
  // Read at each use: an applied commit can change the pipeline; a run keeps the stages it started with.
  const current = () => options.app.pipeline;
  const pipeline = current();
  const repo = new SourceRepo(options.repoDir);
  const artifacts = options.artifacts ?? new ArtifactStore({ db: options.db, dir: path.join(options.dataDir, 'artifacts'), events: options.events, clock });
  const readStore = new RunStore(options.db);
  const services: ActionServices = {
    app: options.app,
    repo,
    workspacesDir: path.join(options.dataDir, 'workspaces'),
    releasesDir: path.join(options.dataDir, 'releases'),
    secrets: options.secrets,
    artifacts,
    deployer: options.deployer,
    ...(options.planner ? { planner: options.planner } : {}),
    ...(options.ingresses ? { ingresses: options.ingresses } : {}),
    clock,
    logger,
    scanAudit: options.scanAudit ?? true,
    ...(options.images ? { images: options.images } : {}),
    secretValues: () => listKnownSecrets(options.secrets),
  };
  const engine = pipeline === undefined ? undefined : new PipelineEngine({ pipeline, db: options.db, events: options.events, clock, logger, services, alarms: options.alarms });
  let polling: PollingLoop | undefined;
  let lastPollAtMs: number | undefined;
  let closed = false;

  const needEngine = (): PipelineEngine => {
    if (engine === undefined) throw new NotFoundError('SLW_ERR_PIPELINE_NOT_CONFIGURED', `the app ${options.app.name} defines no pipeline`);
    return engine;
  };
  const dto = (runId: number): PipelineRunDto => toRunDto(readStore.getRun(runId), readStore.stages(runId), readStore.actions(runId), clock.now());

  const startFor = async (trigger: TriggerKind, ref: string | undefined, sha: string, branchOverride?: string) => {
    const e = needEngine();
    const parsed = ref === undefined ? undefined : parseRef(ref);
    const branch = branchOverride ?? (parsed?.kind === 'branch' ? parsed.name : undefined);
    const planRef = parsed ?? (branch === undefined ? undefined : parseRef(`refs/heads/${branch}`));
    return e.start({
      trigger,
      ref,
      branch,
      tag: parsed?.kind === 'tag' ? parsed.name : undefined,
      commitSha: sha,
      commitMessage: await repo.subject(sha),
      plan: planStages(current()!, planRef),
    });
  };

  // Triggers decide one head at a time: a decision reads the recorded head, asks git, then moves
  // the head, and a second decision in between would read a head that is about to change.
  const triggerQueue = new SerialQueue();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => triggerQueue.run(fn);

  /** Starts a run for a new head of `ref` when `decideHead` lets it; otherwise says why not (and records the refusal). */
  const admitHead = async (trigger: 'poll' | 'webhook', ref: string, sha: string): Promise<{ runId?: number; ignored?: string; reason?: string }> => {
    const recorded = recordedHead(options.db, ref);
    const verdict = decideHead({ ref, sha, recordedHead: recorded, relation: await repo.relation(recorded, sha), alreadyBuilt: wasBuilt(options.db, ref, sha) });
    if (!verdict.start) {
      if (verdict.reason !== 'SameHead') options.events.append({ type: 'pipeline.trigger.refused', subject: `pipeline-source/${ref}`, data: { trigger, ref, commitSha: sha, recordedHead: recorded ?? null, reason: verdict.reason, message: verdict.message } });
      return { ignored: verdict.message, reason: verdict.reason };
    }
    if (!claimHead(options.db, { ref, sha, expectedHead: recorded, nowMs: clock.now() })) return { ignored: `the head of ${ref} moved while ${sha} was checked`, reason: 'HeadMoved' };
    const run = await startFor(trigger, ref, sha);
    return { runId: run.id };
  };

  // The refs the previous poll saw: one gone since was deleted locally. Refs never seen locally
  // (pushed to origin and reported by webhooks) are not the poller's to forget.
  let polledRefs: Set<string> | undefined;
  // The head each ref had when the poller last decided about it, so a head it refused is not asked about again.
  const polledHeads = new Map<string, string>();
  const poll = () =>
    oneAtATime(async () => {
      if (current() === undefined || closed) return;
      const heads = await repo.heads();
      lastPollAtMs = clock.now();
      const present = new Set(heads.map((h) => h.ref));
      for (const ref of polledRefs ?? []) {
        if (present.has(ref)) continue;
        forgetHead(options.db, ref);
        polledHeads.delete(ref);
      }
      polledRefs = present;
      for (const h of heads) {
        const parsed = parseRef(h.ref);
        if (closed || parsed === undefined || !refMatchesTrigger(current()!.trigger, parsed) || polledHeads.get(h.ref) === h.sha) continue;
        const result = await admitHead('poll', h.ref, h.sha);
        polledHeads.set(h.ref, h.sha);
        if (result.runId !== undefined) logger.info('new commit, run started', { ref: h.ref, sha: h.sha, runId: result.runId });
        else if (result.reason !== 'SameHead') logger.info('new head, no run', { ref: h.ref, sha: h.sha, reason: result.ignored });
      }
    });

  const onPush = (push: GithubPush): Promise<{ runId?: number; ignored?: string; reason?: string }> =>
    oneAtATime(async () => {
      if (current() === undefined) return { ignored: 'the app defines no pipeline' };
      const parsed = parseRef(push.ref);
      if (push.deleted) {
        // A replayed deletion names the head the ref had then: only a deletion of the recorded head forgets it.
        const head = recordedHead(options.db, push.ref);
        if (head === undefined || (push.before === head && forgetHead(options.db, push.ref, head))) return { ignored: `${push.ref} was deleted` };
        return { ignored: `${push.ref} was deleted at ${push.before ?? 'an unnamed head'}, not at its recorded head ${head}; nothing changed`, reason: 'StaleDeletion' };
      }
      if (parsed === undefined || !refMatchesTrigger(current()!.trigger, parsed)) return { ignored: `${push.ref} does not match the pipeline's trigger` };
      if (!(await repo.hasCommit(push.after))) await repo.fetch(push.ref);
      if (!(await repo.hasCommit(push.after))) throw new NotFoundError('SLW_ERR_PIPELINE_REVISION_NOT_FOUND', `commit ${push.after} is not in the source repository`);
      return admitHead('webhook', push.ref, push.after);
    });

  const facade: Pipelines = {
    artifacts,
    async start() {
      engine?.resume();
      const intervalMs = options.pollIntervalMs ?? current()?.trigger.pollIntervalMs ?? 0;
      if (current() !== undefined && intervalMs > 0) polling = startPolling({ intervalMs, poll, logger });
    },
    routes: (app) => pipelineRoutes(app, facade, { artifactPolicy: options.app.artifacts, inUse: () => inUse(readStore, options.artifactsInUse) }),
    async run(input = {}) {
      needEngine();
      const branch = input.branch ?? (input.revision !== undefined && (await repo.hasRef(`refs/heads/${input.revision}`)) ? input.revision : undefined) ?? defaultBranch(current()!.trigger.branches);
      const revision = input.revision ?? `refs/heads/${branch}`;
      const sha = await repo.resolve(revision);
      const ref = input.revision === undefined || input.revision === branch ? `refs/heads/${branch}` : (await repo.hasRef(`refs/tags/${input.revision}`)) ? `refs/tags/${input.revision}` : undefined;
      const run = await startFor('manual', ref, sha, ref?.startsWith('refs/tags/') ? undefined : branch);
      return dto(run.id);
    },
    approve: (runId, input = {}) => (needEngine().decide(runId, 'Approved', input), dto(runId)),
    reject: (runId, input = {}) => (needEngine().decide(runId, 'Rejected', input), dto(runId)),
    async cancel(runId) {
      await needEngine().cancel(runId);
      return dto(runId);
    },
    retry: (runId) => (needEngine().retry(runId), dto(runId)),
    getRun: (runId) => dto(runId),
    listRuns: (filter = {}) => readStore.listRuns(filter).map((r) => toRunSummaryDto(r, readStore.stages(r.id), readStore.actions(r.id), clock.now())),
    async logs(runId, query = {}) {
      const run = readStore.getRun(runId);
      const actions = readStore.actions(runId);
      const label = new Map(actions.map((a) => [a.id, `${a.stageName}.${a.name}`]));
      let actionIds: number[] | undefined;
      if (query.action !== undefined) {
        actionIds = actions.filter((a) => a.name === query.action || `${a.stageName}.${a.name}` === query.action).map((a) => a.id);
        if (actionIds.length === 0) throw new InputError('SLW_ERR_API_VALIDATION', `pipeline run ${runId} has no action ${query.action}`, { issues: [{ path: 'query.action', message: `expected one of ${[...label.values()].join(', ')}` }] });
      }
      const read = () => (engine?.logs ?? undefined)?.read({ runId, actionIds, afterSeq: query.after, limit: query.limit }) ?? { lines: [], nextAfter: query.after ?? 0 };
      let page = read();
      if (page.lines.length === 0 && (query.waitMs ?? 0) > 0 && !isTerminal(run.status) && engine) {
        await engine.logs.waitForLines(runId, query.waitMs!);
        page = read();
      }
      const done = isTerminal(readStore.getRun(runId).status);
      return { lines: page.lines.map((l) => ({ seq: l.seq, action: label.get(l.actionId) ?? String(l.actionId), timeMs: l.timeMs, stream: l.stream, line: l.line })), nextAfter: page.nextAfter, done };
    },
    handleGithubWebhook: (req) =>
      handleGithubWebhook(
        {
          secret: async () => options.webhookSecret ?? (await options.secrets.get(GITHUB_WEBHOOK_SECRET_NAME)),
          recordDelivery: (id, event) => recordDelivery(options.db, id, event, clock.now()),
          forgetDelivery: (id) => forgetDelivery(options.db, id),
          onPush,
        },
        req,
      ),
    pollNow: async () => {
      if (polling) await polling.pollNow();
      else await poll();
    },
    settled: async (runId) => engine?.settled(runId),
    status: () => ({
      pipeline: current() !== undefined,
      executionMode: current()?.executionMode ?? null,
      pollIntervalMs: polling ? (options.pollIntervalMs ?? current()?.trigger.pollIntervalMs ?? null) : null,
      lastPollAtMs: lastPollAtMs ?? null,
      runsInProgress: engine?.activeRunIds().length ?? 0,
    }),
    async close() {
      closed = true;
      await polling?.stop();
      await engine?.close();
    },
  };
  return facade;
}

function defaultBranch(branches: readonly string[]): string {
  return branches.find((b) => !/[*?[]/.test(b)) ?? 'main';
}

function inUse(store: RunStore, extra: (() => Iterable<string>) | undefined): Set<string> {
  const set = new Set<string>(extra?.() ?? []);
  for (const r of store.unfinishedRuns()) if (r.artifact) set.add(r.artifact);
  return set;
}

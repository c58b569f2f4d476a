import crypto from 'node:crypto';
import type { Clock, Db, EventLog, Logger } from '../../core/index.js';
import { ConflictError, InputError, type EventPayloads, type ResolvedPipeline } from '../../shared/index.js';
import { approvalExecutor } from '../approvals/approval-action.js';
import { ApprovalDesk } from '../approvals/approval-desk.js';
import type { ActionServices } from './actions/action-context.js';
import { executeBuild } from './actions/build-action.js';
import { executeDeploy } from './actions/deploy-action.js';
import { executePlan } from './actions/plan-action.js';
import { executeAnalyze } from './actions/analyze-action.js';
import { executeInvoke } from './actions/invoke-action.js';
import { executeLoadTest } from './actions/loadtest-action.js';
import { executeScan } from './actions/scan-action.js';
import { executeImage } from './actions/image-action.js';
import { EngineClosedError } from './engine-closed.js';
import { LogStore } from './log-store.js';
import type { ApprovalDecision, PipelineVariables, PlannedStage, RunRecord, TriggerKind } from './model.js';
import type { AlarmStates } from './ports.js';
import { Redactor } from './redactor.js';
import type { RunEventData, RunEventType } from './run-events.js';
import { RunExecutor } from './run-executor.js';
import { RunStore } from './run-store.js';
import { StageGate } from './stage-gate.js';

/** Options of {@link PipelineEngine}. */
export interface PipelineEngineOptions {
  readonly pipeline: ResolvedPipeline;
  /** A database with `pipelineMigrations` applied. */
  readonly db: Db;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly services: ActionServices;
  readonly alarms: AlarmStates | undefined;
}

/** A run to start. */
export interface StartRun {
  readonly trigger: TriggerKind;
  readonly ref: string | undefined;
  readonly branch: string | undefined;
  readonly tag: string | undefined;
  readonly commitSha: string;
  readonly commitMessage: string | undefined;
  readonly plan: readonly PlannedStage[];
}

/**
 * The run engine: starts, resumes, cancels and retries runs, and takes
 * approval decisions. Each run is driven by a {@link RunExecutor}; stage
 * locking between runs goes through one {@link StageGate}.
 */
export class PipelineEngine {
  readonly store: RunStore;
  readonly logs: LogStore;
  readonly #o: PipelineEngineOptions;
  readonly #gate: StageGate;
  readonly #desk = new ApprovalDesk();
  readonly #executor: RunExecutor;
  readonly #instanceId = crypto.randomUUID();
  readonly #drivers = new Map<number, Promise<void>>();
  readonly #controllers = new Map<number, Set<AbortController>>();
  readonly #cancelled = new Set<number>();
  readonly #redactor: Redactor;
  #closed = false;

  constructor(options: PipelineEngineOptions) {
    this.#o = options;
    const guard = () => {
      if (this.#closed) throw new EngineClosedError();
    };
    // Everything the engine writes — rows, log lines, events — passes through one redactor.
    const redactor = new Redactor(() => options.services.secretValues(), options.logger);
    this.#redactor = redactor;
    this.store = new RunStore(options.db, guard, redactor);
    this.logs = new LogStore({ db: options.db, clock: options.clock, guard, mask: (line) => redactor.text(line) });
    this.#gate = new StageGate(options.pipeline.executionMode, {
      onEnter: (runId, stage) => {
        const run = this.store.getRun(runId);
        this.store.updateRun(runId, { position: { stageIndex: Math.max(0, run.plan.findIndex((s) => s.name === stage)), phase: 'in' } });
      },
      onSupersede: (runId, stage) => {
        const now = options.clock.now();
        const run = this.store.updateRun(runId, { status: 'Superseded', reason: `superseded by a newer run while waiting for ${stage}`, endedAtMs: now });
        this.logs.wakeAll(runId);
        this.#emit(runId, 'pipeline.run.superseded', { stage, commitSha: run.commitSha, durationMs: now - (run.startedAtMs ?? now) });
      },
    });
    this.#executor = new RunExecutor({
      store: this.store,
      logs: this.logs,
      gate: this.#gate,
      desk: this.#desk,
      events: options.events,
      clock: options.clock,
      logger: options.logger,
      services: options.services,
      executors: { build: executeBuild, image: executeImage, scan: executeScan, plan: executePlan, deploy: executeDeploy, invoke: executeInvoke, analyze: executeAnalyze, loadtest: executeLoadTest, approval: approvalExecutor(this.#desk) },
      alarms: options.alarms,
      redactor,
      instanceId: this.#instanceId,
      isClosed: () => this.#closed,
      isCancelled: (runId) => this.#cancelled.has(runId),
      track: (runId, controller) => {
        const set = this.#controllers.get(runId) ?? new Set();
        this.#controllers.set(runId, set);
        set.add(controller);
        return () => set.delete(controller);
      },
    });
  }

  #emit<T extends RunEventType>(runId: number, type: T, data: RunEventData<T>): void {
    this.#o.events.append({ type, subject: `pipeline-run/${runId}`, data: this.#redactor.deep({ runId, ...data }) as EventPayloads[T] });
  }

  #drive(runId: number): void {
    const p = this.#executor.drive(runId).finally(() => {
      this.#drivers.delete(runId);
      this.#controllers.delete(runId);
    });
    this.#drivers.set(runId, p);
  }

  /** Creates a run, records `pipeline.run.started` and starts driving it. */
  start(input: StartRun): RunRecord {
    if (this.#closed) throw new EngineClosedError();
    const now = this.#o.clock.now();
    const source: Record<string, string> = { CommitId: input.commitSha, BranchName: input.branch ?? '', CommitMessage: input.commitMessage ?? '' };
    if (input.tag !== undefined) source.TagName = input.tag;
    const variables: PipelineVariables = { SourceVariables: source };
    let run = this.store.createRun({ trigger: input.trigger, ref: input.ref, branch: input.branch, commitSha: input.commitSha, commitMessage: input.commitMessage, plan: input.plan, variables, nowMs: now });
    run = this.store.updateRun(run.id, { variables: { ...variables, codepipeline: { PipelineExecutionId: String(run.id) } } });
    this.#emit(run.id, 'pipeline.run.started', { trigger: input.trigger, ref: input.ref ?? null, branch: input.branch ?? null, commitSha: input.commitSha, commitMessage: input.commitMessage ?? null, stages: input.plan.map((s) => s.name) });
    this.#drive(run.id);
    return run;
  }

  /** Picks up every unfinished run after a restart: runs keep the stage they were in; approvals keep waiting. */
  resume(): RunRecord[] {
    const runs = this.store.unfinishedRuns();
    for (const run of runs) {
      const stage = run.plan[run.position.stageIndex];
      if (run.position.phase === 'in' && stage) this.#gate.restoreInStage(run.id, stage.name);
    }
    for (const run of runs) {
      this.#emit(run.id, 'pipeline.run.resumed', { stage: run.plan[run.position.stageIndex]?.name ?? null });
      this.#drive(run.id);
    }
    return runs;
  }

  /** Stops a run: running actions are stopped, waiting approvals end, the run is Stopped. */
  async cancel(runId: number): Promise<RunRecord> {
    const run = this.store.getRun(runId);
    if (run.status !== 'InProgress' && run.status !== 'Pending') throw new ConflictError('SLW_ERR_PIPELINE_RUN_STATE', `pipeline run ${runId} is ${run.status}; only a run in progress can be stopped`);
    this.#cancelled.add(runId);
    for (const c of this.#controllers.get(runId) ?? []) c.abort('Stopped');
    this.#gate.cancel(runId);
    const driver = this.#drivers.get(runId);
    if (driver) await driver;
    else this.store.updateRun(runId, { status: 'Stopped', reason: 'stopped by request', endedAtMs: this.#o.clock.now() });
    return this.store.getRun(runId);
  }

  /** Retries a Failed or Stopped run from its failed stage: failed actions run again, succeeded ones are kept. */
  retry(runId: number): RunRecord {
    if (this.#closed) throw new EngineClosedError();
    const run = this.store.getRun(runId);
    if (run.status !== 'Failed' && run.status !== 'Stopped') throw new ConflictError('SLW_ERR_PIPELINE_RUN_STATE', `pipeline run ${runId} is ${run.status}; only a Failed or Stopped run can be retried`);
    if (this.#drivers.has(runId)) throw new ConflictError('SLW_ERR_PIPELINE_RUN_STATE', `pipeline run ${runId} is still finishing`);
    const stages = this.store.stages(runId);
    const failed = stages.find((s) => s.status === 'Failed' || s.status === 'Stopped' || s.status === 'InProgress');
    const index = failed?.index ?? Math.min(run.position.stageIndex, run.plan.length - 1);
    this.store.updateStage(runId, index, { status: 'Pending', reason: undefined, endedAtMs: undefined });
    for (const a of this.store.actions(runId, index)) {
      if (a.status !== 'Succeeded') this.store.updateAction(a.id, { status: 'Pending', reason: undefined, deadlineMs: undefined, owner: undefined });
    }
    this.#cancelled.delete(runId);
    const updated = this.store.updateRun(runId, { status: 'InProgress', reason: undefined, endedAtMs: undefined, position: { stageIndex: index, phase: 'waiting' } });
    this.#emit(runId, 'pipeline.run.retried', { stage: run.plan[index]?.name ?? null });
    this.#drive(runId);
    return updated;
  }

  /** Approves or rejects the run's waiting approval (the one named `action` when several wait). */
  decide(runId: number, result: ApprovalDecision['result'], input: { by?: string; comment?: string; action?: string }): RunRecord {
    if (this.#closed) throw new EngineClosedError();
    const run = this.store.getRun(runId);
    const waiting = this.store.actions(runId).filter((a) => a.type === 'approval' && a.status === 'Waiting');
    const matching = input.action === undefined ? waiting : waiting.filter((a) => a.name === input.action || `${a.stageName}.${a.name}` === input.action);
    if (run.status !== 'InProgress' || matching.length === 0) {
      throw new ConflictError('SLW_ERR_PIPELINE_NO_APPROVAL', `pipeline run ${runId} is not waiting for ${input.action === undefined ? 'an approval' : `approval ${input.action}`}`);
    }
    if (matching.length > 1) throw new InputError('SLW_ERR_API_VALIDATION', `pipeline run ${runId} waits for several approvals (${matching.map((a) => `${a.stageName}.${a.name}`).join(', ')}); name one with "action"`, { issues: [{ path: 'body.action', message: 'required when several approvals wait' }] });
    const action = matching[0]!;
    const decision: ApprovalDecision = { result, by: input.by ?? 'api', comment: input.comment, atMs: this.#o.clock.now() };
    if (!this.store.decide(action.id, decision)) throw new ConflictError('SLW_ERR_PIPELINE_NO_APPROVAL', `approval ${action.stageName}.${action.name} of run ${runId} was already decided`);
    this.#emit(runId, result === 'Approved' ? 'pipeline.approval.approved' : 'pipeline.approval.rejected', { stage: action.stageName, action: action.name, by: decision.by, comment: decision.comment ?? null, atMs: decision.atMs });
    this.#desk.deliver(action.id, decision);
    return this.store.getRun(runId);
  }

  /** Runs being driven now. */
  activeRunIds(): number[] {
    return [...this.#drivers.keys()];
  }

  /** Resolves when the run's driver has finished (at once when none runs). */
  async settled(runId: number): Promise<void> {
    await this.#drivers.get(runId);
  }

  /**
   * Stops driving runs without recording their end, as a crash would: running
   * processes are stopped, stored state stays InProgress, and the next engine
   * over the same database resumes it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.logs.flush();
    this.#closed = true;
    this.#gate.close();
    for (const set of this.#controllers.values()) for (const c of set) c.abort('Closed');
    this.logs.wakeAll();
    await Promise.allSettled([...this.#drivers.values()]);
  }
}

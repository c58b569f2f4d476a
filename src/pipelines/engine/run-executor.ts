import type { Clock, EventLog, Logger } from '../../core/index.js';
import type { EventPayloads, ResolvedAction } from '../../shared/index.js';
import type { ApprovalDesk } from '../approvals/approval-desk.js';
import { abortedOutcome, type ActionExecutor, type ActionServices } from './actions/action-context.js';
import { EngineClosedError } from './engine-closed.js';
import type { LogStore, LogStream } from './log-store.js';
import { actionConfiguration, type ActionOutcome, type ActionRecord, type PipelineStatus, type RunRecord } from './model.js';
import type { AlarmStates } from './ports.js';
import { rollbackStage } from './rollback-stage.js';
import type { ActionEventData, ActionEventType, RunEventData, RunEventType } from './run-events.js';
import type { RunStore } from './run-store.js';
import type { Redactor } from './redactor.js';
import { GateClosedError, type StageGate } from './stage-gate.js';
import { VARIABLE_ENV_ACTIONS, resolveActionConfiguration } from './resolve-action-configuration.js';
import { displayVariables, referencedVariables, revealVariables, type PlainVariables } from './variables.js';

/** The statuses a run ends with here. */
type EndStatus = Extract<PipelineStatus, 'Succeeded' | 'Failed' | 'Stopped'>;

/** The event that records a run's end, by status. */
const RUN_ENDED = { Succeeded: 'pipeline.run.succeeded', Failed: 'pipeline.run.failed', Stopped: 'pipeline.run.stopped' } as const satisfies Record<EndStatus, RunEventType>;

/** What the executor shares with the engine that owns it. */
export interface RunExecutorDeps {
  readonly store: RunStore;
  readonly logs: LogStore;
  readonly gate: StageGate;
  readonly desk: ApprovalDesk;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly services: ActionServices;
  readonly executors: Readonly<Record<ResolvedAction['type'], ActionExecutor>>;
  readonly alarms: AlarmStates | undefined;
  /** Masks secrets in events; refreshed before each run is driven and each action attempt. */
  readonly redactor: Redactor;
  /** This engine instance; an InProgress action owned by another one was lost in a restart. */
  readonly instanceId: string;
  isClosed(): boolean;
  isCancelled(runId: number): boolean;
  track(runId: number, controller: AbortController): () => void;
}

type StageResult = { status: 'Succeeded' | 'Skipped' } | { status: 'Failed' | 'Stopped'; reason: string };

/**
 * Drives one run from where the store says it stands to its end: stage after
 * stage through the stage gate, actions by runOrder (same runOrder in
 * parallel), per-action timeout and retries, stage conditions. Every step is
 * written before the next one starts.
 */
export class RunExecutor {
  readonly #d: RunExecutorDeps;

  constructor(deps: RunExecutorDeps) {
    this.#d = deps;
  }

  /** Runs `runId` to its end (or until the engine closes). Never throws. */
  async drive(runId: number): Promise<void> {
    const d = this.#d;
    try {
      await d.redactor.refresh();
      this.#check();
      let run = d.store.getRun(runId);
      for (let i = run.position.stageIndex; i < run.plan.length; i++) {
        const stage = run.plan[i]!;
        if (d.isCancelled(runId)) return this.#finish(runId, 'Stopped', 'stopped by request');
        if (run.position.stageIndex !== i || run.position.phase !== 'in') d.store.updateRun(runId, { position: { stageIndex: i, phase: 'waiting' } });
        await d.gate.enter(runId, stage.name);
        this.#check();
        const result = await this.#runStage(runId, i);
        if (result.status === 'Failed' || result.status === 'Stopped') return this.#finish(runId, result.status, result.reason);
        run = d.store.getRun(runId);
      }
      d.store.updateRun(runId, { position: { stageIndex: run.plan.length, phase: 'waiting' } });
      this.#finish(runId, 'Succeeded', undefined);
    } catch (err) {
      if (err instanceof EngineClosedError || d.isClosed()) return;
      if (err instanceof GateClosedError) {
        if (err.outcome === 'Stopped') this.#safeFinish(runId, 'Stopped', 'stopped by request');
        return;
      }
      d.logger.error('pipeline run failed unexpectedly', { runId, err });
      this.#safeFinish(runId, 'Failed', `internal error: ${(err as Error).message}`);
    }
  }

  #check(): void {
    if (this.#d.isClosed()) throw new EngineClosedError();
  }

  #emit<T extends RunEventType>(run: { id: number }, type: T, data: RunEventData<T>): void {
    this.#d.events.append({ type, subject: `pipeline-run/${run.id}`, data: this.#d.redactor.deep({ runId: run.id, ...data }) as EventPayloads[T] });
  }

  #safeFinish(runId: number, status: EndStatus, reason: string | undefined): void {
    try {
      this.#finish(runId, status, reason);
    } catch (err) {
      if (!(err instanceof EngineClosedError)) this.#d.logger.error('could not record the end of a pipeline run', { runId, err });
    }
  }

  #finish(runId: number, status: EndStatus, reason: string | undefined): void {
    const d = this.#d;
    const now = d.clock.now();
    const run = d.store.updateRun(runId, { status, reason, endedAtMs: now });
    d.gate.leave(runId);
    d.logs.flush();
    d.logs.wakeAll(runId);
    this.#emit(run, RUN_ENDED[status], { commitSha: run.commitSha, branch: run.branch ?? null, durationMs: now - (run.startedAtMs ?? run.createdAtMs), ...(reason ? { reason } : {}) });
  }

  async #runStage(runId: number, i: number): Promise<StageResult> {
    const d = this.#d;
    const run = d.store.getRun(runId);
    const stage = run.plan[i]!;
    let rec = d.store.stage(runId, i);
    if (rec.status === 'Succeeded' || rec.status === 'Skipped') return { status: rec.status };
    if (rec.status === 'Pending') {
      const blocking = stage.beforeEntry ? await this.#inAlarm(stage.beforeEntry.alarms) : [];
      this.#check();
      if (stage.beforeEntry && blocking.length > 0) {
        const reason = `entry condition: ${blocking.join(', ')} in ALARM`;
        const now = d.clock.now();
        if (stage.beforeEntry.result === 'SKIP') {
          d.store.updateStage(runId, i, { status: 'Skipped', reason, startedAtMs: now, endedAtMs: now });
          for (const a of d.store.actions(runId, i)) d.store.updateAction(a.id, { status: 'Skipped', reason });
          this.#emit(run, 'pipeline.stage.skipped', { stage: stage.name, reason });
          return { status: 'Skipped' };
        }
        d.store.updateStage(runId, i, { status: 'Failed', reason, startedAtMs: now, endedAtMs: now });
        this.#emit(run, 'pipeline.stage.failed', { stage: stage.name, reason });
        return { status: 'Failed', reason: `stage ${stage.name}: ${reason}` };
      }
      rec = d.store.updateStage(runId, i, { status: 'InProgress', attempt: rec.attempt + 1, startedAtMs: d.clock.now(), endedAtMs: undefined, reason: undefined });
      this.#emit(run, 'pipeline.stage.started', { stage: stage.name, attempt: rec.attempt });
    }
    for (;;) {
      const result = await this.#runActions(runId, i);
      this.#check();
      const now = d.clock.now();
      if (result.status === 'Succeeded') {
        d.store.updateStage(runId, i, { status: 'Succeeded', endedAtMs: now });
        this.#emit(run, 'pipeline.stage.succeeded', { stage: stage.name, durationMs: now - (rec.startedAtMs ?? now) });
        return { status: 'Succeeded' };
      }
      if (result.status === 'Stopped') {
        d.store.updateStage(runId, i, { status: 'Stopped', reason: result.reason, endedAtMs: now });
        this.#emit(run, 'pipeline.stage.stopped', { stage: stage.name });
        return { status: 'Stopped', reason: result.reason };
      }
      rec = d.store.stage(runId, i);
      if (stage.onFailure.result === 'RETRY' && rec.attempt <= stage.onFailure.retries && !d.isCancelled(runId)) {
        for (const a of d.store.actions(runId, i)) if (a.status === 'Failed') d.store.updateAction(a.id, { status: 'Pending', reason: undefined });
        rec = d.store.updateStage(runId, i, { attempt: rec.attempt + 1 });
        this.#emit(run, 'pipeline.stage.retried', { stage: stage.name, attempt: rec.attempt, reason: result.reason });
        continue;
      }
      let reason = result.reason;
      if (stage.onFailure.result === 'ROLLBACK') reason += `; ${await rollbackStage({ store: d.store, services: d.services, run: d.store.getRun(runId), stageIndex: i, emit: (type, data) => this.#emit(run, type, data), log: (line) => this.#systemLog(runId, i, line) })}`;
      this.#check();
      d.store.updateStage(runId, i, { status: 'Failed', reason, endedAtMs: d.clock.now() });
      this.#emit(run, 'pipeline.stage.failed', { stage: stage.name, reason });
      return { status: 'Failed', reason: `stage ${stage.name}: ${reason}` };
    }
  }

  #systemLog(runId: number, stageIndex: number, line: string): void {
    const first = this.#d.store.actions(runId, stageIndex)[0];
    if (first) this.#d.logs.append(runId, first.id, 'system', line);
  }

  async #inAlarm(alarms: readonly string[]): Promise<string[]> {
    const source = this.#d.alarms;
    if (source === undefined) return [];
    const states = await Promise.all(alarms.map(async (a) => [a, await source.stateOf(a)] as const));
    return states.filter(([, s]) => s === 'ALARM').map(([a]) => a);
  }

  async #runActions(runId: number, i: number): Promise<{ status: 'Succeeded' } | { status: 'Failed' | 'Stopped'; reason: string }> {
    const actions = this.#d.store.actions(runId, i);
    const orders = [...new Set(actions.map((a) => a.runOrder))].sort((a, b) => a - b);
    for (const order of orders) {
      const group = actions.filter((a) => a.runOrder === order && a.status !== 'Succeeded' && a.status !== 'Skipped');
      const results = await Promise.all(group.map((a) => this.#runAction(runId, a.id)));
      this.#check();
      const stopped = results.find((r) => r.status === 'Stopped');
      if (stopped) return { status: 'Stopped', reason: stopped.reason ?? 'stopped' };
      const failed = results.find((r) => r.status === 'Failed');
      if (failed) return { status: 'Failed', reason: failed.reason ?? 'an action failed' };
    }
    return { status: 'Succeeded' };
  }

  async #runAction(runId: number, actionId: number): Promise<ActionOutcome> {
    const d = this.#d;
    let action = d.store.action(actionId);
    const run0 = d.store.getRun(runId);
    const planned = run0.plan[action.stageIndex]!.actions.find((a) => a.name === action.name)!;
    const retries = action.type === 'approval' ? 0 : planned.retries;
    let resumed = false;
    if ((action.status === 'InProgress' || action.status === 'Waiting') && action.owner !== d.instanceId) {
      if (action.type === 'approval' || action.type === 'deploy') resumed = true;
      else {
        const reason = 'the control plane stopped while the action ran; its process was lost';
        action = d.store.updateAction(actionId, { status: 'Failed', reason, endedAtMs: d.clock.now() });
        d.logs.append(runId, actionId, 'system', `attempt ${action.attempt} failed: ${reason}`);
        this.#emit(run0, 'pipeline.action.failed', { stage: action.stageName, action: action.name, type: action.type, attempt: action.attempt, reason });
        if (action.attempt > retries) return { status: 'Failed', reason: `${action.name}: ${reason}` };
      }
    }
    for (;;) {
      await d.redactor.refresh();
      this.#check();
      if (d.isCancelled(runId)) return { status: 'Stopped', reason: 'stopped by request' };
      const run = d.store.getRun(runId);
      const configuration = actionConfiguration(planned);
      // Read before the attempt is recorded: from its started/resumed event to the executor
      // (an approval registering with the desk) nothing may wait, or a decision could slip by.
      const real = await this.#realConfiguration(planned.type, configuration, run);
      this.#check();
      if (d.isCancelled(runId)) return { status: 'Stopped', reason: 'stopped by request' };
      if (!resumed) {
        // Stored (and shown) with secrets as ***; the action itself gets the real values below.
        const { value, missing, ambiguous } = resolveActionConfiguration(planned.type, configuration, displayVariables(run.variables));
        const now = d.clock.now();
        action = d.store.updateAction(actionId, {
          status: 'InProgress', attempt: action.attempt + 1, owner: d.instanceId, startedAtMs: now, endedAtMs: undefined,
          deadlineMs: now + planned.timeoutMs, reason: undefined, configuration: value, output: {}, decision: undefined,
        });
        this.#emit(run, 'pipeline.action.started', { stage: action.stageName, action: action.name, type: action.type, attempt: action.attempt });
        if (missing.length > 0) {
          const reason = `unknown pipeline variable${missing.length > 1 ? 's' : ''} ${missing.map((m) => `#{${m}}`).join(', ')}`;
          return this.#record(run, action, { status: 'Failed', reason }, false);
        }
        if (ambiguous.length > 0) {
          const reason = `pipeline variable${ambiguous.length > 1 ? 's' : ''} ${ambiguous.map((m) => `#{${m}}`).join(', ')} share${ambiguous.length > 1 ? '' : 's'} an environment variable name with another variable of a different value; rename one of the actions`;
          return this.#record(run, action, { status: 'Failed', reason }, false);
        }
      } else {
        action = d.store.updateAction(actionId, { owner: d.instanceId });
        this.#emit(run, 'pipeline.action.resumed', { stage: action.stageName, action: action.name, type: action.type, attempt: action.attempt });
      }
      if ('reason' in real) return this.#record(run, action, { status: 'Failed', reason: real.reason }, false);
      // The action's environment carries the variables' real values (SLIPWAY_VAR_*), secrets included.
      const outcome = await this.#attempt({ ...run, variables: real.variables }, { ...action, configuration: real.value }, planned.timeoutMs, resumed);
      this.#check();
      const retry = outcome.status === 'Failed' && action.attempt <= retries && !d.isCancelled(runId);
      const recorded = this.#record(run, action, outcome, retry);
      if (!retry) return recorded;
      d.logs.append(runId, actionId, 'system', `retrying: attempt ${action.attempt + 1} of ${retries + 1}`);
      resumed = false;
      action = d.store.action(actionId);
    }
  }

  /**
   * The configuration with variables resolved to their real values (shell fields as references to
   * their environment variables), and the variables themselves with secrets read from the store now
   * (they are stored as references).
   */
  async #realConfiguration(type: ResolvedAction['type'], configuration: Record<string, unknown>, run: RunRecord): Promise<{ value: Record<string, unknown>; variables: PlainVariables } | { reason: string }> {
    let revealed;
    try {
      const needed = VARIABLE_ENV_ACTIONS.has(type) ? allVariables(run.variables) : referencedVariables(configuration);
      revealed = await revealVariables(run.variables, this.#d.services.secrets, needed);
    } catch (err) {
      return { reason: `pipeline variables holding secrets could not be read from the secret store: ${(err as Error).message}` };
    }
    const { value, missing } = resolveActionConfiguration(type, configuration, revealed.values);
    if (missing.length === 0) return { value, variables: revealed.values };
    return { reason: missing.map((m) => `pipeline variable #{${m}} ${revealed.unavailable.has(m) ? `is not available: ${revealed.unavailable.get(m)}` : 'is unknown'}`).join('; ') };
  }

  async #attempt(run: RunRecord, action: ActionRecord, timeoutMs: number, resumed: boolean): Promise<ActionOutcome> {
    const d = this.#d;
    const controller = new AbortController();
    const untrack = d.track(run.id, controller);
    const remainingMs = Math.max(0, (action.deadlineMs ?? d.clock.now() + timeoutMs) - d.clock.now());
    const timer = setTimeout(() => controller.abort('TimedOut'), remainingMs);
    const log = (line: string, stream: LogStream = 'system') => d.logs.append(run.id, action.id, stream, line);
    try {
      return await d.executors[action.type]({
        services: d.services,
        run,
        action,
        attempt: action.attempt,
        resumed,
        signal: controller.signal,
        timeoutMs,
        remainingMs,
        log,
        emit: <T extends ActionEventType>(type: T, data: ActionEventData<T>) => this.#emit(run, type, { stage: action.stageName, action: action.name, ...data } as RunEventData<T>),
        update: (patch) => d.store.updateAction(action.id, patch),
      });
    } catch (err) {
      if (err instanceof EngineClosedError) throw err;
      if (controller.signal.aborted) return abortedOutcome(controller.signal, timeoutMs);
      log(`error: ${(err as Error).message}`);
      return { status: 'Failed', reason: (err as Error).message };
    } finally {
      clearTimeout(timer);
      untrack();
      d.logs.flush();
    }
  }

  #record(run: RunRecord, action: ActionRecord, outcome: ActionOutcome, willRetry: boolean): ActionOutcome {
    const d = this.#d;
    const now = d.clock.now();
    const output = { ...d.store.action(action.id).output, ...outcome.output };
    const base = { stage: action.stageName, action: action.name, type: action.type, attempt: action.attempt, durationMs: now - (action.startedAtMs ?? now) };
    if (outcome.status === 'Succeeded') {
      const fresh = d.store.getRun(run.id);
      const vars = outcome.variables && Object.keys(outcome.variables).length > 0 ? { ...fresh.variables, [variableNamespace(action)]: outcome.variables } : undefined;
      const images = outcome.images && Object.keys(outcome.images).length > 0 ? { ...fresh.images, ...outcome.images } : undefined;
      d.store.updateRun(run.id, { ...(vars ? { variables: vars } : {}), ...(fresh.artifact === undefined && outcome.artifact ? { artifact: outcome.artifact } : {}), ...(images ? { images } : {}) });
      d.store.updateAction(action.id, { status: 'Succeeded', endedAtMs: now, output });
      this.#emit(run, 'pipeline.action.succeeded', { ...base, ...(outcome.artifact ? { artifact: outcome.artifact } : {}), ...(outcome.images ? { images: { ...outcome.images } } : {}) });
      return outcome;
    }
    const reason = outcome.reason ?? outcome.status;
    d.store.updateAction(action.id, { status: outcome.status, reason, endedAtMs: now, output });
    d.logs.append(run.id, action.id, 'system', `attempt ${action.attempt} ${outcome.status.toLowerCase()}: ${reason}`);
    this.#emit(run, outcome.status === 'Failed' ? 'pipeline.action.failed' : 'pipeline.action.stopped', { ...base, reason, ...(willRetry ? { retrying: true } : {}) });
    return { ...outcome, reason: `${action.name}: ${reason}` };
  }
}

/** Where an action's exported variables go: its configured `namespace` (build actions), else its name. */
function variableNamespace(action: ActionRecord): string {
  const ns = action.configuration.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : action.name;
}

/** `<namespace>.<name>` of every variable of a run. */
function allVariables(variables: RunRecord['variables']): Set<string> {
  return new Set(Object.entries(variables).flatMap(([ns, vars]) => Object.keys(vars).map((name) => `${ns}.${name}`)));
}

import type { Clock, EventLog, Logger, NewEvent } from '../../core/index.js';
import { ALARM_STATE_CHANGED } from '../../shared/index.js';
import { transition, type AlarmState, type Evaluation } from '../evaluation/index.js';
import type { AlarmStore, NewHistoryEntry } from './alarm-store.js';
import type { AnomalyModels } from './anomaly-models.js';
import type { CompiledAlarm, CompiledAlarms, CompiledMetricAlarm } from './compile-alarms.js';
import type { DeploymentTracker } from './deployment-tracker.js';
import { evaluateComposites } from './evaluate-composites.js';
import { evaluateMetricAlarms, type AlarmOutcome } from './evaluate-metric-alarms.js';
import type { AlarmRecord } from './model.js';
import type { QueryMetric, QueryMetrics } from './query-metric.js';
import type { AlarmScaleRequest } from '../../runtime/index.js';
import type { MetricDataReader } from '../../telemetry/index.js';

/** Where alarms' `scale` actions go: the autoscaler of the local runtime. */
export interface AlarmScaler {
  /** Runs one action; never throws (failures are the scaler's to report). */
  runAlarmAction(req: AlarmScaleRequest): Promise<void>;
}

/** CloudWatch's reason for an alarm never evaluated. */
export const INITIAL_REASON = 'Unchecked: Initial alarm creation';

/** What one evaluation round did. */
export interface RoundResult {
  /** The time evaluated at. */
  readonly nowMs: number;
  /** Alarms evaluated (composites included). */
  readonly evaluated: number;
  /** State changes. */
  readonly changed: number;
  /** Alarms whose evaluation failed (their state was kept). */
  readonly errors: number;
  /** Telemetry queries made (one per distinct metric query). */
  readonly queries: number;
}

/** What the evaluator is built from. */
export interface AlarmEvaluatorDeps {
  readonly compiled: CompiledAlarms;
  readonly store: AlarmStore;
  readonly events: EventLog;
  readonly query: QueryMetric;
  /** Runs a round's queries in one call; without it each distinct query is asked alone. */
  readonly queryMany?: QueryMetrics;
  /** Runs metric math; without it math alarms report an evaluation error. */
  readonly queryData?: MetricDataReader;
  /** Runs `scale` actions; without it they are recorded as not run. */
  readonly scaler?: AlarmScaler;
  readonly anomalyModels: AnomalyModels;
  readonly deployments: DeploymentTracker;
  readonly clock: Clock;
  readonly logger: Logger;
}

function subject(name: string): string {
  return `alarm/${name}`;
}

/**
 * Runs evaluation rounds: metric and anomaly alarms that are due, then every composite; persists
 * states and history in one transaction, then appends `alarm.state.changed` for each change.
 * Rounds never overlap and never throw: failures are recorded per alarm.
 */
export class AlarmEvaluator {
  #d: AlarmEvaluatorDeps;
  readonly #records = new Map<string, AlarmRecord>();
  #chain: Promise<unknown> = Promise.resolve();

  constructor(deps: AlarmEvaluatorDeps) {
    this.#d = deps;
    this.#adopt(deps.compiled);
  }

  /**
   * Evaluates another set of alarms from the next round on (an applied app model changed them):
   * an alarm that stays keeps its state and history, a new one starts INSUFFICIENT_DATA, a removed
   * one is no longer evaluated.
   */
  replace(compiled: CompiledAlarms): Promise<void> {
    const next = this.#chain.then(() => {
      this.#d = { ...this.#d, compiled };
      for (const name of [...this.#records.keys()]) if (!compiled.byName.has(name)) this.#records.delete(name);
      this.#adopt(compiled);
    });
    this.#chain = next.catch(() => undefined);
    return next;
  }

  #adopt(compiled: CompiledAlarms): void {
    const deps = this.#d;
    const stored = deps.store.all();
    const fresh: AlarmRecord[] = [];
    for (const a of compiled.byName.values()) {
      const known = this.#records.get(a.name);
      if (known !== undefined && known.kind === a.kind) continue;
      const r = stored.get(a.name);
      if (r !== undefined && r.kind === a.kind) {
        this.#records.set(a.name, r);
        continue;
      }
      const initial: AlarmRecord = { name: a.name, kind: a.kind, state: 'INSUFFICIENT_DATA', reason: INITIAL_REASON, stateUpdatedAtMs: deps.clock.now(), lastEvaluatedAtMs: undefined, mutedUntilMs: r?.mutedUntilMs, error: undefined };
      this.#records.set(a.name, initial);
      fresh.push(initial);
    }
    if (fresh.length > 0) deps.store.write(fresh, []);
  }

  /** The current record of a configured alarm. */
  record(name: string): AlarmRecord | undefined {
    return this.#records.get(name);
  }

  /** Every configured alarm's record, in definition order. */
  records(): AlarmRecord[] {
    return [...this.#records.values()];
  }

  /** Replaces a record's mute window (the caller persists it). */
  setMute(name: string, mutedUntilMs: number | undefined): void {
    const r = this.#records.get(name);
    if (r !== undefined) this.#records.set(name, { ...r, mutedUntilMs });
  }

  /** Resolves when no round is running or queued. */
  idle(): Promise<void> {
    return this.#chain.then(() => undefined);
  }

  /** Evaluates `alarms` (metric and anomaly) and then every composite at `nowMs`; rounds run one at a time. */
  round(alarms: readonly CompiledMetricAlarm[], nowMs: number): Promise<RoundResult> {
    const next = this.#chain.then(() => this.#round(alarms, nowMs));
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #round(alarms: readonly CompiledMetricAlarm[], nowMs: number): Promise<RoundResult> {
    const d = this.#d;
    const previousState = (name: string): AlarmState => this.#records.get(name)?.state ?? 'INSUFFICIENT_DATA';
    const outcomes: AlarmOutcome[] = await evaluateMetricAlarms(alarms, nowMs, { query: d.query, ...(d.queryMany ? { queryMany: d.queryMany } : {}), ...(d.queryData ? { queryData: d.queryData } : {}), anomalyModels: d.anomalyModels, previousState, logger: d.logger });
    const states = new Map<string, AlarmState>([...this.#records].map(([n, r]) => [n, r.state]));
    for (const o of outcomes) if ('evaluation' in o) states.set(o.name, o.evaluation.state);
    try {
      outcomes.push(...evaluateComposites(d.compiled.composites, states));
    } catch (err) {
      d.logger.warn('composite evaluation failed', { err });
      for (const c of d.compiled.composites) outcomes.push({ name: c.name, error: (err as Error).message });
    }
    const records: AlarmRecord[] = [];
    const history: NewHistoryEntry[] = [];
    const events: NewEvent[] = [];
    let errors = 0;
    for (const o of outcomes) {
      const alarm = d.compiled.byName.get(o.name);
      const prev = this.#records.get(o.name);
      if (alarm === undefined || prev === undefined) continue;
      if ('error' in o) {
        errors++;
        const reason = `Evaluation error: ${o.error}`;
        if (prev.error !== o.error) history.push({ alarm: o.name, timeMs: nowMs, type: 'Error', summary: `${reason} (the state stays ${prev.state})` });
        records.push({ ...prev, reason, lastEvaluatedAtMs: nowMs, error: o.error });
        continue;
      }
      records.push(this.#apply(alarm, prev, o.evaluation, nowMs, history, events));
    }
    d.store.write(records, history);
    for (const r of records) this.#records.set(r.name, r);
    if (events.length > 0) {
      try {
        d.events.appendAll(events);
      } catch (err) {
        d.logger.error('could not append alarm events', { err });
      }
    }
    await this.#runActions(outcomes, nowMs);
    return { nowMs, evaluated: outcomes.length, changed: events.length, errors, queries: new Set(alarms.filter((a) => a.problem === undefined).map((a) => a.query.key)).size };
  }

  /**
   * Runs the `scale` actions of every alarm that is in ALARM after this round, not only of those
   * that just entered it: Application Auto Scaling runs a step policy each time its alarm is
   * evaluated in ALARM, and the action's cooldown spaces the activities. Muted alarms run none.
   */
  async #runActions(outcomes: readonly AlarmOutcome[], nowMs: number): Promise<void> {
    const d = this.#d;
    for (const o of outcomes) {
      if (!('evaluation' in o) || o.latest === undefined) continue;
      const alarm = d.compiled.byName.get(o.name);
      const record = this.#records.get(o.name);
      if (alarm === undefined || alarm.kind === 'Composite' || alarm.actions.length === 0 || alarm.threshold === undefined || record?.state !== 'ALARM') continue;
      if (record.mutedUntilMs !== undefined && record.mutedUntilMs > nowMs) continue;
      if (d.scaler === undefined) {
        d.logger.warn('scale action not run: no autoscaler runs here', { alarm: alarm.name });
        continue;
      }
      for (const [index, action] of alarm.actions.entries()) {
        try {
          await d.scaler.runAlarmAction({ alarm: alarm.name, index, action, alarmEnvironment: alarm.environment, value: o.latest, threshold: alarm.threshold, metric: alarm.query.metric });
        } catch (err) {
          d.logger.error('scale action failed', { alarm: alarm.name, err });
        }
      }
    }
  }

  #apply(alarm: CompiledAlarm, prev: AlarmRecord, evaluation: Evaluation, nowMs: number, history: NewHistoryEntry[], events: NewEvent[]): AlarmRecord {
    const error = alarm.kind !== 'Composite' && alarm.problem !== undefined ? alarm.problem : undefined;
    const t = transition(prev.state, evaluation, nowMs);
    if (!t.changed) return { ...prev, reason: evaluation.reason, lastEvaluatedAtMs: nowMs, error };
    const deployment = this.#d.deployments.find(alarm.service, alarm.environment);
    const reason = deployment === undefined ? evaluation.reason : `${evaluation.reason} The change happened during deployment ${deployment.deploymentId} of ${deployment.service} to ${deployment.environment}.`;
    const muted = prev.mutedUntilMs !== undefined && prev.mutedUntilMs > nowMs;
    const data = {
      alarm: alarm.name,
      kind: alarm.kind,
      oldState: prev.state,
      newState: evaluation.state,
      reason,
      ...(alarm.description === undefined ? {} : { description: alarm.description }),
      ...(alarm.runbook === undefined ? {} : { runbook: alarm.runbook }),
      ...(alarm.service === undefined ? {} : { service: alarm.service }),
      ...(alarm.environment === undefined ? {} : { environment: alarm.environment }),
      ...(deployment === undefined ? {} : { deploymentId: deployment.deploymentId }),
      notify: alarm.notify,
      muted,
      ...(muted ? { mutedUntilMs: prev.mutedUntilMs } : {}),
    };
    history.push({ alarm: alarm.name, timeMs: nowMs, type: 'StateUpdate', oldState: prev.state, newState: evaluation.state, summary: `Alarm updated from ${prev.state} to ${evaluation.state}: ${reason}`, data });
    if (muted) {
      history.push({ alarm: alarm.name, timeMs: nowMs, type: 'Action', summary: `Actions not run: the alarm is muted until ${new Date(prev.mutedUntilMs!).toISOString()}`, data: { muted: true, topics: alarm.notify } });
    } else if (alarm.notify.length > 0) {
      history.push({ alarm: alarm.name, timeMs: nowMs, type: 'Action', summary: `Notification queued to ${alarm.notify.join(', ')}`, data: { topics: alarm.notify } });
    }
    events.push({ type: ALARM_STATE_CHANGED, subject: subject(alarm.name), data });
    return { ...prev, state: evaluation.state, reason, stateUpdatedAtMs: nowMs, lastEvaluatedAtMs: nowMs, error };
  }
}

import type { Clock, Db } from '../core/index.js';
import {
  ConflictError,
  EXPERIMENT_CONCLUDED,
  EXPERIMENT_STARTED,
  EXPERIMENT_STOPPED,
  NotFoundError,
  type EventPayloads,
  type ExperimentDetailDto,
  type ExperimentDto,
  type ResolvedApp,
  type ResolvedExperiment,
} from '../shared/index.js';
import { analyzeExperiment } from './analyze.js';
import type { AttributionFlag } from './attribute.js';
import type { ControlSwitch, ExperimentResult, ExperimentTelemetry } from './model.js';
import { ExperimentStore, type ExperimentRecord } from './store/experiment-store.js';

type ExperimentEventType = typeof EXPERIMENT_STARTED | typeof EXPERIMENT_STOPPED | typeof EXPERIMENT_CONCLUDED;

/** An `experiment.*` event for the event log. */
export type ExperimentEvent = { [T in ExperimentEventType]: { readonly type: T; readonly subject: string; readonly data: EventPayloads[T] } }[ExperimentEventType];

/** Options of {@link createExperiments}. */
export interface ExperimentsOptions {
  /** The control plane's database (with {@link experimentMigrations} applied). */
  readonly db: Db;
  /** The app model now (the live, applied one); undefined without an app. */
  readonly app: () => ResolvedApp | undefined;
  readonly telemetry: ExperimentTelemetry;
  /** The flag definition an environment serves now (for attribution of `rule-<n>` variants). @default the app model's */
  readonly flagOf?: (environment: string, key: string) => AttributionFlag | undefined;
  readonly control: ControlSwitch;
  readonly appendEvent: (event: ExperimentEvent) => void;
  readonly clock: Clock;
  /** Most spans (and, for metrics on log records, most records) read per evaluation. @default 200000 */
  readonly maxSpans?: number;
  /** How often running experiments are evaluated, ms. @default 10000 */
  readonly intervalMs?: number;
  /** Told of an evaluation that failed (the loop goes on). @default ignore */
  readonly onError?: (err: unknown, experiment: string) => void;
}

/** Who a stop is recorded as when the caller names nobody. */
export const GUARDRAIL_ACTOR = 'guardrail';

/** A/B experiments: their state, their results from telemetry, and the loop that stops or concludes them. */
export interface Experiments {
  /** Stores (as Running, with an `experiment.started` event) every experiment of the model not stored yet. */
  sync(): void;
  /** Every experiment of the model, per environment, with its stored state and last verdict. */
  list(): ExperimentDto[];
  /** One experiment with its result computed now. @throws NotFoundError `SLW_ERR_EXPERIMENT_NOT_FOUND` */
  get(environment: string, name: string): ExperimentDetailDto;
  /** Stops an experiment and makes its flag serve the control. @throws ConflictError `SLW_ERR_EXPERIMENT_NOT_RUNNING` when already stopped */
  stop(environment: string, name: string, options: { readonly actor: string; readonly reason?: string }): ExperimentDto;
  /** Evaluates every running experiment once: a guardrail breach stops it, a significant verdict concludes it. */
  tick(): void;
  /** Starts the evaluation loop. */
  start(): void;
  /** Stops the loop. */
  close(): void;
}

/** Creates the experiments context. */
export function createExperiments(o: ExperimentsOptions): Experiments {
  const store = new ExperimentStore(o.db);
  let timer: ReturnType<typeof setInterval> | undefined;

  const declared = (): { environment: string; experiment: ResolvedExperiment }[] =>
    Object.values(o.app()?.experiments ?? {}).flatMap((experiment) => experiment.environments.map((environment) => ({ environment, experiment })));
  const find = (environment: string, name: string): ResolvedExperiment => {
    const e = o.app()?.experiments?.[name];
    if (e === undefined || !e.environments.includes(environment)) throw new NotFoundError('SLW_ERR_EXPERIMENT_NOT_FOUND', `no experiment ${JSON.stringify(name)} in environment ${JSON.stringify(environment)}`);
    return e;
  };
  const flagOf = (environment: string, e: ResolvedExperiment): AttributionFlag | undefined => o.flagOf?.(environment, e.flag) ?? o.app()?.flags[e.flag];
  const subject = (environment: string, name: string): string => `experiment/${environment}/${name}`;

  const ensure = (environment: string, e: ResolvedExperiment): ExperimentRecord => {
    if (store.start(environment, e.name, o.clock.now())) {
      o.appendEvent({
        type: EXPERIMENT_STARTED,
        subject: subject(environment, e.name),
        data: { environment, experiment: e.name, flag: e.flag, arms: e.arms.map((a) => a.name), minSamplePerVariant: e.minSamplePerVariant, significance: e.significance },
      });
    }
    return store.tryGet(environment, e.name)!;
  };

  const dto = (r: ExperimentRecord, e: ResolvedExperiment): ExperimentDto => ({
    environment: r.environment,
    name: e.name,
    flag: e.flag,
    description: e.description,
    state: r.state,
    variants: e.arms.map((a) => a.name),
    primary: e.primary,
    startedAt: new Date(r.startedAtMs).toISOString(),
    endedAt: r.endedAtMs === undefined ? undefined : new Date(r.endedAtMs).toISOString(),
    reason: r.reason,
    verdict: r.verdict,
    winner: r.winner,
    minSamplePerVariant: e.minSamplePerVariant,
    significance: e.significance,
  });

  /**
   * Reads telemetry for windows that start at `fromMs` or later, once: a tick evaluates every running
   * experiment from one read of the earliest window instead of one read each.
   */
  const reader = (fromMs: number, toMs: number, withLogs: boolean) => {
    const q = { startMs: fromMs, endMs: toMs, limit: o.maxSpans ?? 200_000 };
    const spans = o.telemetry.spans(q);
    const logs = withLogs ? o.telemetry.logs(q) : { logs: [], truncated: false };
    return (startMs: number, endMs: number) => ({
      spans: spans.spans.filter((s) => s.startMs >= startMs && s.startMs < endMs),
      logs: logs.logs.filter((l) => l.timeMs >= startMs && l.timeMs < endMs),
      truncated: spans.truncated || logs.truncated,
    });
  };
  const usesLogs = (e: ResolvedExperiment): boolean => (e.primary.kind === 'conversion' ? e.primary.exposure.source === 'log' || e.primary.conversion.source === 'log' : e.primary.of.source === 'log');
  type Read = ReturnType<typeof reader>;

  const analyze = (r: ExperimentRecord, e: ResolvedExperiment, read: Read = reader(r.startedAtMs, r.endedAtMs ?? o.clock.now(), usesLogs(e))): ExperimentResult => {
    // A stopped or concluded experiment is read over the window it ran in.
    const endMs = r.endedAtMs ?? o.clock.now();
    const window = read(r.startedAtMs, endMs);
    const flag = flagOf(r.environment, e) ?? { defaultValue: false, variants: undefined, rules: [] };
    return analyzeExperiment(e, r.environment, flag, window, { startMs: r.startedAtMs, endMs, truncated: window.truncated });
  };

  const stop = (environment: string, e: ResolvedExperiment, actor: string, reason: string, guardrail: string | null): boolean => {
    if (!store.end(environment, e.name, 'Stopped', reason, o.clock.now())) return false;
    let controlServed = false;
    try {
      controlServed = o.control.serveControl(environment, e.flag, e.arms[0]!.value, actor);
    } finally {
      o.appendEvent({ type: EXPERIMENT_STOPPED, subject: subject(environment, e.name), data: { environment, experiment: e.name, flag: e.flag, reason, guardrail, actor, controlServed } });
    }
    return true;
  };

  const evaluate = (environment: string, e: ResolvedExperiment, r: ExperimentRecord, read: Read): void => {
    const result = analyze(r, e, read);
    store.recordVerdict(environment, e.name, result.verdict, result.winner);
    const breached = result.guardrails.find((g) => g.breach !== undefined);
    if (breached !== undefined) {
      stop(environment, e, GUARDRAIL_ACTOR, breached.breach!, breached.name);
      return;
    }
    if ((result.verdict === 'Better' || result.verdict === 'Worse') && store.end(environment, e.name, 'Concluded', result.summary, o.clock.now())) {
      const c = result.variants.find((v) => v.variant === result.winner)!.comparison!;
      o.appendEvent({
        type: EXPERIMENT_CONCLUDED,
        subject: subject(environment, e.name),
        data: { environment, experiment: e.name, flag: e.flag, verdict: result.verdict, arm: result.winner!, difference: c.difference, ci: [c.ci[0], c.ci[1]], pValue: c.pValue },
      });
    }
  };

  const experiments: Experiments = {
    sync: () => {
      for (const { environment, experiment } of declared()) ensure(environment, experiment);
    },
    list: () => declared().map(({ environment, experiment }) => dto(ensure(environment, experiment), experiment)),
    get: (environment, name) => {
      const e = find(environment, name);
      const r = ensure(environment, e);
      return { ...dto(r, e), result: analyze(r, e) };
    },
    stop: (environment, name, options) => {
      const e = find(environment, name);
      const r = ensure(environment, e);
      if (r.state === 'Stopped' || !stop(environment, e, options.actor, options.reason ?? `stopped by ${options.actor}`, null)) {
        throw new ConflictError('SLW_ERR_EXPERIMENT_NOT_RUNNING', `experiment ${JSON.stringify(name)} in ${JSON.stringify(environment)} is already stopped`);
      }
      return dto(store.tryGet(environment, name)!, e);
    },
    tick: () => {
      let running: { environment: string; experiment: ResolvedExperiment; record: ExperimentRecord }[];
      let read: Read;
      try {
        running = declared()
          .map(({ environment, experiment }) => ({ environment, experiment, record: ensure(environment, experiment) }))
          .filter((x) => x.record.state === 'Running');
        if (running.length === 0) return;
        read = reader(Math.min(...running.map((x) => x.record.startedAtMs)), o.clock.now(), running.some((x) => usesLogs(x.experiment)));
      } catch (err) {
        o.onError?.(err, '*');
        return;
      }
      for (const { environment, experiment, record } of running) {
        try {
          evaluate(environment, experiment, record, read);
        } catch (err) {
          o.onError?.(err, `${environment}/${experiment.name}`);
        }
      }
    },
    start: () => {
      if (timer !== undefined) return;
      experiments.sync();
      timer = setInterval(() => experiments.tick(), o.intervalMs ?? 10_000);
      timer.unref();
    },
    close: () => {
      clearInterval(timer);
      timer = undefined;
    },
  };
  return experiments;
}

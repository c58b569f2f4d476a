// Measures: each span attributed to an arm, counted into that arm's primary metric and guardrails.
import type { ResolvedEventSelector, ResolvedExperiment } from '../shared/index.js';
import { armOfSpan, armsByTrace, type AttributionFlag } from './attribute.js';
import type { ExperimentLog, ExperimentSpan } from './model.js';

/** The raw primary-metric data of one arm. */
export interface ArmPrimary {
  readonly exposures: number;
  readonly conversions: number;
  /** Observations of a mean metric. */
  readonly values: number[];
}

/** Spans a guardrail counted on one arm. */
export interface ArmGuardrail {
  readonly samples: number;
  readonly errors: number;
  readonly durationsMs: number[];
}

/** What {@link measure} found in a window. */
export interface Measurements {
  /** By arm name, every arm present. */
  readonly primary: ReadonlyMap<string, ArmPrimary>;
  /** By guardrail name, then arm name. */
  readonly guardrails: ReadonlyMap<string, ReadonlyMap<string, ArmGuardrail>>;
  /** Spans the primary metric would count that no arm could be given. */
  readonly unattributed: number;
}

/** A span or a log record, as the primary metric sees it. */
interface Event {
  readonly source: 'span' | 'log';
  readonly traceId: string;
  readonly name: string;
  readonly service: string | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Spans only. */
  readonly durationMs: number | undefined;
}

const matches = (e: Event, s: ResolvedEventSelector): boolean => e.source === s.source && e.name === s.name && (s.service === undefined || e.service === s.service);

/**
 * Attributes every span and log record to an arm through its trace ({@link armsByTrace}: the
 * arm the trace's spans name) and counts it: exposures and conversions (or the measured values) of
 * the primary metric; for each guardrail, the spans it watches (those of its `span`/`service`, or
 * else the spans that themselves carry the flag evaluation) with their errors and durations.
 */
export function measure(spans: readonly ExperimentSpan[], logs: readonly ExperimentLog[], experiment: ResolvedExperiment, flag: AttributionFlag): Measurements {
  const byTrace = armsByTrace(spans, experiment, flag);
  const primary = new Map(experiment.arms.map((a) => [a.name, { exposures: 0, conversions: 0, values: [] as number[] }]));
  const guardrails = new Map(experiment.guardrails.map((g) => [g.name, new Map(experiment.arms.map((a) => [a.name, { samples: 0, errors: 0, durationsMs: [] as number[] }]))]));
  let unattributed = 0;
  const p = experiment.primary;
  const count = (e: Event): void => {
    const counted = p.kind === 'conversion' ? matches(e, p.exposure) || matches(e, p.conversion) : matches(e, p.of);
    if (!counted) return;
    const arm = byTrace.get(e.traceId);
    if (arm === undefined || arm === null) {
      unattributed += 1;
      return;
    }
    const slot = primary.get(arm)!;
    if (p.kind === 'conversion') {
      if (matches(e, p.exposure)) slot.exposures += 1;
      if (matches(e, p.conversion)) slot.conversions += 1;
    } else {
      const v = p.attribute === undefined ? e.durationMs : e.attributes[p.attribute];
      if (typeof v === 'number' && Number.isFinite(v)) slot.values.push(v);
    }
  };
  for (const span of spans) {
    count({ source: 'span', traceId: span.traceId, name: span.name, service: span.service, attributes: span.attributes, durationMs: span.durationMs });
    const arm = byTrace.get(span.traceId);
    if (arm === undefined || arm === null) continue;
    for (const g of experiment.guardrails) {
      const watched = g.span === undefined && g.service === undefined ? armOfSpan(span, experiment.flag, flag) !== undefined : (g.span === undefined || span.name === g.span) && (g.service === undefined || span.service === g.service);
      if (!watched) continue;
      const r = guardrails.get(g.name)!.get(arm)!;
      r.samples += 1;
      if (span.error) r.errors += 1;
      r.durationsMs.push(span.durationMs);
    }
  }
  for (const log of logs) count({ source: 'log', traceId: log.traceId, name: log.name, service: log.service, attributes: log.attributes, durationMs: undefined });
  return { primary, guardrails, unattributed };
}

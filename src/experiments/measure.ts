// Measures: each span attributed to an arm, counted into that arm's primary metric and guardrails.
import type { ResolvedExperiment, ResolvedSpanSelector } from '../shared/index.js';
import { armOfSpan, armsByTrace, type AttributionFlag } from './attribute.js';
import type { ExperimentSpan } from './model.js';

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

const matches = (span: ExperimentSpan, s: ResolvedSpanSelector): boolean => span.name === s.span && (s.service === undefined || span.service === s.service);

/**
 * Attributes every span to an arm through its trace ({@link armsByTrace}) and counts it: exposures
 * and conversions (or the measured values) of the primary metric; for each guardrail, the spans it
 * watches (those of its `span`/`service`, or else the spans that themselves carry the flag
 * evaluation) with their errors and durations.
 */
export function measure(spans: readonly ExperimentSpan[], experiment: ResolvedExperiment, flag: AttributionFlag): Measurements {
  const byTrace = armsByTrace(spans, experiment, flag);
  const primary = new Map(experiment.arms.map((a) => [a.name, { exposures: 0, conversions: 0, values: [] as number[] }]));
  const guardrails = new Map(experiment.guardrails.map((g) => [g.name, new Map(experiment.arms.map((a) => [a.name, { samples: 0, errors: 0, durationsMs: [] as number[] }]))]));
  let unattributed = 0;
  const p = experiment.primary;
  for (const span of spans) {
    const counted = p.kind === 'conversion' ? matches(span, p.exposure) || matches(span, p.conversion) : matches(span, p.of);
    const arm = byTrace.get(span.traceId);
    if (arm === undefined || arm === null) {
      if (counted) unattributed += 1;
      continue;
    }
    const slot = primary.get(arm)!;
    if (p.kind === 'conversion') {
      if (matches(span, p.exposure)) slot.exposures += 1;
      if (matches(span, p.conversion)) slot.conversions += 1;
    } else if (matches(span, p.of)) {
      const v = p.attribute === undefined ? span.durationMs : span.attributes[p.attribute];
      if (typeof v === 'number' && Number.isFinite(v)) slot.values.push(v);
    }
    for (const g of experiment.guardrails) {
      const watched = g.span === undefined && g.service === undefined ? armOfSpan(span, experiment.flag, flag) !== undefined : (g.span === undefined || span.name === g.span) && (g.service === undefined || span.service === g.service);
      if (!watched) continue;
      const r = guardrails.get(g.name)!.get(arm)!;
      r.samples += 1;
      if (span.error) r.errors += 1;
      r.durationsMs.push(span.durationMs);
    }
  }
  return { primary, guardrails, unattributed };
}

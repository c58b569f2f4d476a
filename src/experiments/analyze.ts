// One pure function from an experiment's spans to its result.
import type { ResolvedExperiment } from '../shared/index.js';
import type { AttributionFlag } from './attribute.js';
import { assessGuardrails } from './guardrails.js';
import { measure } from './measure.js';
import type { ExperimentResult } from '../shared/index.js';
import type { ExperimentLog, ExperimentSpan } from './model.js';
import { decideVerdict } from './verdict.js';

/** The window of telemetry an experiment was read over. */
export interface AnalysisWindow {
  readonly startMs: number;
  readonly endMs: number;
  /** Whether the window had more spans or log records than were read. */
  readonly truncated: boolean;
}

/**
 * The result of an experiment in one environment over the spans of a window: per variant, the
 * verdict and the guardrails. Spans and log records of another environment are left out; those
 * that name none count (a single-environment setup need not label its telemetry).
 */
export function analyzeExperiment(
  experiment: ResolvedExperiment,
  environment: string,
  flag: AttributionFlag,
  telemetry: { readonly spans: readonly ExperimentSpan[]; readonly logs?: readonly ExperimentLog[] },
  window: AnalysisWindow,
): ExperimentResult {
  const here = (x: { readonly environment: string | undefined }): boolean => x.environment === undefined || x.environment === environment;
  const m = measure(telemetry.spans.filter(here), (telemetry.logs ?? []).filter(here), experiment, flag);
  const v = decideVerdict(experiment, m.primary);
  return {
    verdict: v.verdict,
    winner: v.winner,
    summary: v.summary,
    variants: v.variants,
    guardrails: assessGuardrails(experiment, m.guardrails),
    unattributed: m.unattributed,
    alphaPerComparison: v.alphaPerComparison,
    truncated: window.truncated,
    windowStartMs: window.startMs,
    windowEndMs: window.endMs,
  };
}

// One pure function from an experiment's spans to its result.
import type { ResolvedExperiment } from '../shared/index.js';
import type { AttributionFlag } from './attribute.js';
import { assessGuardrails } from './guardrails.js';
import { measure } from './measure.js';
import type { ExperimentResult } from '../shared/index.js';
import type { ExperimentSpan } from './model.js';
import { decideVerdict } from './verdict.js';

/** The window of spans an experiment was read over. */
export interface AnalysisWindow {
  readonly startMs: number;
  readonly endMs: number;
  /** Whether more spans started in the window than were read. */
  readonly truncated: boolean;
}

/**
 * The result of an experiment in one environment over the spans of a window: per variant, the
 * verdict and the guardrails. Spans whose resource names another environment are left out; spans
 * that name none count (a single-environment setup need not label its telemetry).
 */
export function analyzeExperiment(experiment: ResolvedExperiment, environment: string, flag: AttributionFlag, spans: readonly ExperimentSpan[], window: AnalysisWindow): ExperimentResult {
  const own = spans.filter((s) => s.environment === undefined || s.environment === environment);
  const m = measure(own, experiment, flag);
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

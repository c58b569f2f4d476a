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

/** The result of an experiment over the spans of a window: per variant, the verdict and the guardrails. */
export function analyzeExperiment(experiment: ResolvedExperiment, flag: AttributionFlag, spans: readonly ExperimentSpan[], window: AnalysisWindow): ExperimentResult {
  const m = measure(spans, experiment, flag);
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

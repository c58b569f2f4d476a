import { z } from 'zod';
import type { ResolvedExperimentMetric } from '../app-model/resolved-experiment.js';

// A/B experiments as the API answers them (`GET /api/v1/experiments[/:env/:name]`); the engine computes these.

/** Where an experiment is in its life, the same words in the API, the database and the CLI. */
export type ExperimentState = 'Running' | 'Stopped' | 'Concluded';

/**
 * The verdict on the primary metric: `Inconclusive` until every variant has its minimum sample
 * (never a guess), then `Better` or `Worse` when a variant differs significantly from the
 * control, `NotSignificant` when none does.
 */
export type Verdict = 'Inconclusive' | 'NotSignificant' | 'Better' | 'Worse';

/** A comparison of one variant with the control. */
export interface Comparison {
  /** Variant − control: a difference of rates (conversion) or of means. */
  readonly difference: number;
  /** Its confidence interval at 1 − significance. */
  readonly ci: readonly [number, number];
  readonly pValue: number;
  /** p below the (corrected) significance level. */
  readonly significant: boolean;
  /** `z` or `t`. */
  readonly statistic: number;
  /** Welch–Satterthwaite degrees of freedom (mean metrics only). */
  readonly df?: number;
}

/** The primary metric of one variant. */
export interface VariantResult {
  readonly variant: string;
  readonly control: boolean;
  /** Exposures (conversion) or observations (mean). */
  readonly exposures: number;
  /** Conversions (conversion metrics). */
  readonly conversions?: number;
  /** Conversion rate (conversions / exposures) or the mean; null without data. */
  readonly value: number | null;
  /** Against the control; absent for the control itself and while the verdict waits for samples. */
  readonly comparison?: Comparison;
  readonly verdict: Verdict;
}

/** A guardrail's reading on one variant. */
export interface GuardrailVariant {
  readonly variant: string;
  /** Spans counted. */
  readonly samples: number;
  /** Error rate in percent, or the latency percentile in ms; null without data. */
  readonly value: number | null;
  readonly breached: boolean;
}

/** A guardrail's reading. */
export interface GuardrailResult {
  readonly name: string;
  readonly kind: 'errorRate' | 'latency';
  /** The threshold: percent, or ms. */
  readonly threshold: number;
  readonly variants: readonly GuardrailVariant[];
  /** Why it breached, when one non-control variant did (with its minimum sample). */
  readonly breach: string | undefined;
}

/** Everything an experiment's telemetry says, per variant. */
export interface ExperimentResult {
  readonly verdict: Verdict;
  /** The variant the verdict is about (the best significant one), if any. */
  readonly winner: string | undefined;
  /** Why the verdict is what it is, in one sentence. */
  readonly summary: string;
  readonly variants: readonly VariantResult[];
  readonly guardrails: readonly GuardrailResult[];
  /** Spans of the window no variant could be given (no flag evaluation in their trace, or two variants). */
  readonly unattributed: number;
  /** The significance level each comparison is held to: alpha / (variants − 1) (Bonferroni). */
  readonly alphaPerComparison: number;
  /** Whether the window had more spans than were read (results are of the oldest ones). */
  readonly truncated: boolean;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
}

/** Path parameters naming an experiment in an environment: `/api/v1/experiments/:env/:name`. */
export const experimentParamsSchema = z.strictObject({
  env: z.string().min(1).max(63),
  name: z.string().min(1).max(63),
});

/** Body of `POST /api/v1/experiments/:env/:name/stop` (may be empty). */
export const stopExperimentBodySchema = z.strictObject({
  /** Recorded as who stopped it. @default 'api' */
  by: z.string().min(1).max(200).optional(),
  /** Why, in the `experiment.stopped` event. @default 'stopped by <by>' */
  reason: z.string().min(1).max(500).optional(),
});

/** One experiment in one environment, as listed. */
export interface ExperimentDto {
  readonly environment: string;
  readonly name: string;
  readonly flag: string;
  readonly description: string | undefined;
  readonly state: ExperimentState;
  /** Variant names; the first is the control. */
  readonly variants: readonly string[];
  /** The primary metric as the app model declares it (compiled): what counts as an exposure and a conversion, or what is averaged. */
  readonly primary: ResolvedExperimentMetric;
  readonly startedAt: string;
  readonly endedAt: string | undefined;
  /** Why it stopped or concluded. */
  readonly reason: string | undefined;
  /** The verdict of the last evaluation (`Inconclusive` before the first). */
  readonly verdict: Verdict;
  readonly winner: string | undefined;
  readonly minSamplePerVariant: number;
  readonly significance: number;
}

/** `GET /api/v1/experiments`. */
export interface ExperimentListDto {
  readonly experiments: readonly ExperimentDto[];
}

/** `GET /api/v1/experiments/:env/:name`: the experiment and its result now, per variant. */
export interface ExperimentDetailDto extends ExperimentDto {
  readonly result: ExperimentResult;
}

/** Which events are counted, compiled: spans, or log records, of a name. */
export interface ResolvedEventSelector {
  readonly source: 'span' | 'log';
  /** The span's name, or the log record's `event.name` (else its message). */
  readonly name: string;
  /** undefined: every service. */
  readonly service: string | undefined;
}

/** An experiment's primary metric, compiled. */
export type ResolvedExperimentMetric =
  | { readonly kind: 'conversion'; readonly exposure: ResolvedEventSelector; readonly conversion: ResolvedEventSelector }
  | {
      readonly kind: 'mean';
      readonly of: ResolvedEventSelector;
      /** undefined: the span's duration, ms (log records always name one). */
      readonly attribute: string | undefined;
      readonly higherIsBetter: boolean;
    };

/** A guardrail, compiled. */
export type ResolvedGuardrail =
  | { readonly name: string; readonly kind: 'errorRate'; readonly span: string | undefined; readonly service: string | undefined; readonly maxPercent: number }
  | { readonly name: string; readonly kind: 'latency'; readonly span: string | undefined; readonly service: string | undefined; readonly percentile: number; readonly maxMs: number };

/** One arm of an experiment: the flag value it serves and the name results use. */
export interface ResolvedArm {
  /** `String(value)` for a flag without variants (`"true"`), the variant's name otherwise. */
  readonly name: string;
  /** What the flag serves to this arm (the variant name for a flag with variants). */
  readonly value: boolean | string | number;
}

/** An experiment, compiled: the control is the first arm. */
export interface ResolvedExperiment {
  readonly name: string;
  readonly description: string | undefined;
  readonly flag: string;
  /** Every arm compared; `arms[0]` is the control. */
  readonly arms: readonly ResolvedArm[];
  readonly primary: ResolvedExperimentMetric;
  readonly guardrails: readonly ResolvedGuardrail[];
  readonly minSamplePerVariant: number;
  readonly significance: number;
  readonly environments: readonly string[];
}

// Types of A/B experiments: the span shape attribution reads, the ports; results are API types.
export type { ExperimentState, Verdict, Comparison, VariantResult, GuardrailVariant, GuardrailResult, ExperimentResult } from '../shared/index.js';

/** An attribute value as telemetry stores it. */
export type AttributeValue = string | number | boolean | null | readonly unknown[] | Readonly<Record<string, unknown>>;

/** What attribution and the metrics read of a stored span. */
export interface ExperimentSpan {
  readonly traceId: string;
  readonly name: string;
  readonly service: string;
  /** The resource's `deployment.environment.name` (or the older `deployment.environment`), if it names one. */
  readonly environment: string | undefined;
  readonly durationMs: number;
  /** Whether the span's status is Error. */
  readonly error: boolean;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: readonly { readonly name: string; readonly attributes: Readonly<Record<string, unknown>> }[];
}

/** The telemetry an experiment reads: spans that started in a window. */
export interface ExperimentTelemetry {
  /**
   * Spans that started in `[startMs, endMs)`, oldest first, at most `limit`.
   * @returns the spans and whether the limit cut the window short
   */
  spans(q: { readonly startMs: number; readonly endMs: number; readonly limit: number }): { readonly spans: readonly ExperimentSpan[]; readonly truncated: boolean };
}

/** How a stopped experiment's flag is made to serve the control (the composition root fills it from the flag store). */
export interface ControlSwitch {
  /**
   * Makes `flag` serve `control` to everyone in `environment`.
   * @returns whether it now does (false when the environment has no such flag)
   */
  serveControl(environment: string, flag: string, control: boolean | string | number, actor: string): boolean;
}


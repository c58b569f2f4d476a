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
  /** When it started, ms since the epoch. */
  readonly startMs: number;
  readonly durationMs: number;
  /** Whether the span's status is Error. */
  readonly error: boolean;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: readonly { readonly name: string; readonly attributes: Readonly<Record<string, unknown>> }[];
}

/** What the metrics read of a stored log record that belongs to a trace. */
export interface ExperimentLog {
  readonly traceId: string;
  /** When it was written, ms since the epoch. */
  readonly timeMs: number;
  /** Its `event.name` attribute, else its message. */
  readonly name: string;
  readonly service: string | undefined;
  readonly environment: string | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A window of telemetry to read. */
export interface TelemetryWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly limit: number;
}

/** The telemetry an experiment reads. */
export interface ExperimentTelemetry {
  /**
   * Spans that started in `[startMs, endMs)`, oldest first, at most `limit`.
   * @returns the spans and whether the limit cut the window short
   */
  spans(q: TelemetryWindow): { readonly spans: readonly ExperimentSpan[]; readonly truncated: boolean };
  /** Log records of `[startMs, endMs)` that belong to a trace, oldest first, at most `limit`. */
  logs(q: TelemetryWindow): { readonly logs: readonly ExperimentLog[]; readonly truncated: boolean };
}

/** How a stopped experiment's flag is made to serve the control (the composition root fills it from the flag store). */
export interface ControlSwitch {
  /**
   * Makes `flag` serve `control` to everyone in `environment`.
   * @returns whether it now does (false when the environment has no such flag)
   */
  serveControl(environment: string, flag: string, control: boolean | string | number, actor: string): boolean;
}


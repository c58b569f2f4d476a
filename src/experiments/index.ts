// A/B experiments: variants of a flag compared on a primary metric attributed from telemetry,
// with confidence intervals, a verdict that waits for its sample, and guardrails that stop them.
export { createExperiments, GUARDRAIL_ACTOR, type Experiments, type ExperimentsOptions, type ExperimentEvent } from './experiments.js';
export { experimentRoutes, DEFAULT_STOP_ACTOR } from './routes.js';
export { experimentMigrations } from './store/migrations.js';
export { analyzeExperiment, type AnalysisWindow } from './analyze.js';
export { armOfSpan, armsByTrace, FLAG_EVALUATION_EVENT, LEGACY_FLAG_EVENT, type AttributionFlag } from './attribute.js';
export type { ExperimentSpan, ExperimentLog, ExperimentTelemetry, TelemetryWindow, ControlSwitch } from './model.js';
export { normalCdf, normalQuantile, normalPdf } from './stats/normal.js';
export { studentTCdf, studentTQuantile, studentTTwoSided } from './stats/student-t.js';
export { twoProportionTest, type Proportion, type TwoProportionResult } from './stats/two-proportion.js';
export { welchTest, welchDf, summarize, type SampleSummary, type WelchResult } from './stats/welch.js';

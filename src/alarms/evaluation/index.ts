// Pure CloudWatch-compatible alarm semantics: metric alarm evaluation, evaluation windows,
// composite rules, anomaly detection bands and state history. No I/O; time is passed in.
export {
  ALARM_STATES,
  type AlarmState,
  type BandComparison,
  type BandPoint,
  type ComparisonOperator,
  type Evaluation,
  type MetricAlarmInput,
  type MetricAlarmSettings,
  type ThresholdComparison,
  type TreatMissingData,
} from './model.js';
export { isBandComparison, isBreaching } from './compare.js';
export { evaluateMetricAlarm } from './evaluate-metric-alarm.js';
export { alignToPeriod, evaluationWindow, EVALUATION_LOOKBACK_PERIODS } from './window.js';
export { transition, type StateHistoryEntry, type Transition } from './transition.js';
// The rule AST and parser (parseAlarmRule, referencedAlarms, RuleNode) live in src/shared: the app model validates rules with them.
export { evaluateComposite, type CompositeEvaluation } from './composite/evaluate-composite.js';
export { findCompositeCycle } from './composite/find-composite-cycle.js';
export {
  anomalyBand,
  fitAnomalyModel,
  type AnomalyBand,
  type AnomalyModel,
  type AnomalyModelOptions,
  type Seasonality,
} from './anomaly-model.js';
export { median, robustStats, MAD_TO_STD_DEV, type RobustStats } from './robust-stats.js';

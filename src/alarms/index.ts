// Alarms: CloudWatch semantics (pure), the evaluator (persisted state, schedule, deployment
// attribution, mutes) and notifications (topics, subscriptions, deliveries, dead letters).
export * from './evaluation/index.js';
export { createAlarms, type Alarms, type AlarmsOptions } from './alarms.js';
export { alarmMigrations } from './engine/migrations.js';
export type { AlarmHistoryEntry, AlarmHistoryType, AlarmKind, AlarmRecord, AlarmSummary } from './engine/model.js';
export type { RoundResult, AlarmScaler } from './engine/evaluator.js';
export type { QueryMetric, QueryMetrics } from './engine/query-metric.js';
export type { AnomalyModelsOptions } from './engine/anomaly-models.js';
export { nextDueMs } from './engine/schedule.js';
export type { DeadLetter } from './notify/dead-letter-store.js';
export type { DeliveryPolicy } from './notify/delivery-queue.js';
export { SEVERITIES, type NotificationMessage, type Severity, type Subscription, type SubscriptionFilter } from './notify/model.js';
export { buildMessage, NOTIFIED_EVENT_TYPES } from './notify/build-message.js';
export { signBody, slackBody, SIGNATURE_HEADER, DeliveryError, type SecretSource, type Transport } from './notify/transports/index.js';
export { alarmRoutes } from './routes.js';

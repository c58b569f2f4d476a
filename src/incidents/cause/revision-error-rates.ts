import { IMPACT_ERROR_METRIC, type MetricSource } from '../impact.js';
import type { DeploymentChange } from './change.js';
import type { RevisionErrorRates } from './find-likely-cause.js';

/**
 * How a change's new and old revisions answered while it was under way: 5xx per request of each, from the
 * router's metrics (dimension `revision`). Undefined when telemetry has no requests for the new revision
 * or cannot be queried: a tie is then broken by the other rules, not by a guess.
 */
export function revisionErrorRates(metrics: MetricSource, change: DeploymentChange, untilMs: number): RevisionErrorRates | undefined {
  if (change.toRevision === null) return undefined;
  const startMs = change.startedAtMs;
  const endMs = Math.max(change.restoredAtMs ?? change.endedAtMs ?? untilMs, startMs + 1000);
  const periodMs = Math.min(3_600_000, Math.max(1000, Math.ceil((endMs - startMs) / 10_000 / 1000) * 1000));
  const sum = (name: string, revision: string): number =>
    metrics.queryMetric({ name, dimensions: { service: change.service, environment: change.environment, revision }, stat: 'Sum', periodMs, startMs, endMs, includeAnonymous: false }).values.reduce((a, b) => a + b, 0);
  const rate = (revision: string | null): number | undefined => {
    if (revision === null) return undefined;
    const requests = sum('RequestCount', revision);
    return requests > 0 ? sum(IMPACT_ERROR_METRIC, revision) / requests : undefined;
  };
  try {
    const newRate = rate(change.toRevision);
    if (newRate === undefined) return undefined;
    return { newRate, oldRate: rate(change.fromRevision) ?? 0 };
  } catch {
    return undefined;
  }
}

import type { StartEnv } from '../runtime/index.js';
import { withIngestKeyHeader, type IngestKeys } from '../telemetry/index.js';

/**
 * What each task gets at start so its telemetry is accepted: its own service key (bound to its
 * environment and service) in `OTEL_EXPORTER_OTLP_HEADERS`, the standard variable every
 * OpenTelemetry SDK reads, added to whatever headers the service's own env sets. The key is
 * derived at each start and never stored with the task set.
 */
export function ingestStartEnv(keys: IngestKeys): StartEnv {
  return (task, specEnv) => ({
    OTEL_EXPORTER_OTLP_HEADERS: withIngestKeyHeader(specEnv.OTEL_EXPORTER_OTLP_HEADERS, keys.serviceKey(task.environment, task.service)),
  });
}

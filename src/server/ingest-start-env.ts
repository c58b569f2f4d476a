import type { ResolvedRum } from '../shared/index.js';
import type { StartEnv } from '../runtime/index.js';
import { withIngestKeyHeader, type IngestKeys } from '../telemetry/index.js';

/** Where a page sends its spans (the OTLP/HTTP receiver's base URL, as the browser reaches it). */
export const RUM_ENDPOINT_ENV = 'SLIPWAY_RUM_ENDPOINT';
/** The public browser key of the page's service name in the task's environment. */
export const RUM_INGEST_KEY_ENV = 'SLIPWAY_RUM_INGEST_KEY';
/** `service.name` of the page's spans. */
export const RUM_SERVICE_NAME_ENV = 'SLIPWAY_RUM_SERVICE_NAME';

/** Real-user monitoring as {@link ingestStartEnv} needs it: the model's, read at each start, and the receiver's URL. */
export interface RumStartEnv {
  /** The model's `telemetry.rum` (undefined without it), read at each task start. */
  readonly rum: () => ResolvedRum | undefined;
  /** The OTLP/HTTP receiver's base URL, e.g. `http://127.0.0.1:4318`. */
  readonly endpoint: string;
}

/**
 * What each task gets at start so its telemetry is accepted: its own service key (bound to its
 * environment and service) in `OTEL_EXPORTER_OTLP_HEADERS`, the standard variable every
 * OpenTelemetry SDK reads, added to whatever headers the service's own env sets. A task of a
 * service that serves the app's pages (`telemetry.rum.servedBy`) also gets what its pages need to
 * send browser spans: the receiver's URL, the public browser key of its environment, and the
 * browser's service name. Keys are derived at each start and never stored with the task set.
 */
export function ingestStartEnv(keys: IngestKeys, browser?: RumStartEnv): StartEnv {
  return (task, specEnv) => {
    const rum = browser?.rum();
    const pages: Record<string, string> =
      browser !== undefined && rum !== undefined && rum.servedBy.includes(task.service)
        ? {
            [RUM_ENDPOINT_ENV]: browser.endpoint,
            [RUM_INGEST_KEY_ENV]: keys.browserKey(task.environment, rum.serviceName),
            [RUM_SERVICE_NAME_ENV]: rum.serviceName,
          }
        : {};
    return { OTEL_EXPORTER_OTLP_HEADERS: withIngestKeyHeader(specEnv.OTEL_EXPORTER_OTLP_HEADERS, keys.serviceKey(task.environment, task.service)), ...pages };
  };
}

import { INGEST_KEY_HEADER } from './ingest-keys.js';

/**
 * The value of `OTEL_EXPORTER_OTLP_HEADERS` that carries `key`: the existing value (a
 * comma-separated `name=value` list, as the OpenTelemetry SDKs read it) without any ingest key
 * header of its own, plus `x-slipway-ingest-key=<key>`. Keys are URL-safe, so no escaping.
 * @example withIngestKeyHeader('x-tenant=a', 'svc.prod.web.abc') === 'x-tenant=a,x-slipway-ingest-key=svc.prod.web.abc'
 */
export function withIngestKeyHeader(existing: string | undefined, key: string): string {
  const kept = (existing ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && entry.split('=')[0]?.trim().toLowerCase() !== INGEST_KEY_HEADER);
  return [...kept, `${INGEST_KEY_HEADER}=${key}`].join(',');
}

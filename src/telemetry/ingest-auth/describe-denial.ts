import type { ErrorCode } from '../../shared/index.js';
import type { IngestDenial } from './authorize-ingest.js';
import { INGEST_KEY_HEADER, XRAY_INGEST_KEY_FIELD, type IngestKeys } from './ingest-keys.js';

/** The app's ingest keys and whether senders without one are accepted. */
export interface IngestPolicy {
  /** The keys requests are checked against. */
  readonly keys: IngestKeys;
  /** The app model's `telemetry.allowUnauthenticated`. */
  readonly allowUnauthenticated: boolean;
}

/** What a refused sender is told: the code and a message saying where the key goes. */
export function describeDenial(reason: IngestDenial, transport: 'otlp' | 'xray'): { readonly code: ErrorCode; readonly message: string } {
  const where = transport === 'otlp' ? `the ${INGEST_KEY_HEADER} header` : `"${XRAY_INGEST_KEY_FIELD}" of the datagram's header line`;
  const code: ErrorCode = reason === 'SignalNotAllowed' ? 'SLW_ERR_OTLP_FORBIDDEN' : transport === 'otlp' ? 'SLW_ERR_OTLP_UNAUTHENTICATED' : 'SLW_ERR_XRAY_UNAUTHENTICATED';
  switch (reason) {
    case 'NoKey':
      return {
        code,
        message: `no ingest key in ${where}: send the app key (the file ingest-key in the data directory) or a service key (tasks get theirs in OTEL_EXPORTER_OTLP_HEADERS), or opt in with telemetry.allowUnauthenticated in the app model`,
      };
    case 'InvalidKey':
      return { code, message: `the key in ${where} is not an ingest key of this app` };
    case 'SignalNotAllowed':
      return { code, message: 'a browser key writes traces and logs, not metrics' };
  }
}

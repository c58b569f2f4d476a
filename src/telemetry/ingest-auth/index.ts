// Who may write telemetry: ingest keys, the decision per signal, and the service binding.
export { IngestKeys, INGEST_KEY_HEADER, XRAY_INGEST_KEY_FIELD, type IngestPrincipal, type IngestCredential } from './ingest-keys.js';
export { authorizeIngest, type IngestDecision, type IngestDenial, type ServiceBinding } from './authorize-ingest.js';
export { bindItems, bindingMessage, spanMismatch, pointMismatch, logMismatch, type BoundItems } from './service-binding.js';
export { withIngestKeyHeader } from './otlp-headers.js';
export { describeDenial, type IngestPolicy } from './describe-denial.js';

import protobuf from 'protobufjs';
import { OTLP_PROTO_FILES } from './proto-schema.generated.js';

/** An OTLP signal. */
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** The request and response message types of one signal's collector service. */
export interface OtlpServiceTypes {
  /** `Export<Signal>ServiceRequest`. */
  readonly request: protobuf.Type;
  /** `Export<Signal>ServiceResponse`. */
  readonly response: protobuf.Type;
}

const SERVICE_PACKAGES: Readonly<Record<OtlpSignal, readonly [string, string]>> = {
  traces: ['opentelemetry.proto.collector.trace.v1', 'Trace'],
  metrics: ['opentelemetry.proto.collector.metrics.v1', 'Metrics'],
  logs: ['opentelemetry.proto.collector.logs.v1', 'Logs'],
};

let root: protobuf.Root | undefined;

// The schema is embedded as text (see proto-schema.generated.ts) rather than
// read from .proto files at runtime, so it works the same from src/ and dist/.
function otlpRoot(): protobuf.Root {
  if (root === undefined) {
    const r = new protobuf.Root();
    for (const text of Object.values(OTLP_PROTO_FILES)) protobuf.parse(text, r, { keepCase: false });
    r.resolveAll();
    root = r;
  }
  return root;
}

/** The protobuf types of a signal's collector service, parsed once from the official OTLP protos. */
export function otlpServiceTypes(signal: OtlpSignal): OtlpServiceTypes {
  const [pkg, name] = SERVICE_PACKAGES[signal];
  const r = otlpRoot();
  return {
    request: r.lookupType(`${pkg}.Export${name}ServiceRequest`),
    response: r.lookupType(`${pkg}.Export${name}ServiceResponse`),
  };
}

/** A `google.rpc.Status` answer of an OTLP/HTTP request that failed as a whole. */
export interface RpcStatusBody {
  /** The body. */
  readonly body: Buffer;
  /** Its content type. */
  readonly contentType: 'application/x-protobuf' | 'application/json';
}

/** The gRPC code that goes with an HTTP status (`INVALID_ARGUMENT`, `RESOURCE_EXHAUSTED`, ...). */
export function grpcCodeOf(httpStatus: number): number {
  if (httpStatus === 401) return 16; // UNAUTHENTICATED
  if (httpStatus === 403) return 7; // PERMISSION_DENIED
  if (httpStatus === 404) return 5; // NOT_FOUND
  if (httpStatus === 405) return 12; // UNIMPLEMENTED
  if (httpStatus === 413) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 503) return 14; // UNAVAILABLE
  if (httpStatus >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/**
 * Encodes `google.rpc.Status { code = 1; message = 2; }` as OTLP/HTTP requires for
 * failures: protobuf when the request was protobuf, else JSON `{"code", "message"}`.
 */
export function encodeRpcStatus(httpStatus: number, message: string, protobuf: boolean): RpcStatusBody {
  const code = grpcCodeOf(httpStatus);
  if (!protobuf) return { body: Buffer.from(JSON.stringify({ code, message })), contentType: 'application/json' };
  const text = Buffer.from(message, 'utf8');
  const body = Buffer.concat([Buffer.from([0x08, ...varint(code), 0x12, ...varint(text.length)]), text]);
  return { body, contentType: 'application/x-protobuf' };
}

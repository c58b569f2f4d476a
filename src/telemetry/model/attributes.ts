/**
 * An attribute value, JSON-compatible. OTLP `AnyValue`s flatten to it: strings,
 * booleans and doubles as themselves, int64 as a number when it is a safe
 * integer and as a decimal string otherwise, bytes as a base64 string, arrays
 * as arrays and key-value lists as objects. An empty `AnyValue` is `null`.
 */
export type AttrValue = string | number | boolean | null | readonly AttrValue[] | { readonly [key: string]: AttrValue };

/** Attributes by key (span, resource, data point, log record attributes). */
export type Attributes = Readonly<Record<string, AttrValue>>;

/** The instrumentation scope that produced an item (OTLP `InstrumentationScope`). */
export interface ScopeInfo {
  /** Scope name, e.g. `@opentelemetry/instrumentation-http`; empty when unknown. */
  readonly name: string;
  /** Scope version; absent when unknown. */
  readonly version?: string;
}

/** The service name used when a resource carries no `service.name`. */
export const UNKNOWN_SERVICE = 'unknown_service';

/** The `service.name` resource attribute when it is a non-empty string, else {@link UNKNOWN_SERVICE}. */
export function serviceOf(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
}

import type { AttrValue, Attributes, LogRecordIn, MetricPoint, Span } from '../model/index.js';
import { serviceLogGroup } from '../store/log-entry.js';
import type { ServiceBinding } from './authorize-ingest.js';

/** The items of a request that belong to a service key, and how many did not. */
export interface BoundItems<T> {
  /** Items that name the key's service (and no other environment). */
  readonly accepted: T[];
  /** Number of items that named another service or environment. */
  readonly rejected: number;
  /** What the first rejected item claimed, for the partial-success message. */
  readonly problem?: string;
}

function text(v: AttrValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const ENVIRONMENT_KEYS = ['deployment.environment.name', 'deployment.environment'] as const;

function resourceMismatch(service: string, resource: Attributes, b: ServiceBinding): string | undefined {
  if (service !== b.service) return `service.name "${service}"`;
  for (const key of ENVIRONMENT_KEYS) {
    const env = text(resource[key]);
    if (env !== undefined && env !== b.environment) return `${key} "${env}"`;
  }
  return undefined;
}

/** What a span claims beyond its key's service and environment; undefined when it belongs. */
export function spanMismatch(span: Span, b: ServiceBinding): string | undefined {
  return resourceMismatch(span.service, span.resource, b);
}

/**
 * What a data point claims beyond its key: its resource, and the `service` and `environment`
 * attributes too, because those are the dimensions alarms and the router's metrics match on.
 */
export function pointMismatch(point: MetricPoint, b: ServiceBinding): string | undefined {
  const problem = resourceMismatch(point.service, point.resource, b);
  if (problem !== undefined) return problem;
  const service = text(point.attributes.service);
  if (service !== undefined && service !== b.service) return `the attribute service "${service}"`;
  const environment = text(point.attributes.environment);
  if (environment !== undefined && environment !== b.environment) return `the attribute environment "${environment}"`;
  return undefined;
}

/** What a log record claims beyond its key, including a `slipway.log_group` of another service. */
export function logMismatch(record: LogRecordIn, b: ServiceBinding): string | undefined {
  const problem = resourceMismatch(record.service, record.resource, b);
  if (problem !== undefined) return problem;
  const group = text(record.resource['slipway.log_group']);
  const own = serviceLogGroup(b.environment, b.service);
  return group !== undefined && group !== '' && group !== own ? `slipway.log_group "${group}"` : undefined;
}

/**
 * Keeps the items a service key may write. The others are rejected, not relabelled: moving a
 * point to the key's service would put numbers under it that its code never measured, and OTLP
 * has a standard way to tell the sender (partial success), so a misconfigured SDK finds out.
 */
export function bindItems<T>(items: readonly T[], b: ServiceBinding, mismatch: (item: T, b: ServiceBinding) => string | undefined): BoundItems<T> {
  const accepted: T[] = [];
  let rejected = 0;
  let problem: string | undefined;
  for (const item of items) {
    const m = mismatch(item, b);
    if (m === undefined) {
      accepted.push(item);
      continue;
    }
    rejected++;
    problem ??= m;
  }
  return { accepted, rejected, ...(problem !== undefined ? { problem } : {}) };
}

/** The partial-success message of items rejected by a binding. */
export function bindingMessage(rejected: number, received: number, itemsName: string, problem: string, b: ServiceBinding, code: string): string {
  return `rejected ${rejected} of ${received} ${itemsName}: they name ${problem}, but the key is for service "${b.service}" in environment "${b.environment}" (${code})`;
}

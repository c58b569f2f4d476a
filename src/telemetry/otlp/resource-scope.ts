import { serviceOf, type Attributes, type ScopeInfo } from '../model/index.js';
import { keyValues, type DepthCuts } from './any-value.js';
import { obj, str } from './read.js';

/** A decoded `Resource`: its attributes and service name. */
export interface ResourceInfo {
  /** Resource attributes. */
  readonly resource: Attributes;
  /** `service.name`, or `unknown_service`. */
  readonly service: string;
}

/** Reads a `Resource` message. */
export function readResource(value: unknown, cuts?: DepthCuts): ResourceInfo {
  const resource = keyValues(obj(value).attributes, 0, cuts);
  return { resource, service: serviceOf(resource) };
}

/** Reads an `InstrumentationScope` message; `undefined` when absent or empty. */
export function readScope(value: unknown): ScopeInfo | undefined {
  if (value === undefined || value === null) return undefined;
  const scope = obj(value);
  const name = str(scope.name);
  const version = str(scope.version);
  if (name === '' && version === '') return undefined;
  return version === '' ? { name } : { name, version };
}

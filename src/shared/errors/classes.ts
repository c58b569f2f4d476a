import { errorSpec, type ErrorCode } from './catalog.js';

/** One problem of a validation failure: where (a dotted path) and what. */
export interface Issue {
  /** Path of the offending value, e.g. `environments.production.rollbackOn[0]`; empty for the whole input. */
  readonly path: string;
  /** What is wrong, e.g. `no alarm named "gateway-5xx"`. */
  readonly message: string;
}

/** Options every slipway error takes. */
export interface SlipwayErrorOptions {
  /** The underlying error, kept for `--debug` and logs; never sent to API clients. */
  readonly cause?: unknown;
  /** Problems with their paths, for validation errors. */
  readonly issues?: readonly Issue[];
  /** Whether trying the same operation again may succeed. @default false */
  readonly retryable?: boolean;
}

/**
 * The root of slipway's error family. Each error carries a catalog code; the
 * API's one error handler maps it to the catalog's HTTP status and one body shape.
 */
export class SlipwayError extends Error {
  /** The catalog code. */
  readonly code: ErrorCode;
  /** Problems with their paths (validation errors). */
  readonly issues: readonly Issue[];
  /** Whether trying again may succeed. */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message?: string, options: SlipwayErrorOptions = {}) {
    super(message ?? errorSpec(code).message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.issues = options.issues ?? [];
    this.retryable = options.retryable ?? false;
  }

  /** The HTTP status of this error's code. */
  get status(): number {
    return errorSpec(this.code).status;
  }
}

/** Bad input from a user: a config, a request body, a query (400). */
export class InputError extends SlipwayError {}
/** The thing asked for does not exist (404). */
export class NotFoundError extends SlipwayError {}
/** The request conflicts with current state, e.g. a deployment already running (409). */
export class ConflictError extends SlipwayError {}
/** The caller may not do this (401/403), or asked by a name this server does not answer to (421). */
export class NotAllowedError extends SlipwayError {}
/** A dependency is not reachable now; trying again later may work (503). */
export class UnavailableError extends SlipwayError {
  constructor(code: ErrorCode, message?: string, options: SlipwayErrorOptions = {}) {
    super(code, message, { retryable: true, ...options });
  }
}

/** Formats issues as one line each: `<path>: <message>`, prefixed by a source such as a file name. */
export function formatIssues(issues: readonly Issue[], source?: string): string {
  return issues
    .map((i) => [source, i.path, i.message].filter((p) => p !== undefined && p !== '').join(': '))
    .join('\n');
}

import type { SpanEvent } from '../model/index.js';
import { doc } from './attributes.js';

/**
 * `exception` span events from an X-Ray `cause` object: one per entry of
 * `cause.exceptions`, with `exception.type`, `exception.message` and
 * `exception.stacktrace` (`at <label> (<path>:<line>)` per frame). A `cause`
 * that is an exception id (a string) refers to another subsegment and yields none.
 */
export function exceptionEvents(cause: unknown, timeMs: number): SpanEvent[] {
  const exceptions = doc(cause).exceptions;
  if (!Array.isArray(exceptions)) return [];
  return exceptions.map((raw): SpanEvent => {
    const e = doc(raw);
    const stack = Array.isArray(e.stack) ? e.stack.map(doc).map(frame) : [];
    return {
      name: 'exception',
      timeMs,
      attributes: {
        ...(typeof e.type === 'string' ? { 'exception.type': e.type } : {}),
        ...(typeof e.message === 'string' ? { 'exception.message': e.message } : {}),
        ...(stack.length > 0 ? { 'exception.stacktrace': stack.join('\n') } : {}),
      },
    };
  });
}

function frame(f: Readonly<Record<string, unknown>>): string {
  const label = typeof f.label === 'string' ? f.label : '<anonymous>';
  const path = typeof f.path === 'string' ? f.path : '<unknown>';
  const line = typeof f.line === 'number' ? `:${f.line}` : '';
  return `at ${label} (${path}${line})`;
}

/** The first exception message of a `cause`, for the span's status message. */
export function firstExceptionMessage(cause: unknown): string | undefined {
  const exceptions = doc(cause).exceptions;
  const first = Array.isArray(exceptions) ? doc(exceptions[0]).message : undefined;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

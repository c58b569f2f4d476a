import { InputError, type ErrorCode } from '../../shared/index.js';
import type { SourcePosition } from './ast.js';

/** The codes a query error carries: a grammar error, or a well-formed but meaningless query. */
export type QueryErrorCode = Extract<ErrorCode, 'SLW_ERR_LOGS_QUERY_SYNTAX' | 'SLW_ERR_LOGS_QUERY_INVALID'>;

/**
 * A query that cannot run, with where the problem is. The message reads
 * `line 1, col 23: expected a field after 'by'`; the same text is the one issue, at path `query`.
 */
export class LogsQueryError extends InputError {
  /** Where the problem starts in the query text. */
  readonly position: SourcePosition;
  /** The problem without its position, e.g. `expected a field after 'by'`. */
  readonly detail: string;

  constructor(code: QueryErrorCode, detail: string, position: SourcePosition) {
    const message = `line ${position.line}, col ${position.column}: ${detail}`;
    super(code, message, { issues: [{ path: 'query', message }] });
    this.position = position;
    this.detail = detail;
  }
}

/** The line and column of an offset of a text (both 1-based; `\n` ends a line). */
export function positionAt(text: string, offset: number): SourcePosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

/** Throws a {@link LogsQueryError} for a grammar error at an offset of the text. */
export function syntaxError(text: string, offset: number, detail: string): never {
  throw new LogsQueryError('SLW_ERR_LOGS_QUERY_SYNTAX', detail, positionAt(text, offset));
}

/** Throws a {@link LogsQueryError} for a meaning error (unknown function, bad regex, …). */
export function invalidQuery(text: string, offset: number, detail: string): never {
  throw new LogsQueryError('SLW_ERR_LOGS_QUERY_INVALID', detail, positionAt(text, offset));
}

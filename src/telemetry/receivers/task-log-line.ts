import type { FieldValue } from '../logs-insights/index.js';
import { serviceLogGroup, type LogEntry } from '../store/log-entry.js';

/** One line a task wrote to stdout or stderr. */
export interface TaskLogLine {
  /** Environment of the task, e.g. `production`. */
  readonly environment: string;
  /** Service of the task. */
  readonly service: string;
  /** Revision the task runs. */
  readonly revision: string;
  /** Task id: the log stream. */
  readonly taskId: string;
  /** Which output. */
  readonly stream: 'stdout' | 'stderr';
  /** The line, without its newline. */
  readonly line: string;
  /** When it was read, ms since the epoch. */
  readonly timeMs: number;
}

const PINO_LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function levelOf(v: unknown): string | undefined {
  if (typeof v === 'number') return PINO_LEVELS[v];
  return textOf(v)?.toUpperCase();
}

/**
 * A task's output line as a log entry in `/slipway/<environment>/<service>`, stream
 * `<taskId>`. A JSON-object line gives `level`/`severity` (pino numbers too),
 * `msg`/`message`, `trace_id`/`traceId` and `span_id`/`spanId`; the message stays
 * the whole line, so every JSON member is queryable. Fields: `service`,
 * `environment`, `revision`, `task_id`, `output` (stdout/stderr), `level`, `msg`,
 * `trace_id`, `span_id` when known.
 */
export function taskLogEntry(l: TaskLogLine): LogEntry {
  let json: Record<string, unknown> | undefined;
  if (l.line.trimStart().startsWith('{')) {
    try {
      const v: unknown = JSON.parse(l.line);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) json = v as Record<string, unknown>;
    } catch {
      json = undefined;
    }
  }
  const level = json ? levelOf(json.level ?? json.severity) : undefined;
  const msg = json ? textOf(json.msg ?? json.message) : undefined;
  const traceId = json ? textOf(json.trace_id ?? json.traceId) : undefined;
  const spanId = json ? textOf(json.span_id ?? json.spanId) : undefined;
  const fields: Record<string, FieldValue> = {
    service: l.service,
    environment: l.environment,
    revision: l.revision,
    task_id: l.taskId,
    output: l.stream,
    ...(level !== undefined ? { level } : {}),
    ...(msg !== undefined ? { msg } : {}),
    ...(traceId !== undefined ? { trace_id: traceId } : {}),
    ...(spanId !== undefined ? { span_id: spanId } : {}),
  };
  return {
    timeMs: l.timeMs,
    group: serviceLogGroup(l.environment, l.service),
    stream: l.taskId,
    message: l.line,
    severity: level ?? '',
    ...(traceId !== undefined ? { traceId } : {}),
    ...(spanId !== undefined ? { spanId } : {}),
    fields,
  };
}

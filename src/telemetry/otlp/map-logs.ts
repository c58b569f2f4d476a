import { isInWindow, isValidSpanId, isValidTraceId, type LogRecordIn, type TimeWindow } from '../model/index.js';
import { anyValue, keyValues, type DepthCuts } from './any-value.js';
import { Rejections } from './rejections.js';
import { readResource, readScope } from './resource-scope.js';
import { id, int, nanos, nanosToMs, obj, objs, str, type Obj } from './read.js';

/** What mapping an `ExportLogsServiceRequest` produced. */
export interface MappedLogs {
  /** Accepted log records. */
  readonly records: LogRecordIn[];
  /** Rejected log records, by reason. */
  readonly rejections: Rejections;
  /** Log records in the request, accepted or not. */
  readonly received: number;
}

/**
 * Maps a decoded `ExportLogsServiceRequest` to log records. `receivedAtMs` is
 * the observed time of records that carry neither time.
 */
export function mapLogs(request: unknown, window: TimeWindow, receivedAtMs: number): MappedLogs {
  const records: LogRecordIn[] = [];
  const rejections = new Rejections();
  let received = 0;
  for (const rl of objs(obj(request).resourceLogs)) {
    const { resource, service } = readResource(rl.resource, rejections);
    for (const sl of objs(rl.scopeLogs)) {
      const scope = readScope(sl.scope);
      for (const raw of objs(sl.logRecords)) {
        received += 1;
        const record = mapRecord(raw, window, receivedAtMs, rejections);
        if (record === undefined) rejections.add('TimestampOutOfRange');
        else records.push({ ...record, resource, service, ...(scope ? { scope } : {}) });
      }
    }
  }
  return { records, rejections, received };
}

type RecordBody = Omit<LogRecordIn, 'resource' | 'service' | 'scope'>;

function mapRecord(raw: Obj, window: TimeWindow, receivedAtMs: number, cuts: DepthCuts): RecordBody | undefined {
  const timeNs = nanos(raw.timeUnixNano);
  const observedNs = nanos(raw.observedTimeUnixNano);
  if (timeNs === undefined || observedNs === undefined) return undefined;
  // "Use time_unix_nano if it is present, otherwise use observed_time_unix_nano"; a
  // record nobody observed yet is observed now, by this receiver.
  const observedTimeMs = observedNs !== 0n ? nanosToMs(observedNs) : timeNs !== 0n ? nanosToMs(timeNs) : receivedAtMs;
  const timeMs = timeNs !== 0n ? nanosToMs(timeNs) : observedTimeMs;
  if (!isInWindow(timeMs, window)) return undefined;
  // Invalid ids do not reject a log record: it is then "not associated with a trace".
  const traceId = id(raw.traceId);
  const spanId = id(raw.spanId);
  const hasTrace = traceId !== undefined && isValidTraceId(traceId);
  const eventName = str(raw.eventName);
  return {
    timeMs,
    observedTimeMs,
    severityNumber: int(raw.severityNumber),
    severityText: str(raw.severityText),
    body: bodyOf(raw.body, cuts),
    attributes: keyValues(raw.attributes, 0, cuts),
    ...(hasTrace ? { traceId } : {}),
    ...(hasTrace && spanId !== undefined && isValidSpanId(spanId) ? { spanId } : {}),
    ...(eventName !== '' ? { eventName } : {}),
  };
}

function bodyOf(body: unknown, cuts: DepthCuts): string {
  if (body === undefined || body === null) return '';
  const value = anyValue(body, 0, cuts);
  if (typeof value === 'string') return value;
  return value === null ? '' : JSON.stringify(value);
}

import { DEFAULT_JSON_MAX_DEPTH } from '../../shared/index.js';
import type { FieldValue, LogRecord } from './model.js';
import { Timestamp, toNumber, type Value } from './values.js';

/**
 * One row of the pipeline: a log record plus the fields commands computed, or (after `stats`)
 * only computed fields. Members of a JSON message are discovered on first use, once.
 */
export class Row {
  private readonly computed = new Map<string, Value>();
  private json: ReadonlyMap<string, FieldValue> | undefined;

  constructor(readonly record?: LogRecord) {}

  /** The value of a field, `null` when absent. Computed fields win over the record's. */
  get(name: string): Value {
    if (this.computed.has(name)) return this.computed.get(name) ?? null;
    const r = this.record;
    if (r === undefined) return null;
    switch (name) {
      case '@timestamp':
        return new Timestamp(r.timestampMs);
      case '@message':
        return r.message;
      case '@logStream':
        return r.logStream;
      case '@log':
        return r.log;
      case '@ingestionTime':
        return r.ingestionTimeMs === undefined ? null : new Timestamp(r.ingestionTimeMs);
      case '@traceId':
        return r.traceId ?? null;
      case '@spanId':
        return r.spanId ?? null;
      default: {
        const own = r.fields !== undefined && Object.hasOwn(r.fields, name) ? r.fields[name] : undefined;
        if (own !== undefined) return own;
        return this.jsonFields().get(name) ?? null;
      }
    }
  }

  /** Sets a computed field. */
  set(name: string, value: Value): void {
    this.computed.set(name, value);
  }

  /** `@timestamp` in ms, or `null` when the row has none (after `stats`). */
  timestampMs(): number | null {
    const t = this.get('@timestamp');
    return t instanceof Timestamp ? t.ms : toNumber(t);
  }

  private jsonFields(): ReadonlyMap<string, FieldValue> {
    if (this.json === undefined) this.json = discoverJsonFields(this.record?.message ?? '');
    return this.json;
  }
}

const NONE: ReadonlyMap<string, FieldValue> = new Map();

/** The members of a JSON-object message flattened with dots (`a.b`, `list.0`), to 64 levels deep; empty otherwise. */
export function discoverJsonFields(message: string): ReadonlyMap<string, FieldValue> {
  const trimmed = message.trimStart();
  if (!trimmed.startsWith('{')) return NONE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return NONE;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return NONE;
  const out = new Map<string, FieldValue>();
  flatten(parsed, '', out);
  return out;
}

// A log line is whatever a task printed: members nested deeper than this are not
// discovered, so a hostile line cannot exhaust the stack of a query.
const MAX_FIELD_DEPTH = DEFAULT_JSON_MAX_DEPTH;

function flatten(value: unknown, prefix: string, out: Map<string, FieldValue>, depth = 1): void {
  if (value !== null && typeof value === 'object') {
    if (depth > MAX_FIELD_DEPTH) return;
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, inner] of entries) flatten(inner, prefix === '' ? key : `${prefix}.${key}`, out, depth + 1);
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
    out.set(prefix, value);
  }
}

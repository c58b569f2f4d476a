import type { AttrValue, Attributes, Span, SpanKind, SpanStatusCode } from '../model/index.js';

/** Span kinds as stored (`spans.kind`). */
export const KIND_CODES: Readonly<Record<SpanKind, number>> = { Internal: 0, Server: 1, Client: 2, Producer: 3, Consumer: 4 };
/** Stored kind codes back to names. */
export const KIND_NAMES: readonly SpanKind[] = ['Internal', 'Server', 'Client', 'Producer', 'Consumer'];
/** Status codes as stored (`spans.status`). */
export const STATUS_CODES: Readonly<Record<SpanStatusCode, number>> = { Unset: 0, Ok: 1, Error: 2 };
/** Stored status codes back to names. */
export const STATUS_NAMES: readonly SpanStatusCode[] = ['Unset', 'Ok', 'Error'];

/** True for kinds that receive a call from another service (an entry into the service). */
export function isEntryKind(kind: SpanKind): boolean {
  return kind === 'Server' || kind === 'Consumer';
}

/** True for kinds that call another service. */
export function isExitKind(kind: SpanKind): boolean {
  return kind === 'Client' || kind === 'Producer';
}

function text(value: AttrValue | undefined): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function first(attrs: Attributes, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = text(attrs[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The HTTP response status of a span (stable or legacy semantic conventions). */
export function httpStatusOf(attrs: Attributes): number | undefined {
  const v = attrs['http.response.status_code'] ?? attrs['http.status_code'];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 999 ? n : undefined;
}

/** The database columns extracted from a span's attributes. */
export interface DbColumns {
  /** `db.system` / `db.system.name`. */
  readonly system?: string;
  /** `db.name` / `db.namespace`. */
  readonly name?: string;
  /** `db.statement` / `db.query.text`. */
  readonly statement?: string;
}

/** Database attributes of a span, old and new semantic conventions. */
export function dbColumnsOf(attrs: Attributes): DbColumns {
  const system = first(attrs, ['db.system', 'db.system.name']);
  const name = first(attrs, ['db.name', 'db.namespace']);
  const statement = first(attrs, ['db.statement', 'db.query.text']);
  return { ...(system ? { system } : {}), ...(name ? { name } : {}), ...(statement ? { statement } : {}) };
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const host = new URL(url).host;
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}

/**
 * What an outgoing span calls, for the service map's leaf nodes: the database
 * (`<db.system>:<db.name>`, or whichever of the two is set — both, because a
 * database is often named after the service that owns it, and the two must not
 * merge into one node), else `peer.service`, `server.address`,
 * `net.peer.name`, or the host of `http.url` / `url.full`. Undefined for other kinds.
 */
export function peerOf(kind: SpanKind, attrs: Attributes): string | undefined {
  if (!isExitKind(kind)) return undefined;
  const db = dbColumnsOf(attrs);
  if (db.system !== undefined && db.name !== undefined) return `${db.system}:${db.name}`;
  if (db.system !== undefined || db.name !== undefined) return db.name ?? db.system;
  return (
    first(attrs, ['peer.service', 'server.address', 'net.peer.name']) ?? hostOf(first(attrs, ['http.url', 'url.full']))
  );
}

/** True when a span recorded an exception event. */
export function hasException(span: Span): boolean {
  return span.events.some((e) => e.name === 'exception');
}

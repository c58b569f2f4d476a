import type { AttrValue } from '../model/index.js';

/** A JSON object of an X-Ray document (untrusted). */
export type Doc = Readonly<Record<string, unknown>>;

/** The value as an object, or an empty object. */
export function doc(value: unknown): Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Doc) : {};
}

type Entry = readonly [string, AttrValue];

function scalar(key: string, value: unknown): Entry[] {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? [[key, value]] : [];
}

/** The database name at the end of an X-Ray `sql.url` such as `host:5432/shop?ssl=true`. */
export function databaseNameOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const path = url.split(/[?;]/)[0] ?? '';
  const slash = path.lastIndexOf('/');
  const name = slash >= 0 ? path.slice(slash + 1) : '';
  return name !== '' ? name : undefined;
}

/**
 * Span attributes of an X-Ray segment or subsegment: `http` as `http.method`,
 * `http.url`, `http.user_agent`, `http.client_ip`, `http.status_code`,
 * `http.response_content_length`; `sql` as `db.statement`, `db.system`,
 * `db.name`, `db.user`, `db.connection_string`; `aws` as `aws.operation`,
 * `aws.region`, `aws.request_id`, `aws.table_name`, `aws.queue_url`;
 * annotations as themselves; metadata as `xray.metadata.<namespace>` (JSON);
 * `user` as `enduser.id`; `namespace` as `xray.namespace`; `error`, `fault` and
 * `throttle` as `xray.error`, `xray.fault`, `xray.throttle` when true.
 */
export function xrayAttributes(d: Doc): Record<string, AttrValue> {
  const request = doc(doc(d.http).request);
  const response = doc(doc(d.http).response);
  const sql = doc(d.sql);
  const aws = doc(d.aws);
  const dbName = databaseNameOf(sql.url);
  const entries: Entry[] = [
    ...Object.entries(doc(d.annotations)).flatMap(([k, v]) => scalar(k, v)),
    ...Object.entries(doc(d.metadata)).map(([ns, v]): Entry => [`xray.metadata.${ns}`, JSON.stringify(v) ?? null]),
    ...scalar('http.method', request.method),
    ...scalar('http.url', request.url),
    ...scalar('http.user_agent', request.user_agent),
    ...scalar('http.client_ip', request.client_ip),
    ...scalar('http.status_code', response.status),
    ...scalar('http.response_content_length', response.content_length),
    ...scalar('db.statement', sql.sanitized_query),
    ...scalar('db.system', typeof sql.database_type === 'string' ? sql.database_type.toLowerCase() : undefined),
    ...scalar('db.name', dbName),
    ...scalar('db.user', sql.user),
    ...scalar('db.connection_string', sql.url ?? sql.connection_string),
    ...scalar('aws.operation', aws.operation),
    ...scalar('aws.region', aws.region),
    ...scalar('aws.request_id', aws.request_id),
    ...scalar('aws.table_name', aws.table_name),
    ...scalar('aws.queue_url', aws.queue_url),
    ...scalar('enduser.id', d.user),
    ...scalar('xray.namespace', d.namespace),
    ...(d.error === true ? [['xray.error', true] as const] : []),
    ...(d.fault === true ? [['xray.fault', true] as const] : []),
    ...(d.throttle === true ? [['xray.throttle', true] as const] : []),
  ];
  return Object.fromEntries(entries);
}

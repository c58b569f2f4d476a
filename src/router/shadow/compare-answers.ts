import type { JsonPathSegment } from '../../shared/index.js';
import { diffJson } from './json-diff.js';

/** One answer of a pair: what the comparison looks at. */
export interface ComparedAnswer {
  readonly status: number;
  /** Lower-case header name → value (repeated headers joined with `, `). */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/** How bodies are compared: `auto` parses both as JSON when both content types say JSON, else compares bytes. */
export type BodyComparison = 'auto' | 'json' | 'bytes' | 'ignore';

/** A comparison ready for the request path. */
export interface CompiledComparison {
  /** Compare response headers (except {@link NOISY_HEADERS} and `ignoreHeaders`). */
  readonly headers: boolean;
  readonly body: BodyComparison;
  readonly ignoreHeaders: ReadonlySet<string>;
  readonly ignorePaths: readonly (readonly JsonPathSegment[])[];
}

/**
 * Headers that differ between any two answers (dates, lengths and validators derived from the
 * body, which is compared itself, and connection management): never compared.
 */
export const NOISY_HEADERS: ReadonlySet<string> = new Set(['date', 'age', 'etag', 'last-modified', 'expires', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

const isJson = (contentType: string | undefined): boolean => contentType !== undefined && /^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType.trim());

function parse(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * What differs between the primary's and the shadow's answer (pure): `status`, `headers.<name>`,
 * `body` when compared as bytes, or the JSON paths where the parsed bodies differ. Empty when
 * they agree. At most `limit` fields.
 */
export function compareAnswers(primary: ComparedAnswer, shadow: ComparedAnswer, c: CompiledComparison, limit = 20): string[] {
  const fields: string[] = [];
  if (primary.status !== shadow.status) fields.push('status');
  if (c.headers) {
    const names = new Set([...primary.headers.keys(), ...shadow.headers.keys()]);
    for (const name of [...names].sort()) {
      if (NOISY_HEADERS.has(name) || c.ignoreHeaders.has(name)) continue;
      if (primary.headers.get(name) !== shadow.headers.get(name)) fields.push(`headers.${name}`);
    }
  }
  if (c.body !== 'ignore' && fields.length < limit) {
    const json = c.body === 'json' || (c.body === 'auto' && isJson(primary.headers.get('content-type')) && isJson(shadow.headers.get('content-type')));
    const a = json ? parse(primary.body) : undefined;
    const b = json ? parse(shadow.body) : undefined;
    if (a?.ok === true && b?.ok === true) fields.push(...diffJson(a.value, b.value, c.ignorePaths, limit - fields.length));
    else if (!primary.body.equals(shadow.body)) fields.push('body');
  }
  return fields.slice(0, limit);
}

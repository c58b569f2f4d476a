import { parseJsonPath, type JsonPathSegment } from './json-path.js';

/** A noisy field left out of a shadow comparison: a response header, or a JSON path into the body. */
export type ShadowIgnoreRule = { readonly kind: 'header'; readonly name: string } | { readonly kind: 'json'; readonly path: string; readonly segments: readonly JsonPathSegment[] };

const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses one `ignore` entry of a shadow comparison: `headers.<name>` (case-insensitive) or a JSON
 * path into the body (`$.timestamp`, `$..requestId`, `$.items[*].updatedAt`).
 * @example parseShadowIgnore('headers.date')
 */
export function parseShadowIgnore(entry: string): ShadowIgnoreRule | { readonly kind: 'invalid'; readonly message: string } {
  if (entry.startsWith('headers.')) {
    const name = entry.slice('headers.'.length);
    return HEADER.test(name) ? { kind: 'header', name: name.toLowerCase() } : { kind: 'invalid', message: `"${entry}" does not name a header: use headers.<name>, e.g. headers.date` };
  }
  const parsed = parseJsonPath(entry);
  return parsed.ok ? { kind: 'json', path: entry, segments: parsed.segments } : { kind: 'invalid', message: `${parsed.message}; a header is named headers.<name>` };
}

/** The methods a shadow may copy. */
export const SHADOW_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Methods copied by default: those that change nothing on the target (RFC 9110 §9.2.1). */
export const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
/** Largest request body (and answer) a shadow compares by default, bytes. */
export const DEFAULT_SHADOW_MAX_BODY_BYTES = 1024 * 1024;

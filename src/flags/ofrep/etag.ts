import { createHash } from 'node:crypto';

/**
 * A strong ETag for a response body: the first 128 bits of SHA-256 over its JSON, base64url.
 * Equal bodies get equal tags, so a tag changes exactly when what the caller would receive does
 * (a flag changed, was added or removed, or the context now evaluates differently).
 */
export function etagOf(body: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(body)).digest().subarray(0, 16).toString('base64url')}"`;
}

/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110 §13.1.2: weak comparison, a list of
 * tags, or `*`). Absent or empty never matches.
 */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim()).filter((t) => t !== '');
  return tags.some((t) => t === '*' || opaque(t) === opaque(etag));
}

/**
 * The value of one top-level key of a JSON secret, as `env.secrets-manager`
 * `secret-id:json-key` reads it: strings as they are, other JSON values
 * serialized. Undefined when the secret is not JSON, not an object, or has no
 * such key (or it is null).
 */
export function secretField(secret: string, key: string): string | undefined {
  return jsonFields(secret)?.get(key);
}

/** Every top-level key of a JSON-object secret with its value as {@link secretField} reads it; undefined when the secret is not a JSON object. */
export function jsonFields(secret: string): Map<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    out.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return out;
}

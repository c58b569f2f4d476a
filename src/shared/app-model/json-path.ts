// A small subset of JSONPath (RFC 9535) for naming fields to leave out of a comparison: no filters,
// no slices, no functions. The shadow comparison matches concrete paths against these patterns; it
// never evaluates a query over a document, so the subset is all it needs (and no library is needed).

/** One segment of a compiled JSON path pattern. */
export type JsonPathSegment =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' }
  /** `..name` or `..*`: the segment at any depth below. */
  | { readonly kind: 'descendant'; readonly child: { readonly kind: 'name'; readonly name: string } | { readonly kind: 'wildcard' } };

/** A parsed pattern, or why it is not one. */
export type JsonPathParse = { readonly ok: true; readonly segments: readonly JsonPathSegment[] } | { readonly ok: false; readonly message: string };

/** Longest pattern accepted. */
export const MAX_JSON_PATH_LENGTH = 512;

const NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/**
 * Parses a JSON path pattern: `$`, then `.name`, `['name']`, `[0]`, `[*]`, `.*`, `..name`, `..*`.
 * @example parseJsonPath("$.items[*].updatedAt")
 */
export function parseJsonPath(text: string): JsonPathParse {
  const fail = (why: string): JsonPathParse => ({ ok: false, message: `"${text}" is not a JSON path: ${why} (use $, .name, ['name'], [0], [*], .* or ..name)` });
  if (text.length > MAX_JSON_PATH_LENGTH) return { ok: false, message: `a JSON path is at most ${MAX_JSON_PATH_LENGTH} characters` };
  if (!text.startsWith('$')) return fail('it must start with $');
  const segments: JsonPathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith('..')) {
      const after = rest.slice(2);
      if (after.startsWith('*')) {
        segments.push({ kind: 'descendant', child: { kind: 'wildcard' } });
        i += 3;
        continue;
      }
      const m = NAME.exec(after);
      if (!m) return fail(`expected a name after .. at ${i + 2}`);
      segments.push({ kind: 'descendant', child: { kind: 'name', name: m[0] } });
      i += 2 + m[0].length;
    } else if (rest.startsWith('.')) {
      const after = rest.slice(1);
      if (after.startsWith('*')) {
        segments.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const m = NAME.exec(after);
      if (!m) return fail(`expected a name after . at ${i + 1}`);
      segments.push({ kind: 'name', name: m[0] });
      i += 1 + m[0].length;
    } else if (rest.startsWith('[')) {
      const bracket = /^\[(?:(\*)|(\d{1,9})|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
      if (!bracket) return fail(`expected [*], [<index>] or ['<name>'] at ${i}`);
      if (bracket[1] !== undefined) segments.push({ kind: 'wildcard' });
      else if (bracket[2] !== undefined) segments.push({ kind: 'index', index: Number(bracket[2]) });
      else segments.push({ kind: 'name', name: (bracket[3] ?? bracket[4] ?? '').replace(/\\(.)/g, '$1') });
      i += bracket[0].length;
    } else {
      return fail(`unexpected "${rest[0] ?? ''}" at ${i}`);
    }
  }
  return { ok: true, segments };
}

/** A concrete location in a JSON document: object keys and array indexes from the root. */
export type JsonLocation = readonly (string | number)[];

function matchesChild(seg: JsonPathSegment | { readonly kind: 'name'; readonly name: string } | { readonly kind: 'wildcard' }, key: string | number): boolean {
  if (seg.kind === 'wildcard') return true;
  if (seg.kind === 'name') return key === seg.name;
  if (seg.kind === 'index') return key === seg.index;
  return false;
}

/** Whether `location` is exactly what `pattern` names. */
export function jsonPathMatches(pattern: readonly JsonPathSegment[], location: JsonLocation, i = 0, j = 0): boolean {
  if (i === pattern.length) return j === location.length;
  const seg = pattern[i]!;
  if (seg.kind === 'descendant') {
    for (let k = j; k < location.length; k++) {
      if (matchesChild(seg.child, location[k]!) && jsonPathMatches(pattern, location, i + 1, k + 1)) return true;
    }
    return false;
  }
  return j < location.length && matchesChild(seg, location[j]!) && jsonPathMatches(pattern, location, i + 1, j + 1);
}

/** The normalized path of a location: `$.items[3].price`, `$['a b']`. */
export function formatJsonLocation(location: JsonLocation): string {
  let out = '$';
  for (const key of location) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) out += `.${key}`;
    else out += `['${key.replace(/['\\]/g, '\\$&')}']`;
  }
  return out;
}

/** Most wildcards ECR allows in one tag pattern. */
export const MAX_PATTERN_WILDCARDS = 4;

/** Whether `tag` matches `pattern`, where `*` stands for any run of characters (none included). */
export function matchesTagPattern(pattern: string, tag: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === tag;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (tag.length < first.length + last.length || !tag.startsWith(first) || !tag.endsWith(last)) return false;
  let at = first.length;
  const end = tag.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = tag.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/**
 * The tag test of a `tagged` rule: an image matches when *every* prefix (or pattern) matches at
 * least one of its tags — several entries narrow the selection, as ECR documents.
 */
export function tagMatcher(prefixes: readonly string[] | undefined, patterns: readonly string[] | undefined): (tags: readonly string[]) => boolean {
  if (prefixes !== undefined) return (tags) => prefixes.every((p) => tags.some((t) => t.startsWith(p)));
  if (patterns !== undefined) return (tags) => patterns.every((p) => tags.some((t) => matchesTagPattern(p, t)));
  return () => true;
}

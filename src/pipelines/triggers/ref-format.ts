/** The longest ref accepted (git sets no limit; hosts cap branch names well below it). */
export const MAX_REF_LENGTH = 1024;

const FORBIDDEN = [' ', '~', '^', ':', '?', '*', '[', '\\'];

/**
 * Why `ref` is not a full ref name git accepts, or undefined when it is. The rules of
 * `git check-ref-format` (without `--allow-onelevel`): at least one `/`; no ASCII control
 * character, space, `~ ^ : ? * [ \`; no `..` or `@{`; not `@`; no leading, trailing or doubled
 * `/`; no trailing `.`; no component starting with `.` or ending with `.lock`. Checked before a
 * ref from a webhook reaches git, so it can be neither an option nor a refspec (`a:b`, `+a`).
 *
 * @example refFormatProblem('refs/heads/feat$(x)') // undefined: git accepts it; it still never reaches a shell
 * @example refFormatProblem('refs/heads/a:refs/heads/main') // 'contains ":"'
 */
export function refFormatProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'is empty';
  if (ref.length > MAX_REF_LENGTH) return `is longer than ${MAX_REF_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(ref)) return 'contains a control character';
  const bad = FORBIDDEN.find((c) => ref.includes(c));
  if (bad !== undefined) return `contains ${JSON.stringify(bad)}`;
  if (ref.includes('..')) return 'contains ".."';
  if (ref.includes('@{')) return 'contains "@{"';
  if (ref === '@') return 'is "@"';
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return 'has an empty path component';
  if (!ref.includes('/')) return 'is not a full ref (refs/heads/… or refs/tags/…)';
  if (ref.endsWith('.')) return 'ends with "."';
  for (const part of ref.split('/')) {
    if (part.startsWith('.')) return `has a component starting with "." (${JSON.stringify(part)})`;
    if (part.endsWith('.lock')) return `has a component ending with ".lock" (${JSON.stringify(part)})`;
  }
  return undefined;
}

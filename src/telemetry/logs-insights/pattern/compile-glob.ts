import { RE2JS } from 're2js';
import { compileRe2, type CompiledPattern } from './compile-pattern.js';

/**
 * Compiles a `parse` glob (`"* [*] *ms"`) for linear-time matching: each `*` captures as little as
 * it can, except a trailing `*`, which takes the rest (newlines included); everything else is
 * literal. Group `n` of a match is the text of the `n`-th `*`.
 *
 * @throws PatternError when the glob compiles to more than `MAX_PATTERN_PROGRAM_SIZE` instructions
 */
export function compileGlob(glob: string): CompiledPattern {
  const parts = glob.split('*');
  const last = parts.length - 1;
  const source = parts.map((part, i) => (i === 0 ? '' : i === last && part === '' ? '(.*)' : '(.*?)') + (part === '' ? '' : RE2JS.quote(part))).join('');
  return compileRe2(source, 's');
}

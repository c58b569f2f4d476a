/** A construct of a JavaScript regex that the linear-time engine does not run as JavaScript would. */
export interface UnsupportedFeature {
  /** Offset in the pattern source (UTF-16 code units) where the construct starts. */
  readonly index: number;
  /** What it is and what to write instead, e.g. `backreference '\1' is not supported`. */
  readonly detail: string;
}

const WHY = 'patterns run on a linear-time engine (RE2 semantics)';

/**
 * Escapes JavaScript reads as the letter itself (without the `u` flag) but RE2 reads as
 * something else: `\A` and `\z` are anchors, `\Q…\E` quotes, `\a` is the bell character.
 */
const RE2_ONLY_ESCAPES = new Set(['A', 'z', 'Q', 'E', 'a']);

/**
 * Finds the first construct of a JavaScript regex source that RE2 lacks or reads differently, so
 * the query is refused instead of silently meaning something else: lookahead `(?=` `(?!`,
 * lookbehind `(?<=` `(?<!`, backreferences `\1`…`\9` and `\k<name>`, and the escapes whose
 * meaning differs between the two (`\A \z \Q \E \a`, `\p`/`\P`/`\u{…}` without the `u` flag,
 * `\c` not followed by a letter). The source is expected to be valid JavaScript syntax already.
 *
 * @param source the pattern as written between the slashes
 * @param flags its JavaScript flags (`imsu`)
 * @returns the first such construct, or `undefined` when the pattern is fine
 * @example unsupportedFeature('(a+)\\1', '') // { index: 4, detail: "backreference '\\1' is not supported: …" }
 */
export function unsupportedFeature(source: string, flags: string): UnsupportedFeature | undefined {
  const unicode = flags.includes('u');
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') {
      const found = escapeProblem(source, i, inClass, unicode);
      if (found !== undefined) return found;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && source.charAt(i + 1) === '?') {
      const found = groupProblem(source, i);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function groupProblem(source: string, i: number): UnsupportedFeature | undefined {
  const head = source.slice(i, i + 4);
  if (head.startsWith('(?=') || head.startsWith('(?!')) {
    return { index: i, detail: `lookahead '${head.slice(0, 3)}' is not supported: ${WHY}, without lookaround` };
  }
  if (head === '(?<=' || head === '(?<!') {
    return { index: i, detail: `lookbehind '${head}' is not supported: ${WHY}, without lookaround` };
  }
  return undefined;
}

function escapeProblem(source: string, i: number, inClass: boolean, unicode: boolean): UnsupportedFeature | undefined {
  const n = source.charAt(i + 1);
  const escape = `\\${n}`;
  if (!inClass && n >= '1' && n <= '9') {
    return { index: i, detail: `backreference '${escape}' is not supported: ${WHY}, without backreferences` };
  }
  if (!inClass && n === 'k') {
    return { index: i, detail: `named backreference '\\k' is not supported: ${WHY}, without backreferences` };
  }
  if (RE2_ONLY_ESCAPES.has(n)) {
    return { index: i, detail: `the escape '${escape}' is not supported (RE2 reads it differently); write '${n}' without the backslash` };
  }
  if (!unicode && (n === 'p' || n === 'P')) {
    return { index: i, detail: `the escape '${escape}' needs the u flag; without it, write '${n}' without the backslash` };
  }
  if (!unicode && n === 'u' && source.charAt(i + 2) === '{') {
    return { index: i, detail: "the escape '\\u{…}' needs the u flag; without it, write \\uXXXX" };
  }
  if (n === 'c' && !/^[A-Za-z]$/.test(source.charAt(i + 2))) {
    return { index: i, detail: "the escape '\\c' must be followed by a letter (a control character such as \\cJ)" };
  }
  return undefined;
}

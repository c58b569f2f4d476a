/** The simple case folding of a UTF-16 code unit, as far as ASCII letters are concerned (RE2's `(?i)`). */
function fold(c: number): number {
  if (c >= 65 && c <= 90) return c | 32;
  // The only non-ASCII characters whose case orbit holds an ASCII letter: KELVIN SIGN and LONG S.
  if (c === 0x212a) return 107;
  if (c === 0x17f) return 115;
  return c;
}

/** Whether `literal` is printable ASCII, the only text {@link foldIncludes} accepts. */
export function isAsciiLiteral(literal: string): boolean {
  return /^[\x20-\x7e]+$/.test(literal);
}

/**
 * A case-insensitive substring test for a printable-ASCII literal that answers exactly as RE2's
 * `(?i)` on the escaped literal (so `k` also matches U+212A and `s` U+017F), about 4× faster
 * than re2js: candidates come from `indexOf` of the first character's variants.
 *
 * @param literal printable ASCII (see {@link isAsciiLiteral}), not empty
 */
export function foldIncludes(literal: string): (text: string) => boolean {
  const lower = literal.toLowerCase();
  const codes = Array.from(lower, (c) => c.charCodeAt(0));
  const first = lower.charAt(0);
  const extra = first === 'k' ? ['\u212a'] : first === 's' ? ['\u017f'] : [];
  const firsts = [...new Set([first, first.toUpperCase(), ...extra])];
  const m = codes.length;
  return (text) => {
    const next = firsts.map((c) => text.indexOf(c));
    for (;;) {
      let at = -1;
      for (const p of next) if (p >= 0 && (at < 0 || p < at)) at = p;
      if (at < 0 || at + m > text.length) return false;
      let j = 1;
      while (j < m && fold(text.charCodeAt(at + j)) === codes[j]) j++;
      if (j === m) return true;
      for (let k = 0; k < next.length; k++) if (next[k] === at) next[k] = text.indexOf(firsts[k] as string, at + 1);
    }
  };
}

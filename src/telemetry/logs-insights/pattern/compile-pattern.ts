import { RE2JS, RE2JSException } from 're2js';
import { foldIncludes, isAsciiLiteral } from './fold-includes.js';
import { unsupportedFeature } from './unsupported-feature.js';

/**
 * The largest RE2 program one pattern may compile to, in instructions. Matching costs at most
 * about one step per instruction per character, so this bounds the work of a single match.
 * Everyday patterns are far below it (`(?<ts>\S+) (?<level>\w+) (?<msg>.*)` is 16).
 */
export const MAX_PATTERN_PROGRAM_SIZE = 2_000;

/** A user-supplied pattern compiled for linear-time matching (RE2 semantics). */
export interface CompiledPattern {
  /** RE2 instructions; a match costs at most about this many steps per character. */
  readonly programSize: number;
  /** The group number of each named group, in pattern order. */
  readonly namedGroups: ReadonlyMap<string, number>;
  /** Whether the pattern matches anywhere in `text` (unanchored). */
  test(text: string): boolean;
  /** The groups of the first match (`[0]` the whole match, `null` where a group did not take part), or `null`. */
  firstMatch(text: string): (string | null)[] | null;
}

/** Why a pattern cannot be compiled: where in its source (when known) and what. */
export class PatternError extends Error {
  constructor(
    /** Offset in the source, or `undefined` when the problem is the whole pattern. */
    readonly index: number | undefined,
    /** What is wrong. */
    readonly detail: string,
    /** Whether the problem is a construct RE2 lacks (as opposed to a malformed or oversized pattern). */
    readonly unsupported: boolean,
  ) {
    super(detail);
    this.name = 'PatternError';
  }
}

const METACHARACTERS = /[\\^$.|?*+()[\]{}]/;

/**
 * The text a pattern matches when it is a plain literal (no metacharacter, not empty), else
 * `undefined`. With the `i` flag it matches that text in any case.
 * @example plainLiteral('ERROR') // 'ERROR'
 */
export function plainLiteral(source: string): string | undefined {
  return source === '' || METACHARACTERS.test(source) ? undefined : source;
}

/**
 * Compiles a JavaScript-syntax regex for RE2 (re2js), which matches in time linear in the text:
 * no pattern can backtrack catastrophically. Constructs RE2 lacks or reads differently are
 * refused (see `unsupportedFeature`), never rewritten into something else; JavaScript-only
 * spellings RE2 shares a meaning for (`\uXXXX`, `\cX`, `(?<name>`, `[^]`) are translated.
 * A plain literal is matched with `String.prototype.includes`, or, case-insensitive and ASCII,
 * with {@link foldIncludes}: the same answers, faster.
 *
 * @param source the pattern, JavaScript syntax (already accepted by `new RegExp`)
 * @param flags JavaScript flags among `imsu`
 * @throws PatternError for an unsupported construct, an RE2 syntax error, or a program larger
 *   than {@link MAX_PATTERN_PROGRAM_SIZE}
 */
export function compilePattern(source: string, flags: string): CompiledPattern {
  const feature = unsupportedFeature(source, flags);
  if (feature !== undefined) throw new PatternError(feature.index, feature.detail, true);
  const compiled = compileRe2(RE2JS.translateRegExp(source), flags);
  const literal = plainLiteral(source);
  if (literal === undefined) return compiled;
  // A plain literal: the same answers as RE2, from faster code (re2js is ~4x slower on `error/i`).
  if (!flags.includes('i')) return { ...compiled, test: (text) => text.includes(literal) };
  if (isAsciiLiteral(literal)) return { ...compiled, test: foldIncludes(literal) };
  return compiled;
}

/**
 * Compiles a pattern already in RE2 syntax (one slipway built, e.g. from a glob).
 * @throws PatternError for an RE2 syntax error or a program larger than {@link MAX_PATTERN_PROGRAM_SIZE}
 */
export function compileRe2(source: string, flags: string): CompiledPattern {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, re2Flags(flags));
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    throw new PatternError(undefined, error.message.replace(/^error parsing regexp: /, ''), false);
  }
  const programSize = re.programSize();
  if (programSize > MAX_PATTERN_PROGRAM_SIZE) {
    throw new PatternError(undefined, `it compiles to ${programSize} instructions, more than the ${MAX_PATTERN_PROGRAM_SIZE} allowed; use smaller repetition counts or fewer alternatives`, false);
  }
  const namedGroups = new Map(Object.entries(re.namedGroups()).sort(([, a], [, b]) => a - b));
  const groupCount = re.groupCount();
  return {
    programSize,
    namedGroups,
    test: (text) => re.test(text),
    firstMatch(text) {
      const m = re.matcher(text);
      if (!m.find()) return null;
      const groups: (string | null)[] = [];
      for (let g = 0; g <= groupCount; g++) groups.push(m.group(g));
      return groups;
    },
  };
}

function re2Flags(flags: string): number {
  let out = 0;
  if (flags.includes('i')) out |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) out |= RE2JS.MULTILINE;
  if (flags.includes('s')) out |= RE2JS.DOTALL;
  return out;
}

import { AGGREGATES } from './aggregates.js';
import type { BinaryOp, Expr, RegexLiteral, Span } from './ast.js';
import { SCALAR_FUNCTIONS } from './functions.js';
import type { Token } from './lexer.js';
import { compileGlob } from './pattern/compile-glob.js';
import { compilePattern, PatternError, type CompiledPattern } from './pattern/compile-pattern.js';
import { invalidQuery, syntaxError } from './query-error.js';
import { RESERVED, type TokenStream } from './token-stream.js';

/**
 * Where an expression stands: `scalar` (fields, filter, sort, stats … by), `stats` (an
 * aggregate item: fields only inside aggregate functions) or `aggregate` (an aggregate's argument).
 */
export type ExprMode = 'scalar' | 'stats' | 'aggregate';

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

const span = (start: number, end: number): Span => ({ start, end });

/** Whether a token can begin an expression. */
export function startsExpression(s: TokenStream): boolean {
  const t = s.peek();
  if (t.kind === 'ident') return !RESERVED.has(t.value.toLowerCase()) || t.value.toLowerCase() === 'not';
  if (t.kind === 'op') return t.value === '(' || t.value === '-';
  return t.kind !== 'eof' && t.kind !== 'regex';
}

/** Parses `expr := or` with the precedence `or < and < not < comparison < + - < * / % < unary - < ^`. */
export function parseExpression(s: TokenStream, mode: ExprMode): Expr {
  return s.nested(() => parseOr(s, mode));
}

function parseOr(s: TokenStream, mode: ExprMode): Expr {
  let left = parseAnd(s, mode);
  while (s.atKeyword('or')) {
    s.next();
    const right = parseAnd(s, mode);
    left = { kind: 'binary', op: 'or', left, right, span: span(left.span.start, right.span.end) };
  }
  return left;
}

function parseAnd(s: TokenStream, mode: ExprMode): Expr {
  let left = parseNot(s, mode);
  while (s.atKeyword('and')) {
    s.next();
    const right = parseNot(s, mode);
    left = { kind: 'binary', op: 'and', left, right, span: span(left.span.start, right.span.end) };
  }
  return left;
}

function parseNot(s: TokenStream, mode: ExprMode): Expr {
  if (s.atKeyword('not')) {
    const start = s.next().start;
    const operand = s.nested(() => parseNot(s, mode));
    return { kind: 'unary', op: 'not', operand, span: span(start, operand.span.end) };
  }
  return parseComparison(s, mode);
}

function parseComparison(s: TokenStream, mode: ExprMode): Expr {
  const subject = parseAdditive(s, mode);
  const t = s.peek();
  if (t.kind === 'op' && COMPARISONS.has(t.value)) {
    s.next();
    const right = parseAdditive(s, mode);
    return { kind: 'binary', op: t.value as BinaryOp, left: subject, right, span: span(subject.span.start, right.span.end) };
  }
  if (s.atOp('=~')) {
    s.next();
    const pattern = parsePattern(s, true);
    return { kind: 'match', subject, pattern, negated: false, span: span(subject.span.start, pattern.span.end) };
  }
  const negated = s.atKeyword('not');
  if (negated) {
    s.next();
    if (!s.atKeyword('like') && !s.atKeyword('in')) s.expected("'like' or 'in'");
  }
  if (s.takeKeyword('like')) {
    const pattern = parsePattern(s, false);
    return { kind: 'match', subject, pattern, negated, span: span(subject.span.start, pattern.span.end) };
  }
  if (s.takeKeyword('in')) {
    if (!s.takeOp('[')) s.expected("'['");
    const items: Expr[] = [];
    if (!s.atOp(']')) {
      do {
        if (!startsExpression(s)) s.expected('a value');
        items.push(parseAdditive(s, mode));
      } while (s.takeOp(','));
    }
    if (!s.atOp(']')) s.expected("',' or ']'");
    const end = s.next().end;
    return { kind: 'in', subject, items, negated, span: span(subject.span.start, end) };
  }
  return subject;
}

/** The right side of `like` (a string or a regex) or of `=~` (a regex, or a string read as one). */
function parsePattern(s: TokenStream, regexOnly: boolean): RegexLiteral | { kind: 'string'; value: string; span: Span } {
  const t = s.peek();
  if (t.kind === 'string') {
    s.next();
    if (regexOnly) return regexLiteral(s, t.value, '', t);
    return { kind: 'string', value: t.value, span: span(t.start, t.end) };
  }
  if (t.kind === 'op' && t.value === '/') {
    const r = s.takeRegex();
    return regexLiteral(s, r.value, r.flags ?? '', r);
  }
  return s.expected('a string or /regex/');
}

/** Builds a regex literal (see {@link compileRegexLiteral}). */
export function regexLiteral(s: TokenStream, source: string, flags: string, token: Token): RegexLiteral {
  return compileRegexLiteral(s, source, flags, token).literal;
}

/**
 * Builds a regex literal and compiles it for the linear-time engine. The source must be valid
 * JavaScript syntax and use nothing RE2 lacks; the error points at the offending construct.
 * @throws LogsQueryError `SLW_ERR_LOGS_QUERY_SYNTAX` for lookaround, backreferences and escapes RE2
 *   reads differently; `SLW_ERR_LOGS_QUERY_INVALID` for a malformed or too large pattern
 */
export function compileRegexLiteral(s: TokenStream, source: string, flags: string, token: Token): { literal: RegexLiteral; pattern: CompiledPattern } {
  try {
    // Only parses the pattern (V8 compiles it lazily, at first use), so it is safe on any input.
    new RegExp(source, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(error);
    invalidQuery(s.text, token.start, `invalid regular expression: ${reason}`);
  }
  let pattern: CompiledPattern;
  try {
    pattern = compilePattern(source, flags);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    if (error.unsupported) syntaxError(s.text, sourceOffset(s, token) + (error.index ?? 0), error.detail);
    invalidQuery(s.text, token.start, `invalid regular expression: ${error.detail}`);
  }
  s.spendPatternProgram(pattern.programSize, token);
  return { literal: { kind: 'regex', source, flags, span: span(token.start, token.end) }, pattern };
}

/** Compiles the glob of `parse "…"` for the linear-time engine, counting it against the query's pattern budget. */
export function compileGlobLiteral(s: TokenStream, token: Token): CompiledPattern {
  let pattern: CompiledPattern;
  try {
    pattern = compileGlob(token.value);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    invalidQuery(s.text, token.start, `the pattern is too large: ${error.detail}`);
  }
  s.spendPatternProgram(pattern.programSize, token);
  return pattern;
}

/** Where the pattern source of a token starts in the query: after the quote or slash, and a leading `(?i)` the lexer took as a flag. */
function sourceOffset(s: TokenStream, token: Token): number {
  const start = token.start + 1;
  return token.kind === 'regex' && s.text.startsWith('(?i)', start) ? start + 4 : start;
}

function parseAdditive(s: TokenStream, mode: ExprMode): Expr {
  let left = parseMultiplicative(s, mode);
  while (s.atOp('+') || s.atOp('-')) {
    const op = s.next().value as BinaryOp;
    const right = parseMultiplicative(s, mode);
    left = { kind: 'binary', op, left, right, span: span(left.span.start, right.span.end) };
  }
  return left;
}

function parseMultiplicative(s: TokenStream, mode: ExprMode): Expr {
  let left = parseUnary(s, mode);
  while (s.atOp('*') || s.atOp('/') || s.atOp('%')) {
    const op = s.next().value as BinaryOp;
    const right = parseUnary(s, mode);
    left = { kind: 'binary', op, left, right, span: span(left.span.start, right.span.end) };
  }
  return left;
}

function parseUnary(s: TokenStream, mode: ExprMode): Expr {
  if (s.atOp('-')) {
    const start = s.next().start;
    const operand = s.nested(() => parseUnary(s, mode));
    return { kind: 'unary', op: '-', operand, span: span(start, operand.span.end) };
  }
  const base = parsePrimary(s, mode);
  if (s.takeOp('^')) {
    const exponent = s.nested(() => parseUnary(s, mode));
    return { kind: 'binary', op: '^', left: base, right: exponent, span: span(base.span.start, exponent.span.end) };
  }
  return base;
}

function parsePrimary(s: TokenStream, mode: ExprMode): Expr {
  const t = s.peek();
  switch (t.kind) {
    case 'number':
      s.next();
      return { kind: 'number', value: t.num, span: span(t.start, t.end) };
    case 'duration':
      s.next();
      return { kind: 'duration', amount: t.num, unit: t.unit ?? 'ms', span: span(t.start, t.end) };
    case 'string':
      s.next();
      return { kind: 'string', value: t.value, span: span(t.start, t.end) };
    case 'quoted':
      s.next();
      return field(s, t, mode);
    case 'ident': {
      if (RESERVED.has(t.value.toLowerCase())) return s.expected('an expression');
      s.next();
      if (s.atOp('(')) return parseCall(s, t, mode);
      return field(s, t, mode);
    }
    case 'op':
      if (t.value === '(') {
        s.next();
        if (!startsExpression(s)) s.expected('an expression');
        const inner = parseExpression(s, mode);
        if (!s.atOp(')')) s.expected("')'");
        s.next();
        return inner;
      }
      return s.expected('an expression');
    default:
      return s.expected('an expression');
  }
}

function field(s: TokenStream, t: Token, mode: ExprMode): Expr {
  if (mode === 'stats') {
    invalidQuery(s.text, t.start, `field '${t.value}' must be inside an aggregate function such as count(${t.value}) in 'stats'`);
  }
  return { kind: 'field', name: t.value, span: span(t.start, t.end) };
}

function parseCall(s: TokenStream, name: Token, mode: ExprMode): Expr {
  const lower = name.value.toLowerCase();
  const aggregate = AGGREGATES.get(lower);
  const scalar = SCALAR_FUNCTIONS.get(lower);
  if (aggregate === undefined && scalar === undefined) invalidQuery(s.text, name.start, `unknown function '${name.value}'`);
  if (aggregate !== undefined) {
    if (mode === 'scalar') invalidQuery(s.text, name.start, `'${name.value}' is an aggregate function; use it in 'stats'`);
    if (mode === 'aggregate') invalidQuery(s.text, name.start, 'aggregate functions cannot be nested');
  }
  s.next();
  const args: Expr[] = [];
  let star = false;
  if (aggregate?.star === true && s.atOp('*')) {
    s.next();
    star = true;
  } else if (!s.atOp(')')) {
    do {
      if (!startsExpression(s)) s.expected('an argument');
      args.push(parseExpression(s, aggregate === undefined ? mode : 'aggregate'));
    } while (s.takeOp(','));
  }
  if (!s.atOp(')')) s.expected(star ? "')'" : "',' or ')'");
  const end = s.next().end;
  const spec = aggregate ?? scalar;
  const canonical = aggregate?.name ?? scalar?.name ?? lower;
  if (spec !== undefined && !star && (args.length < spec.minArgs || args.length > spec.maxArgs)) {
    invalidQuery(s.text, name.start, `'${name.value}' takes ${arity(spec.minArgs, spec.maxArgs)}`);
  }
  if (scalar?.periodArg !== undefined && args[scalar.periodArg]?.kind !== 'duration') {
    const at = args[scalar.periodArg]?.span.start ?? name.start;
    invalidQuery(s.text, at, `'${name.value}' expects a time period such as 5m`);
  }
  if (aggregate !== undefined) {
    if (aggregate.name === 'pct') {
      const p = args[1];
      if (p?.kind !== 'number' || p.value > 100) {
        invalidQuery(s.text, p?.span.start ?? name.start, `'${name.value}' expects a percentile from 0 to 100 as its second argument`);
      }
    }
    return { kind: 'aggregate', name: aggregate.name, args, span: span(name.start, end) };
  }
  return { kind: 'call', name: canonical, args, span: span(name.start, end) };
}

function arity(min: number, max: number): string {
  const plural = (n: number): string => (n === 1 ? 'argument' : 'arguments');
  if (max === Infinity) return `at least ${min} ${plural(min)}`;
  if (min === max) return `${min} ${plural(min)}`;
  return `${min} to ${max} arguments`;
}

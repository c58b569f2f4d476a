import { syntaxError } from './query-error.js';
import { parseTimeUnit, type TimeUnit } from './time-units.js';

/** Kinds of tokens. `quoted` is a backtick field name, which is never a keyword. */
export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'duration' | 'regex' | 'op' | 'eof';

/** One token with its place in the query text. */
export interface Token {
  readonly kind: TokenKind;
  /** The decoded text: a field name, a string's content, an operator, a regex source. */
  readonly value: string;
  /** Number value of `number` and `duration` tokens. */
  readonly num: number;
  /** Unit of a `duration` token. */
  readonly unit?: TimeUnit;
  /** Flags of a `regex` token. */
  readonly flags?: string;
  readonly start: number;
  readonly end: number;
}

const OPERATORS = ['!=', '<=', '>=', '=~', '|', ',', '(', ')', '[', ']', '+', '-', '*', '/', '%', '^', '=', '<', '>'];
const REGEX_FLAGS = new Set(['i', 'm', 's', 'u']);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };

const isIdentStart = (c: string): boolean => /[A-Za-z_@$]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_@$]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * Turns query text into tokens on demand. The parser asks for a regex explicitly where one
 * may stand ({@link Lexer.regexAt}), because `/` is also division.
 */
export class Lexer {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The next token after whitespace and `#` comments. */
  next(): Token {
    this.skipBlank();
    const { text } = this;
    const start = this.pos;
    if (start >= text.length) return { kind: 'eof', value: '', num: 0, start, end: start };
    const c = text.charAt(start);
    if (c === '"' || c === "'") return this.string(c);
    if (isDigit(c)) return this.number();
    if (isIdentStart(c) || c === '`') return this.field();
    const op = OPERATORS.find((o) => text.startsWith(o, start));
    if (op === undefined) syntaxError(text, start, `unexpected character '${c}'`);
    this.pos = start + op.length;
    return { kind: 'op', value: op, num: 0, start, end: this.pos };
  }

  /** Scans a `/pattern/flags` literal starting at an offset (where a `/` token was read). */
  regexAt(start: number): Token {
    const { text } = this;
    let i = start + 1;
    let inClass = false;
    let source = '';
    for (;;) {
      const c = text.charAt(i);
      if (c === '' || c === '\n') syntaxError(text, start, 'unterminated regular expression');
      if (c === '\\') {
        source += c + text.charAt(i + 1);
        i += 2;
        continue;
      }
      if (c === '/' && !inClass) break;
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      source += c;
      i++;
    }
    i++;
    let flags = '';
    while (/[A-Za-z]/.test(text.charAt(i))) {
      const f = text.charAt(i);
      if (!REGEX_FLAGS.has(f)) syntaxError(text, i, `unknown regular expression flag '${f}'`);
      if (!flags.includes(f)) flags += f;
      i++;
    }
    if (source.startsWith('(?i)')) {
      source = source.slice(4);
      if (!flags.includes('i')) flags += 'i';
    }
    this.pos = i;
    return { kind: 'regex', value: source, num: 0, flags, start, end: i };
  }

  private skipBlank(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charAt(this.pos);
      if (c === '#') {
        while (this.pos < text.length && text.charAt(this.pos) !== '\n') this.pos++;
      } else if (/\s/.test(c)) this.pos++;
      else return;
    }
  }

  private string(quote: string): Token {
    const { text } = this;
    const start = this.pos;
    let i = start + 1;
    let value = '';
    for (;;) {
      const c = text.charAt(i);
      if (c === '') syntaxError(text, start, 'unterminated string');
      if (c === quote) break;
      if (c === '\\') {
        const n = text.charAt(i + 1);
        const escaped = ESCAPES[n];
        value += escaped ?? c + n;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    this.pos = i + 1;
    return { kind: 'string', value, num: 0, start, end: this.pos };
  }

  private number(): Token {
    const { text } = this;
    const start = this.pos;
    const m = /^\d+(?:\.\d+)?/.exec(text.slice(start)) as RegExpExecArray;
    const num = Number(m[0]);
    let i = start + m[0].length;
    const unitMatch = /^[A-Za-z]+/.exec(text.slice(i));
    if (unitMatch === null) {
      this.pos = i;
      return { kind: 'number', value: m[0], num, start, end: i };
    }
    const unit = parseTimeUnit(unitMatch[0]);
    if (unit === undefined) syntaxError(text, i, `unknown time unit '${unitMatch[0]}'`);
    i += unitMatch[0].length;
    this.pos = i;
    return { kind: 'duration', value: text.slice(start, i), num, unit, start, end: i };
  }

  /** A field name: identifier or backtick segments joined by dots (`http.status`, `a.`b-c``). */
  private field(): Token {
    const { text } = this;
    const start = this.pos;
    let i = start;
    let value = '';
    let quoted = false;
    for (;;) {
      const c = text.charAt(i);
      if (c === '`') {
        const close = text.indexOf('`', i + 1);
        const newline = text.indexOf('\n', i + 1);
        if (close < 0 || (newline >= 0 && newline < close)) syntaxError(text, i, 'unterminated `quoted` field name');
        if (close === i + 1) syntaxError(text, i, 'empty `quoted` field name');
        value += text.slice(i + 1, close);
        quoted = true;
        i = close + 1;
      } else {
        while (isIdentPart(text.charAt(i))) value += text.charAt(i++);
      }
      const after = text.charAt(i + 1);
      if (text.charAt(i) === '.' && (isIdentPart(after) || after === '`')) {
        value += '.';
        i++;
        continue;
      }
      break;
    }
    this.pos = i;
    return { kind: quoted ? 'quoted' : 'ident', value, num: 0, start, end: i };
  }
}

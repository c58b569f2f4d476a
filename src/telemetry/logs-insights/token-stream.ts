import { Lexer, type Token } from './lexer.js';
import { MAX_PATTERN_PROGRAM_SIZE } from './pattern/compile-pattern.js';
import { invalidQuery, syntaxError } from './query-error.js';

/** Words that are operators or clauses in expressions; as field names they need backticks. */
export const RESERVED = new Set(['and', 'or', 'not', 'like', 'in', 'as', 'by', 'asc', 'desc']);

/** A one-token lookahead over the lexer, with the error helpers the parsers share. */
export class TokenStream {
  private readonly lexer: Lexer;
  private ahead: Token;
  private last: Token | undefined;
  private depth = 0;
  private patternProgramSize = 0;

  constructor(readonly text: string) {
    this.lexer = new Lexer(text);
    this.ahead = this.lexer.next();
  }

  /** The next token, not consumed. */
  peek(): Token {
    return this.ahead;
  }

  /** Consumes and returns the next token. */
  next(): Token {
    const token = this.ahead;
    this.last = token;
    this.ahead = this.lexer.next();
    return token;
  }

  /** The token consumed last. */
  previous(): Token | undefined {
    return this.last;
  }

  /** Whether the next token is the bare word `word` (case-insensitive). */
  atKeyword(word: string): boolean {
    return this.ahead.kind === 'ident' && this.ahead.value.toLowerCase() === word;
  }

  /** Whether the next token is the operator `op`. */
  atOp(op: string): boolean {
    return this.ahead.kind === 'op' && this.ahead.value === op;
  }

  /** Consumes the keyword `word` if it is next. */
  takeKeyword(word: string): boolean {
    if (!this.atKeyword(word)) return false;
    this.next();
    return true;
  }

  /** Consumes the operator `op` if it is next. */
  takeOp(op: string): boolean {
    if (!this.atOp(op)) return false;
    this.next();
    return true;
  }

  /** Reads the `/regex/flags` that starts at the next token (a `/` operator) and consumes it. */
  takeRegex(): Token {
    this.ahead = this.lexer.regexAt(this.ahead.start);
    return this.next();
  }

  /** Runs a nested parse, refusing nesting deeper than 200 levels (rather than overflowing the stack). */
  nested<T>(parse: () => T): T {
    if (++this.depth > 200) this.fail('the expression is nested too deeply');
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /**
   * Counts a pattern's RE2 program against the query's total: every pattern runs on every row,
   * so their sizes add up in the cost of one row.
   */
  spendPatternProgram(size: number, token: Token): void {
    this.patternProgramSize += size;
    if (this.patternProgramSize > MAX_PATTERN_PROGRAM_SIZE) {
      invalidQuery(this.text, token.start, `the query's patterns together compile to ${this.patternProgramSize} instructions, more than the ${MAX_PATTERN_PROGRAM_SIZE} allowed; use fewer or smaller patterns`);
    }
  }

  /** Throws `expected <what> after '<previous token>'` at the next token. */
  expected(what: string): never {
    const after = this.last === undefined ? '' : ` after '${this.source(this.last)}'`;
    return this.fail(`expected ${what}${after}`);
  }

  /** Throws a syntax error at the next token (or at `token`). */
  fail(detail: string, token: Token = this.ahead): never {
    return syntaxError(this.text, token.start, detail);
  }

  /** The text of a token as written, shortened when long. */
  source(token: Token): string {
    if (token.kind === 'eof') return 'end of query';
    const raw = this.text.slice(token.start, token.end);
    return raw.length > 24 ? `${raw.slice(0, 21)}...` : raw;
  }
}

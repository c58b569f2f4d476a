import { InputError } from '../errors/index.js';
import type { AlarmState, RuleNode } from './alarm-rule.js';

/** The longest rule accepted, in characters (CloudWatch's `AlarmRule` limit). */
export const MAX_RULE_LENGTH = 10_240;
/** The deepest nesting of parentheses and NOTs accepted. */
export const MAX_RULE_DEPTH = 100;

const FUNCTIONS: ReadonlySet<string> = new Set(['ALARM', 'OK', 'INSUFFICIENT_DATA']);
const START = "ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '('";

function fail(col: number, message: string): never {
  const text = `col ${col}: ${message}`;
  throw new InputError('SLW_ERR_ALARM_RULE_SYNTAX', `Invalid alarm rule: ${text}`, { issues: [{ path: 'alarmRule', message: text }] });
}

class RuleParser {
  #pos = 0;
  #depth = 0;
  constructor(private readonly src: string) {}

  parse(): RuleNode {
    const node = this.#or();
    this.#skip();
    if (this.#pos < this.src.length) fail(this.#col(), `expected AND, OR or end of rule but found ${this.#peekText()}`);
    return node;
  }

  #col(): number {
    return this.#pos + 1;
  }

  #skip(): void {
    while (this.#pos < this.src.length && /\s/.test(this.src[this.#pos] ?? '')) this.#pos++;
  }

  /** The next word (letters, digits, `_`) without consuming it, or undefined. */
  #peekWord(): string | undefined {
    const m = /^[A-Za-z0-9_]+/.exec(this.src.slice(this.#pos, this.#pos + 64));
    return m?.[0];
  }

  #peekText(): string {
    if (this.#pos >= this.src.length) return 'end of rule';
    const word = this.#peekWord();
    return `'${word ?? this.src[this.#pos]}'`;
  }

  #or(): RuleNode {
    let left = this.#and();
    for (;;) {
      this.#skip();
      if (this.#peekWord() !== 'OR') return left;
      this.#pos += 2;
      left = { kind: 'or', left, right: this.#and() };
    }
  }

  #and(): RuleNode {
    let left = this.#not();
    for (;;) {
      this.#skip();
      if (this.#peekWord() !== 'AND') return left;
      this.#pos += 3;
      left = { kind: 'and', left, right: this.#not() };
    }
  }

  #enter(col: number): void {
    if (++this.#depth > MAX_RULE_DEPTH) fail(col, `the rule nests deeper than ${MAX_RULE_DEPTH} levels`);
  }

  #not(): RuleNode {
    this.#skip();
    if (this.#peekWord() !== 'NOT') return this.#primary();
    this.#enter(this.#col());
    this.#pos += 3;
    const operand = this.#not();
    this.#depth--;
    return { kind: 'not', operand };
  }

  #primary(): RuleNode {
    this.#skip();
    const col = this.#col();
    if (this.src[this.#pos] === '(') {
      this.#enter(col);
      this.#pos++;
      const inner = this.#or();
      this.#skip();
      if (this.src[this.#pos] !== ')') fail(this.#col(), `expected ')' to close '(' at col ${col} but found ${this.#peekText()}`);
      this.#pos++;
      this.#depth--;
      return inner;
    }
    const word = this.#peekWord();
    if (word === undefined) fail(col, `expected ${START} but found ${this.#peekText()}`);
    if (word === 'TRUE' || word === 'FALSE') {
      this.#pos += word.length;
      return { kind: 'const', value: word === 'TRUE' };
    }
    if (!FUNCTIONS.has(word)) {
      const hint = FUNCTIONS.has(word.toUpperCase()) || ['TRUE', 'FALSE', 'NOT', 'AND', 'OR'].includes(word.toUpperCase()) ? ' (keywords are upper case)' : '';
      fail(col, `expected ${START} but found '${word}'${hint}`);
    }
    this.#pos += word.length;
    this.#skip();
    if (this.src[this.#pos] !== '(') fail(this.#col(), `expected '(' after ${word} but found ${this.#peekText()}`);
    this.#pos++;
    this.#skip();
    const alarm = this.#name();
    this.#skip();
    if (this.src[this.#pos] !== ')') fail(this.#col(), `expected ')' after alarm name but found ${this.#peekText()}`);
    this.#pos++;
    return { kind: 'state', state: word as AlarmState, alarm, col };
  }

  #name(): string {
    const col = this.#col();
    if (this.src[this.#pos] === '"') return this.#quoted();
    let end = this.#pos;
    while (end < this.src.length && !/[\s()"]/.test(this.src[end] ?? '')) end++;
    if (end === this.#pos) fail(col, `expected an alarm name but found ${this.#peekText()}`);
    const name = this.src.slice(this.#pos, end);
    this.#pos = end;
    return name;
  }

  #quoted(): string {
    const col = this.#col();
    let name = '';
    let i = this.#pos + 1;
    for (;;) {
      const ch = this.src[i];
      if (ch === undefined) fail(col, 'unterminated quoted alarm name');
      if (ch === '"') break;
      if (ch === '\\') {
        const next = this.src[i + 1];
        if (next !== '"' && next !== '\\') fail(i + 1, `invalid escape '\\${next ?? ''}' in alarm name (only \\" and \\\\)`);
        name += next;
        i += 2;
        continue;
      }
      name += ch;
      i++;
    }
    if (name.trim() === '') fail(col, 'the alarm name is empty');
    this.#pos = i + 1;
    return name;
  }
}

/**
 * Parses a CloudWatch composite alarm rule: `ALARM(name)`, `OK(name)`, `INSUFFICIENT_DATA(name)`,
 * `TRUE`, `FALSE`, `NOT`, `AND`, `OR` and parentheses, with precedence NOT > AND > OR. Names may be
 * bare (up to whitespace, a parenthesis or a quote) or double-quoted with `\"` and `\\` escapes.
 *
 * @throws InputError `SLW_ERR_ALARM_RULE_SYNTAX` whose message starts with the 1-based column,
 *   e.g. `col 12: expected ')' after alarm name but found end of rule`.
 */
export function parseAlarmRule(rule: string): RuleNode {
  if (rule.length > MAX_RULE_LENGTH) fail(MAX_RULE_LENGTH + 1, `the rule is longer than ${MAX_RULE_LENGTH} characters`);
  return new RuleParser(rule).parse();
}

/** The outcome of {@link tryParseAlarmRule}: the tree, or what is wrong with the text. */
export type AlarmRuleParse = { readonly ok: true; readonly rule: RuleNode } | { readonly ok: false; readonly message: string };

/**
 * Like {@link parseAlarmRule}, but returns the syntax error instead of throwing it, for validators that
 * collect issues. The message is the column and what was expected,
 * e.g. `col 23: expected ALARM(...), ... but found end of rule`.
 */
export function tryParseAlarmRule(rule: string): AlarmRuleParse {
  try {
    return { ok: true, rule: parseAlarmRule(rule) };
  } catch (err) {
    if (!(err instanceof InputError) || err.code !== 'SLW_ERR_ALARM_RULE_SYNTAX') throw err;
    return { ok: false, message: err.issues[0]?.message ?? err.message };
  }
}

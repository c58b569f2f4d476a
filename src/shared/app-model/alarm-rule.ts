/** An alarm state, as in CloudWatch. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A parsed composite alarm rule, e.g. `ALARM(a) AND NOT OK(b)`. */
export type AlarmRule =
  | { readonly kind: 'State'; readonly state: AlarmState; readonly alarm: string }
  | { readonly kind: 'Constant'; readonly value: boolean }
  | { readonly kind: 'Not'; readonly operand: AlarmRule }
  | { readonly kind: 'And' | 'Or'; readonly operands: readonly AlarmRule[] };

/** The outcome of parsing a rule: the tree, or what is wrong with the text. */
export type AlarmRuleParse = { ok: true; rule: AlarmRule } | { ok: false; message: string };

type Token = { text: string; at: number };
const TOKEN = /\s*(\(|\)|"(?:[^"\\]|\\.)*"|[A-Za-z0-9_.:/-]+)/y;

/**
 * Parses a CloudWatch composite alarm rule: `ALARM(x)`, `OK(x)`, `INSUFFICIENT_DATA(x)`,
 * `TRUE`, `FALSE`, `NOT`, `AND`, `OR` and parentheses; alarm names bare or in double quotes.
 * AND and OR may not be mixed without parentheses, which keeps precedence explicit.
 */
export function parseAlarmRule(text: string): AlarmRuleParse {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null) {
      const rest = text.slice(start);
      if (rest.trim() === '') break;
      const at = start + rest.length - rest.trimStart().length;
      return { ok: false, message: `invalid rule: unexpected "${text[at]}" at position ${at + 1}` };
    }
    tokens.push({ text: m[1]!, at: TOKEN.lastIndex - m[1]!.length + 1 });
  }
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (expected: string): never => {
    const t = peek();
    throw new RuleError(t === undefined ? `invalid rule: expected ${expected} at the end` : `invalid rule: expected ${expected} at position ${t.at}, got "${t.text}"`);
  };
  const expect = (text: string): void => {
    if (peek()?.text !== text) fail(`"${text}"`);
    pos++;
  };
  const expr = (): AlarmRule => {
    const first = unary();
    const op = peek()?.text.toUpperCase();
    if (op !== 'AND' && op !== 'OR') return first;
    const operands = [first];
    while (peek()?.text.toUpperCase() === op) {
      pos++;
      operands.push(unary());
    }
    const other = peek()?.text.toUpperCase();
    if (other === 'AND' || other === 'OR') fail(`"${op}" (use parentheses to mix AND and OR)`);
    return { kind: op === 'AND' ? 'And' : 'Or', operands };
  };
  const unary = (): AlarmRule => {
    const t = peek();
    const word = t?.text.toUpperCase();
    if (word === 'NOT') {
      pos++;
      return { kind: 'Not', operand: unary() };
    }
    if (word === '(') {
      pos++;
      const inner = expr();
      expect(')');
      return inner;
    }
    if (word === 'TRUE' || word === 'FALSE') {
      pos++;
      return { kind: 'Constant', value: word === 'TRUE' };
    }
    if (word === 'ALARM' || word === 'OK' || word === 'INSUFFICIENT_DATA') {
      pos++;
      expect('(');
      const name = peek();
      if (name === undefined || name.text === '(' || name.text === ')') fail('an alarm name');
      pos++;
      expect(')');
      const alarm = name!.text.startsWith('"') ? (JSON.parse(name!.text) as string) : name!.text;
      return { kind: 'State', state: word, alarm };
    }
    return fail('ALARM(name), OK(name), INSUFFICIENT_DATA(name), NOT, TRUE, FALSE or "("');
  };
  try {
    if (tokens.length === 0) return { ok: false, message: 'invalid rule: it is empty' };
    const rule = expr();
    if (pos < tokens.length) fail('AND, OR or the end');
    return { ok: true, rule };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, message: error.message };
    throw error;
  }
}

/** The alarm names a rule refers to, in order of first appearance. */
export function alarmRuleReferences(rule: AlarmRule): string[] {
  const names: string[] = [];
  const walk = (r: AlarmRule): void => {
    if (r.kind === 'State') {
      if (!names.includes(r.alarm)) names.push(r.alarm);
    } else if (r.kind === 'Not') walk(r.operand);
    else if (r.kind === 'And' || r.kind === 'Or') r.operands.forEach(walk);
  };
  walk(rule);
  return names;
}

class RuleError extends Error {}

import { InputError } from '../errors/index.js';

/** A node of a metric math expression. */
export type MathExpr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ref'; readonly id: string; readonly offset: number }
  | { readonly kind: 'array'; readonly items: readonly MathExpr[] }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly MathExpr[]; readonly offset: number }
  | { readonly kind: 'unary'; readonly op: '-' | 'NOT'; readonly operand: MathExpr }
  | { readonly kind: 'binary'; readonly op: MathOp; readonly left: MathExpr; readonly right: MathExpr };

/** Binary operators, loosest last: `OR`, `AND`, comparisons, `+ -`, `* /`. */
export type MathOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'AND' | 'OR';

interface Token {
  readonly type: 'num' | 'id' | 'str' | 'op' | 'end';
  readonly text: string;
  readonly offset: number;
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"]*)"|(<=|>=|==|!=|[-+*/(),<>[\]]))/y;

function syntax(text: string, offset: number, detail: string): never {
  const message = `col ${offset + 1}: ${detail}`;
  throw new InputError('SLW_ERR_METRICS_MATH_SYNTAX', message, { issues: [{ path: 'expression', message }] });
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (m === null) syntax(text, pos + (/^\s*/.exec(text.slice(pos))?.[0].length ?? 0), `unexpected character '${text.slice(pos).trim()[0] ?? ''}'`);
    const offset = m.index + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) out.push({ type: 'num', text: m[1], offset });
    else if (m[2] !== undefined) out.push({ type: 'id', text: m[2], offset });
    else if (m[3] !== undefined || m[4] !== undefined) out.push({ type: 'str', text: m[3] ?? m[4] ?? '', offset });
    else out.push({ type: 'op', text: m[5] ?? '', offset });
    pos = TOKEN.lastIndex;
  }
  out.push({ type: 'end', text: '', offset: text.length });
  return out;
}

const LEVELS: readonly (readonly MathOp[])[] = [['OR'], ['AND'], ['<', '<=', '>', '>=', '==', '!='], ['+', '-'], ['*', '/']];

/**
 * Parses a metric math expression: numbers, query ids (`m1`), `+ - * /`, comparisons,
 * `AND`/`OR`/`NOT`, parentheses, arrays `[m1, m2]`, strings and calls `FN(args)`.
 * Function names are case-insensitive; ids are not.
 * @throws InputError `SLW_ERR_METRICS_MATH_SYNTAX` with the column.
 */
export function parseMathExpression(text: string): MathExpr {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token => tokens[i] ?? { type: 'end', text: '', offset: text.length };
  const next = (): Token => tokens[i++] ?? { type: 'end', text: '', offset: text.length };
  const expect = (op: string): void => {
    const t = next();
    if (t.type !== 'op' || t.text !== op) syntax(text, t.offset, `expected '${op}'${t.type === 'end' ? ' before the end' : ` but found '${t.text}'`}`);
  };
  const isOp = (t: Token, ops: readonly string[]): boolean =>
    (t.type === 'op' && ops.includes(t.text)) || (t.type === 'id' && ops.includes(t.text.toUpperCase()));
  const level = (n: number): MathExpr => {
    const ops = LEVELS[n];
    if (ops === undefined) return unary();
    let left = level(n + 1);
    while (isOp(peek(), ops)) {
      const op = next().text.toUpperCase() as MathOp;
      left = { kind: 'binary', op, left, right: level(n + 1) };
    }
    return left;
  };
  const unary = (): MathExpr => {
    const t = peek();
    if (t.type === 'op' && t.text === '-') {
      next();
      return { kind: 'unary', op: '-', operand: unary() };
    }
    if (t.type === 'id' && t.text.toUpperCase() === 'NOT') {
      next();
      return { kind: 'unary', op: 'NOT', operand: unary() };
    }
    return primary();
  };
  const list = (close: string): MathExpr[] => {
    const items: MathExpr[] = [];
    if (peek().type === 'op' && peek().text === close) {
      next();
      return items;
    }
    for (;;) {
      items.push(level(0));
      const t = next();
      if (t.type === 'op' && t.text === close) return items;
      if (!(t.type === 'op' && t.text === ',')) syntax(text, t.offset, `expected ',' or '${close}'`);
    }
  };
  const primary = (): MathExpr => {
    const t = next();
    if (t.type === 'num') return { kind: 'number', value: Number(t.text) };
    if (t.type === 'str') return { kind: 'string', value: t.text };
    if (t.type === 'op' && t.text === '(') {
      const e = level(0);
      expect(')');
      return e;
    }
    if (t.type === 'op' && t.text === '[') return { kind: 'array', items: list(']') };
    if (t.type === 'id') {
      if (peek().type === 'op' && peek().text === '(') {
        next();
        return { kind: 'call', fn: t.text.toUpperCase(), args: list(')'), offset: t.offset };
      }
      return { kind: 'ref', id: t.text, offset: t.offset };
    }
    return syntax(text, t.offset, t.type === 'end' ? 'the expression ends too early' : `unexpected '${t.text}'`);
  };
  const e = level(0);
  const rest = peek();
  if (rest.type !== 'end') syntax(text, rest.offset, `unexpected '${rest.text}' after the expression`);
  return e;
}

/**
 * The ids an expression refers to, in order of first use (`m1 / m2 * 100` → `m1, m2`): every
 * reference except `REPEAT`, the keyword `FILL` takes as its second argument.
 */
export function mathReferences(expr: MathExpr): string[] {
  const out: string[] = [];
  const walk = (e: MathExpr): void => {
    switch (e.kind) {
      case 'ref':
        if (!out.includes(e.id)) out.push(e.id);
        return;
      case 'array':
        e.items.forEach(walk);
        return;
      case 'call':
        e.args.forEach((a, i) => {
          if (e.fn === 'FILL' && i === 1 && a.kind === 'ref' && a.id.toUpperCase() === 'REPEAT') return;
          walk(a);
        });
        return;
      case 'unary':
        walk(e.operand);
        return;
      case 'binary':
        walk(e.left);
        walk(e.right);
        return;
      default:
        return;
    }
  };
  walk(expr);
  return out;
}

import type { Expr } from './ast.js';
import { SCALAR_FUNCTIONS, type Period } from './functions.js';
import { compilePattern } from './pattern/compile-pattern.js';
import type { Row } from './row.js';
import { durationMs } from './time-units.js';
import { compareValues, isTruthy, toNumber, toText, type Value } from './values.js';

/** A compiled expression: evaluates against one row. */
export type Evaluator = (row: Row) => Value;

/** Supplies the value of an aggregate node (stats output); absent outside `stats`. */
export type AggregateResolver = (node: Expr & { kind: 'aggregate' }) => Evaluator;

type Arithmetic = (a: number, b: number) => number;

const ARITHMETIC: Readonly<Record<string, Arithmetic>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? NaN : a / b),
  '%': (a, b) => (b === 0 ? NaN : a % b),
  '^': (a, b) => a ** b,
};

const COMPARE: Readonly<Record<string, (c: number) => boolean>> = {
  '=': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/**
 * Compiles an expression into a closure once, so regexes are built once per query rather than
 * per row; they run on the linear-time engine (see `compilePattern`). Arithmetic on absent or non-numeric values, and division by zero, give `null`;
 * comparisons with an absent value are false.
 */
export function compileExpression(expr: Expr, aggregates?: AggregateResolver): Evaluator {
  const sub = (e: Expr): Evaluator => compileExpression(e, aggregates);
  switch (expr.kind) {
    case 'string':
    case 'number': {
      const value = expr.value;
      return () => value;
    }
    case 'duration': {
      const ms = durationMs(expr.amount, expr.unit);
      return () => ms;
    }
    case 'field': {
      const name = expr.name;
      return (row) => row.get(name);
    }
    case 'unary': {
      const operand = sub(expr.operand);
      if (expr.op === 'not') return (row) => !isTruthy(operand(row));
      return (row) => {
        const n = toNumber(operand(row));
        return n === null ? null : -n;
      };
    }
    case 'binary':
      return compileBinary(expr.op, sub(expr.left), sub(expr.right));
    case 'match': {
      const subject = sub(expr.subject);
      const { pattern, negated } = expr;
      const test: (s: string) => boolean =
        pattern.kind === 'string' ? (s) => s.includes(pattern.value) : compilePattern(pattern.source, pattern.flags).test;
      return (row) => {
        const s = toText(subject(row));
        return s === null ? false : test(s) !== negated;
      };
    }
    case 'in': {
      const subject = sub(expr.subject);
      const items = expr.items.map(sub);
      const negated = expr.negated;
      return (row) => {
        const v = subject(row);
        if (v === null) return false;
        return items.some((item) => compareValues(v, item(row)) === 0) !== negated;
      };
    }
    case 'call':
      return compileCall(expr, sub);
    case 'aggregate':
      if (aggregates === undefined) throw new Error(`aggregate '${expr.name}' outside stats`);
      return aggregates(expr);
  }
}

function compileBinary(op: string, left: Evaluator, right: Evaluator): Evaluator {
  if (op === 'and') return (row) => isTruthy(left(row)) && isTruthy(right(row));
  if (op === 'or') return (row) => isTruthy(left(row)) || isTruthy(right(row));
  const compare = COMPARE[op];
  if (compare !== undefined) {
    return (row) => {
      const c = compareValues(left(row), right(row));
      return c !== null && compare(c);
    };
  }
  const arithmetic = ARITHMETIC[op] as Arithmetic;
  return (row) => {
    const a = toNumber(left(row));
    const b = toNumber(right(row));
    if (a === null || b === null) return null;
    const result = arithmetic(a, b);
    return Number.isFinite(result) ? result : null;
  };
}

function compileCall(expr: Expr & { kind: 'call' }, sub: (e: Expr) => Evaluator): Evaluator {
  const fn = SCALAR_FUNCTIONS.get(expr.name.toLowerCase());
  if (fn === undefined) throw new Error(`unknown function '${expr.name}'`);
  const periodExpr = fn.periodArg === undefined ? undefined : expr.args[fn.periodArg];
  const period: Period | undefined =
    periodExpr?.kind === 'duration' ? { amount: periodExpr.amount, unit: periodExpr.unit } : undefined;
  const args = expr.args.map((a, i) => (i === fn.periodArg ? () => null : sub(a)));
  // Only bin reads the row's time; skip building it for every other call.
  const readsTime = fn.name === 'bin';
  return (row) =>
    fn.call(
      args.map((a) => a(row)),
      { timestampMs: readsTime ? row.timestampMs() : null, period },
    );
}

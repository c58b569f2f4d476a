import { InputError } from '../../../shared/index.js';
import type { MathExpr, MathOp } from '../../../shared/index.js';
import type { MetricSeries } from './query-metric.js';

type Points = Map<number, number>;
type MathValue =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'series'; readonly points: Points }
  | { readonly kind: 'array'; readonly items: readonly Points[] }
  | { readonly kind: 'string'; readonly value: string };

/** What an expression can see. */
export interface MathContext {
  /** Every period start of the window, ascending (what `FILL` fills). */
  readonly timeline: readonly number[];
  /** Results by id, in definition order (what ids and `METRICS()` refer to). */
  readonly results: ReadonlyMap<string, MetricSeries>;
}

function invalid(detail: string): never {
  throw new InputError('SLW_ERR_METRICS_MATH_INVALID', detail, { issues: [{ path: 'expression', message: detail }] });
}

const toPoints = (s: MetricSeries): Points => new Map(s.timestamps.map((t, i) => [t, s.values[i] ?? NaN]));

function series(v: MathValue, fn: string): Points {
  if (v.kind === 'series') return v.points;
  return invalid(`${fn} takes a time series, not ${v.kind === 'array' ? 'an array' : `a ${v.kind}`}`);
}

const ARITY: Readonly<Record<string, readonly [number, number]>> = {
  RATE: [1, 1], FILL: [2, 2], IF: [2, 3], SUM: [1, 1], AVG: [1, 1], MIN: [1, 1], MAX: [1, 1], ABS: [1, 1], METRICS: [0, 1],
};

function apply(op: MathOp, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case 'AND': return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR': return a !== 0 || b !== 0 ? 1 : 0;
  }
}

/** Applies a binary operator: scalars broadcast; two series keep only the timestamps both have. */
function binary(op: MathOp, l: MathValue, r: MathValue): MathValue {
  if (l.kind === 'scalar' && r.kind === 'scalar') return { kind: 'scalar', value: apply(op, l.value, r.value) };
  if (l.kind === 'array' || r.kind === 'array' || l.kind === 'string' || r.kind === 'string') {
    return invalid(`'${op}' takes numbers and time series; use SUM() or another function on arrays`);
  }
  const out: Points = new Map();
  if (l.kind === 'series' && r.kind === 'series') {
    for (const [t, a] of l.points) {
      const b = r.points.get(t);
      if (b !== undefined) out.set(t, apply(op, a, b));
    }
  } else if (l.kind === 'series' && r.kind === 'scalar') {
    for (const [t, a] of l.points) out.set(t, apply(op, a, r.value));
  } else if (l.kind === 'scalar' && r.kind === 'series') {
    for (const [t, b] of r.points) out.set(t, apply(op, l.value, b));
  }
  return { kind: 'series', points: out };
}

function reduceArray(fn: string, items: readonly Points[]): Points {
  const all = new Map<number, number[]>();
  for (const p of items) for (const [t, v] of p) (all.get(t) ?? all.set(t, []).get(t))?.push(v);
  const out: Points = new Map();
  for (const [t, vs] of all) out.set(t, reduceValues(fn, vs));
  return out;
}

function reduceValues(fn: string, vs: readonly number[]): number {
  if (fn === 'SUM') return vs.reduce((a, b) => a + b, 0);
  if (fn === 'AVG') return vs.reduce((a, b) => a + b, 0) / vs.length;
  if (fn === 'MIN') return Math.min(...vs);
  return Math.max(...vs);
}

function call(e: Extract<MathExpr, { kind: 'call' }>, ctx: MathContext): MathValue {
  const arity = ARITY[e.fn];
  if (arity === undefined) return invalid(`unknown function ${e.fn} (use ${Object.keys(ARITY).join(', ')})`);
  if (e.args.length < arity[0] || e.args.length > arity[1]) {
    return invalid(`${e.fn} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} argument(s), got ${e.args.length}`);
  }
  const [a0, a1, a2] = e.args;
  switch (e.fn) {
    case 'METRICS': {
      const filter = a0 === undefined ? '' : a0.kind === 'string' ? a0.value : invalid('METRICS takes a string');
      return { kind: 'array', items: [...ctx.results].filter(([id]) => id.includes(filter)).map(([, s]) => toPoints(s)) };
    }
    case 'FILL': {
      const src = series(evaluate(a0 as MathExpr, ctx), 'FILL');
      const repeat = a1?.kind === 'ref' && a1.id.toUpperCase() === 'REPEAT';
      const fill = repeat ? undefined : evaluate(a1 as MathExpr, ctx);
      if (fill !== undefined && fill.kind !== 'scalar') return invalid('FILL takes a number or REPEAT as its second argument');
      const out: Points = new Map();
      let last: number | undefined;
      for (const t of ctx.timeline) {
        const v = src.get(t) ?? (repeat ? last : fill?.value);
        if (v !== undefined) out.set(t, v);
        last = v;
      }
      return { kind: 'series', points: out };
    }
    case 'RATE': {
      // Change per second between consecutive data points, as CloudWatch's RATE.
      const src = [...series(evaluate(a0 as MathExpr, ctx), 'RATE')].sort((x, y) => x[0] - y[0]);
      const out: Points = new Map();
      for (let i = 1; i < src.length; i++) {
        const [t0, v0] = src[i - 1] as [number, number];
        const [t1, v1] = src[i] as [number, number];
        out.set(t1, (v1 - v0) / ((t1 - t0) / 1000));
      }
      return { kind: 'series', points: out };
    }
    case 'IF': {
      const cond = evaluate(a0 as MathExpr, ctx);
      const yes = evaluate(a1 as MathExpr, ctx);
      const no = a2 === undefined ? undefined : evaluate(a2, ctx);
      const pick = (v: MathValue | undefined, t: number): number | undefined =>
        v === undefined ? undefined : v.kind === 'scalar' ? v.value : v.kind === 'series' ? v.points.get(t) : invalid('IF takes numbers and time series');
      const out: Points = new Map();
      const times = cond.kind === 'series' ? [...cond.points.keys()] : ctx.timeline;
      for (const t of times) {
        const c = cond.kind === 'scalar' ? cond.value : cond.kind === 'series' ? cond.points.get(t) : invalid('IF takes a condition series or number');
        const v = c !== undefined && c !== 0 ? pick(yes, t) : pick(no, t);
        if (v !== undefined) out.set(t, v);
      }
      return { kind: 'series', points: out };
    }
    case 'ABS': {
      const v = evaluate(a0 as MathExpr, ctx);
      if (v.kind === 'scalar') return { kind: 'scalar', value: Math.abs(v.value) };
      return { kind: 'series', points: new Map([...series(v, 'ABS')].map(([t, x]) => [t, Math.abs(x)])) };
    }
    default: {
      // SUM, AVG, MIN, MAX: across an array per timestamp; over one series, a scalar.
      const v = evaluate(a0 as MathExpr, ctx);
      if (v.kind === 'array') return { kind: 'series', points: reduceArray(e.fn, v.items) };
      const vs = [...series(v, e.fn).values()];
      return vs.length === 0 ? invalid(`${e.fn} of an empty time series`) : { kind: 'scalar', value: reduceValues(e.fn, vs) };
    }
  }
}

function evaluate(e: MathExpr, ctx: MathContext): MathValue {
  switch (e.kind) {
    case 'number':
      return { kind: 'scalar', value: e.value };
    case 'string':
      return { kind: 'string', value: e.value };
    case 'ref': {
      const s = ctx.results.get(e.id);
      if (s === undefined) return invalid(`no query or expression with id "${e.id}" (ids: ${[...ctx.results.keys()].join(', ') || 'none'})`);
      return { kind: 'series', points: toPoints(s) };
    }
    case 'array':
      return { kind: 'array', items: e.items.map((i) => series(evaluate(i, ctx), 'an array')) };
    case 'unary': {
      const v = evaluate(e.operand, ctx);
      return e.op === '-' ? binary('*', { kind: 'scalar', value: -1 }, v) : binary('==', v, { kind: 'scalar', value: 0 });
    }
    case 'binary':
      return binary(e.op, evaluate(e.left, ctx), evaluate(e.right, ctx));
    case 'call':
      return call(e, ctx);
  }
}

/**
 * Evaluates a parsed expression to a time series. A scalar result is repeated at
 * every period; non-finite values (division by zero) are left out, as CloudWatch does.
 * @throws InputError `SLW_ERR_METRICS_MATH_INVALID` for unknown ids or functions, wrong arguments, or an array result.
 */
export function evaluateMath(expr: MathExpr, ctx: MathContext): MetricSeries {
  const v = evaluate(expr, ctx);
  if (v.kind === 'array' || v.kind === 'string') return invalid(`the expression gives ${v.kind === 'array' ? 'several time series' : 'a string'}; it must give one time series`);
  const points: [number, number][] = v.kind === 'scalar' ? ctx.timeline.map((t) => [t, v.value]) : [...v.points].sort((a, b) => a[0] - b[0]);
  const finite = points.filter(([, x]) => Number.isFinite(x));
  return { timestamps: finite.map(([t]) => t), values: finite.map(([, x]) => x) };
}

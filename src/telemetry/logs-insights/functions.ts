import { ceilTime, floorTime, type TimeUnit } from './time-units.js';
import { Timestamp, toNumber, toText, toTimeMs, type Value } from './values.js';

/** A time period written as a duration literal, e.g. `5m`. */
export interface Period {
  readonly amount: number;
  readonly unit: TimeUnit;
}

/** What a scalar function may read besides its arguments. */
export interface CallContext {
  /** `@timestamp` of the row in ms, for `bin`; `null` after `stats`. */
  readonly timestampMs: number | null;
  /** The period literal of functions that take one (`bin`, `datefloor`, `dateceil`). */
  readonly period?: Period;
}

/** A scalar function of the language. */
export interface ScalarFunction {
  /** Canonical spelling, as documented. */
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Index of the argument that must be a period literal such as `5m`. */
  readonly periodArg?: number;
  call(args: readonly Value[], ctx: CallContext): Value;
}

type Fn = ScalarFunction['call'];

const text = (v: Value | undefined): string | null => toText(v ?? null);
const num = (v: Value | undefined): number | null => toNumber(v ?? null);
const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

function onText(f: (s: string) => Value): Fn {
  return ([a]) => {
    const s = text(a);
    return s === null ? null : f(s);
  };
}

function onNumber(f: (n: number) => number): Fn {
  return ([a]) => {
    const n = num(a);
    return n === null ? null : finite(f(n));
  };
}

function extreme(pick: (a: number, b: number) => number): Fn {
  return (args) => {
    let best: number | null = null;
    for (const a of args) {
      const n = num(a);
      if (n !== null) best = best === null ? n : pick(best, n);
    }
    return best;
  };
}

function onPeriod(round: typeof floorTime): Fn {
  return ([a], ctx) => {
    const ms = toTimeMs(a ?? null);
    return ms === null || ctx.period === undefined ? null : new Timestamp(round(ms, ctx.period.amount, ctx.period.unit));
  };
}

const isBlankText = (v: Value | undefined): boolean => {
  const s = text(v);
  return s === null || s.trim() === '';
};

const DEFINITIONS: readonly ScalarFunction[] = [
  { name: 'strlen', minArgs: 1, maxArgs: 1, call: onText((s) => s.length) },
  { name: 'tolower', minArgs: 1, maxArgs: 1, call: onText((s) => s.toLowerCase()) },
  { name: 'toupper', minArgs: 1, maxArgs: 1, call: onText((s) => s.toUpperCase()) },
  { name: 'trim', minArgs: 1, maxArgs: 1, call: onText((s) => s.trim()) },
  { name: 'ltrim', minArgs: 1, maxArgs: 1, call: onText((s) => s.trimStart()) },
  { name: 'rtrim', minArgs: 1, maxArgs: 1, call: onText((s) => s.trimEnd()) },
  { name: 'concat', minArgs: 1, maxArgs: Infinity, call: (args) => args.map((a) => text(a) ?? '').join('') },
  {
    name: 'substr',
    minArgs: 2,
    maxArgs: 3,
    call: ([s, start, length]) => {
      const str = text(s);
      const from = num(start);
      const len = length === undefined ? undefined : num(length);
      if (str === null || from === null || len === null) return null;
      const begin = Math.max(0, Math.trunc(from));
      return len === undefined ? str.slice(begin) : str.slice(begin, begin + Math.max(0, Math.trunc(len)));
    },
  },
  {
    name: 'replace',
    minArgs: 3,
    maxArgs: 3,
    call: ([s, search, replacement]) => {
      const str = text(s);
      const find = text(search);
      if (str === null || find === null) return null;
      return find === '' ? str : str.split(find).join(text(replacement) ?? '');
    },
  },
  {
    name: 'strcontains',
    minArgs: 2,
    maxArgs: 2,
    call: ([s, search]) => {
      const str = text(s);
      const find = text(search);
      return str !== null && find !== null && str.includes(find) ? 1 : 0;
    },
  },
  { name: 'ispresent', minArgs: 1, maxArgs: 1, call: ([a]) => a !== undefined && a !== null },
  { name: 'isempty', minArgs: 1, maxArgs: 1, call: ([a]) => { const s = text(a); return s === null || s === ''; } },
  { name: 'isblank', minArgs: 1, maxArgs: 1, call: ([a]) => isBlankText(a) },
  { name: 'coalesce', minArgs: 1, maxArgs: Infinity, call: (args) => args.find((a) => a !== null) ?? null },
  { name: 'abs', minArgs: 1, maxArgs: 1, call: onNumber(Math.abs) },
  { name: 'ceil', minArgs: 1, maxArgs: 1, call: onNumber(Math.ceil) },
  { name: 'floor', minArgs: 1, maxArgs: 1, call: onNumber(Math.floor) },
  { name: 'log', minArgs: 1, maxArgs: 1, call: onNumber(Math.log) },
  { name: 'sqrt', minArgs: 1, maxArgs: 1, call: onNumber(Math.sqrt) },
  { name: 'greatest', minArgs: 1, maxArgs: Infinity, call: extreme(Math.max) },
  { name: 'least', minArgs: 1, maxArgs: Infinity, call: extreme(Math.min) },
  {
    name: 'bin',
    minArgs: 1,
    maxArgs: 1,
    periodArg: 0,
    call: (_args, ctx) =>
      ctx.timestampMs === null || ctx.period === undefined
        ? null
        : new Timestamp(floorTime(ctx.timestampMs, ctx.period.amount, ctx.period.unit)),
  },
  { name: 'datefloor', minArgs: 2, maxArgs: 2, periodArg: 1, call: onPeriod(floorTime) },
  { name: 'dateceil', minArgs: 2, maxArgs: 2, periodArg: 1, call: onPeriod(ceilTime) },
  {
    name: 'fromMillis',
    minArgs: 1,
    maxArgs: 1,
    call: ([a]) => {
      const n = num(a);
      return n === null ? null : new Timestamp(n);
    },
  },
  { name: 'toMillis', minArgs: 1, maxArgs: 1, call: ([a]) => toTimeMs(a ?? null) },
];

/** The scalar functions by lower-case name (function names are case-insensitive). */
export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map(
  DEFINITIONS.map((f) => [f.name.toLowerCase(), f]),
);

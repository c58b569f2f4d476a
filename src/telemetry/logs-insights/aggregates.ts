import type { AggregateName } from './ast.js';
import { groupKey, sortOrder, Timestamp, toNumber, type Value } from './values.js';

/** The running state of one aggregate for one group; values arrive one row at a time. */
export interface Accumulator {
  /** Adds a row: its argument values and its `@timestamp` (ms, or `null`). */
  add(args: readonly Value[], timestampMs: number | null): void;
  /** The aggregate of the rows added so far. */
  result(): Value;
}

/** The shape of an aggregate function of `stats`. */
export interface AggregateSpec {
  readonly name: AggregateName;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** `count(*)` takes a star in place of its argument. */
  readonly star: boolean;
  /** Makes an empty accumulator; `constants` are literal arguments such as pct's percentile. */
  create(constants: readonly number[]): Accumulator;
}

function counter(countAll: boolean): Accumulator {
  let n = 0;
  return {
    add: (args) => {
      if (countAll || (args[0] ?? null) !== null) n++;
    },
    result: () => n,
  };
}

/** Numbers of the first argument, skipping absent and non-numeric values. */
function numeric(onValue: (n: number) => void): Accumulator['add'] {
  return (args) => {
    const n = toNumber(args[0] ?? null);
    if (n !== null) onValue(n);
  };
}

function sum(average: boolean): Accumulator {
  let total = 0;
  let n = 0;
  return {
    add: numeric((v) => {
      total += v;
      n++;
    }),
    result: () => (n === 0 ? null : average ? total / n : total),
  };
}

function extreme(sign: 1 | -1): Accumulator {
  let best: Value = null;
  return {
    add: ([a]) => {
      const v = a ?? null;
      if (v === null) return;
      const normal = v instanceof Timestamp ? v : (toNumber(v) ?? v);
      if (best === null || sign * sortOrder(normal, best) > 0) best = normal;
    },
    result: () => best,
  };
}

/** Sample standard deviation (n - 1), by Welford's method; 0 for one value. */
function stddev(): Accumulator {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  return {
    add: numeric((v) => {
      n++;
      const delta = v - mean;
      mean += delta / n;
      m2 += delta * (v - mean);
    }),
    result: () => (n === 0 ? null : n === 1 ? 0 : Math.sqrt(m2 / (n - 1))),
  };
}

/** Nearest-rank percentile over the exact values: the value at rank ceil(p/100 × n). */
function percentile(p: number): Accumulator {
  const values: number[] = [];
  return {
    add: numeric((v) => values.push(v)),
    result: () => {
      if (values.length === 0) return null;
      values.sort((a, b) => a - b);
      const rank = Math.min(values.length, Math.max(1, Math.ceil((p / 100) * values.length)));
      return values[rank - 1] ?? null;
    },
  };
}

function countDistinct(): Accumulator {
  const seen = new Set<string>();
  return {
    add: ([a]) => {
      if ((a ?? null) !== null) seen.add(groupKey(a ?? null));
    },
    result: () => seen.size,
  };
}

/** The value at the earliest (first seen on ties) or latest (last seen on ties) `@timestamp`. */
function byTime(latest: boolean): Accumulator {
  let bestMs: number | null = null;
  let value: Value = null;
  return {
    add: ([a], ms) => {
      const v = a ?? null;
      if (v === null || ms === null) return;
      if (bestMs === null || (latest ? ms >= bestMs : ms < bestMs)) {
        bestMs = ms;
        value = v;
      }
    },
    result: () => value,
  };
}

const SPECS: readonly AggregateSpec[] = [
  { name: 'count', minArgs: 0, maxArgs: 1, star: true, create: () => counter(false) },
  { name: 'sum', minArgs: 1, maxArgs: 1, star: false, create: () => sum(false) },
  { name: 'avg', minArgs: 1, maxArgs: 1, star: false, create: () => sum(true) },
  { name: 'min', minArgs: 1, maxArgs: 1, star: false, create: () => extreme(-1) },
  { name: 'max', minArgs: 1, maxArgs: 1, star: false, create: () => extreme(1) },
  { name: 'pct', minArgs: 2, maxArgs: 2, star: false, create: ([p]) => percentile(p ?? 50) },
  { name: 'count_distinct', minArgs: 1, maxArgs: 1, star: false, create: countDistinct },
  { name: 'stddev', minArgs: 1, maxArgs: 1, star: false, create: stddev },
  { name: 'earliest', minArgs: 1, maxArgs: 1, star: false, create: () => byTime(false) },
  { name: 'latest', minArgs: 1, maxArgs: 1, star: false, create: () => byTime(true) },
];

/** Aggregate functions by lower-case name; `percentile` is another name of `pct`. */
export const AGGREGATES: ReadonlyMap<string, AggregateSpec> = new Map(
  SPECS.flatMap((s): [string, AggregateSpec][] => (s.name === 'pct' ? [[s.name, s], ['percentile', s]] : [[s.name, s]])),
);

/** Makes the accumulator of `count(*)`, which counts rows rather than present values. */
export function countAll(): Accumulator {
  return counter(true);
}

import { AGGREGATES, countAll, type Accumulator } from './aggregates.js';
import type { Command, Expr, SortKey } from './ast.js';
import { compileExpression, type Evaluator } from './compile.js';
import { compileGlob } from './pattern/compile-glob.js';
import { compilePattern } from './pattern/compile-pattern.js';
import { Row } from './row.js';
import { groupKey, isTruthy, sortOrder, toText, type Value } from './values.js';

/**
 * One step of the streaming pipeline. `push` returns `false` once the stage wants no more
 * rows (a `limit` reached), which tells the source to stop reading; `finish` flushes
 * buffering stages and is called once, down the chain.
 */
export interface Stage {
  push(row: Row): boolean;
  finish(): void;
}

/** Keeps the rows whose condition is truthy. */
export function filterStage(condition: Expr, next: Stage): Stage {
  const test = compileExpression(condition);
  return { push: (row) => (isTruthy(test(row)) ? next.push(row) : true), finish: () => next.finish() };
}

/** Computes the fields of `fields` (in order: a later item sees an earlier alias). */
export function fieldsStage(command: Command & { kind: 'fields' }, next: Stage): Stage {
  const items = command.items
    .filter((i) => !(i.expr.kind === 'field' && i.expr.name === i.name))
    .map((i) => ({ name: i.name, value: compileExpression(i.expr) }));
  return {
    push: (row) => {
      for (const item of items) row.set(item.name, item.value(row));
      return next.push(row);
    },
    finish: () => next.finish(),
  };
}

/**
 * Extracts fields with a glob or a named-group regex, on the linear-time engine. A glob `*`
 * matches as little as it can, except a trailing `*`, which takes the rest. Rows that do not
 * match pass through unchanged.
 */
export function parseStage(command: Command & { kind: 'parse' }, next: Stage): Stage {
  const { pattern, names, source } = command;
  const compiled = pattern.kind === 'glob' ? compileGlob(pattern.pattern) : compilePattern(pattern.source, pattern.flags);
  // The group number of each extracted field: the n-th `*` of a glob, the named group of a regex.
  const groupOf = names.map((name, i) => (pattern.kind === 'glob' ? i + 1 : compiled.namedGroups.get(name) ?? -1));
  return {
    push: (row) => {
      const text = toText(row.get(source));
      const m = text === null ? null : compiled.firstMatch(text);
      if (m !== null) names.forEach((name, i) => row.set(name, m[groupOf[i] ?? -1] ?? null));
      return next.push(row);
    },
    finish: () => next.finish(),
  };
}

interface Group {
  readonly keys: readonly Value[];
  readonly accumulators: readonly Accumulator[];
}

/** Aggregates rows incrementally per group; emits one row per group, in first-seen order. */
export function statsStage(command: Command & { kind: 'stats' }, next: Stage): Stage {
  const nodes: (Expr & { kind: 'aggregate' })[] = [];
  collectAggregates(command.aggregates.map((a) => a.expr), nodes);
  const plans = nodes.map((node) => {
    const spec = AGGREGATES.get(node.name);
    const constants = node.name === 'pct' ? [node.args[1]?.kind === 'number' ? node.args[1].value : 50] : [];
    const args = (node.name === 'pct' ? node.args.slice(0, 1) : node.args).map((a) => compileExpression(a));
    const create = (): Accumulator => (node.args.length === 0 || spec === undefined ? countAll() : spec.create(constants));
    return { args, create };
  });
  const groupBy = command.groups.map((g) => ({ name: g.name, value: compileExpression(g.expr) }));
  let results: Value[] = [];
  const index = new Map(nodes.map((n, i) => [n, i]));
  const outputs = command.aggregates.map((a) => ({
    name: a.name,
    value: compileExpression(a.expr, (node) => {
      const i = index.get(node) ?? 0;
      return () => results[i] ?? null;
    }),
  }));
  const groups = new Map<string, Group>();
  return {
    push: (row) => {
      const keys = groupBy.map((g) => g.value(row));
      const key = keys.map(groupKey).join('\u0000');
      let group = groups.get(key);
      if (group === undefined) {
        group = { keys, accumulators: plans.map((p) => p.create()) };
        groups.set(key, group);
      }
      const ms = row.timestampMs();
      group.accumulators.forEach((acc, i) => acc.add((plans[i]?.args ?? []).map((a) => a(row)), ms));
      return true;
    },
    finish: () => {
      for (const group of groups.values()) {
        const out = new Row();
        groupBy.forEach((g, i) => out.set(g.name, group.keys[i] ?? null));
        results = group.accumulators.map((a) => a.result());
        for (const o of outputs) out.set(o.name, o.value(out));
        if (!next.push(out)) break;
      }
      next.finish();
    },
  };
}

function collectAggregates(exprs: readonly Expr[], out: (Expr & { kind: 'aggregate' })[]): void {
  for (const e of exprs) {
    if (e.kind === 'aggregate') out.push(e);
    else if (e.kind === 'unary') collectAggregates([e.operand], out);
    else if (e.kind === 'binary') collectAggregates([e.left, e.right], out);
    else if (e.kind === 'call') collectAggregates(e.args, out);
    else if (e.kind === 'match') collectAggregates([e.subject], out);
    else if (e.kind === 'in') collectAggregates([e.subject, ...e.items], out);
  }
}

/** Orders rows (stable); absent values go last in either direction. */
export function sortRows<T>(items: T[], keysOf: (item: T) => readonly Value[], descending: readonly boolean[]): T[] {
  const keyed = items.map((item) => ({ item, keys: keysOf(item) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < descending.length; i++) {
      const x = a.keys[i] ?? null;
      const y = b.keys[i] ?? null;
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
        continue;
      }
      const order = sortOrder(x, y);
      if (order !== 0) return descending[i] === true ? -order : order;
    }
    return 0;
  });
  return keyed.map((k) => k.item);
}

/** Buffers every row, then emits them in order. */
export function sortStage(keys: readonly SortKey[], next: Stage): Stage {
  const evaluators: Evaluator[] = keys.map((k) => compileExpression(k.expr));
  const rows: Row[] = [];
  return {
    push: (row) => {
      rows.push(row);
      return true;
    },
    finish: () => {
      const sorted = sortRows(rows, (r) => evaluators.map((e) => e(r)), keys.map((k) => k.descending));
      for (const row of sorted) if (!next.push(row)) break;
      next.finish();
    },
  };
}

/**
 * Keeps the first row of each combination of values; rows with an absent value are all kept.
 * Without an earlier `sort`, rows are first ordered by `@timestamp` descending, as AWS does.
 */
export function dedupStage(fields: readonly string[], sorted: boolean, next: Stage): Stage {
  const seen = new Set<string>();
  const keep = (row: Row): boolean => {
    const values = fields.map((f) => row.get(f));
    if (values.some((v) => v === null)) return true;
    const key = values.map(groupKey).join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  if (sorted) return { push: (row) => (keep(row) ? next.push(row) : true), finish: () => next.finish() };
  const byTime = sortStage([{ expr: { kind: 'field', name: '@timestamp', span: { start: 0, end: 0 } }, descending: true }], {
    push: (row) => (keep(row) ? next.push(row) : true),
    finish: () => next.finish(),
  });
  return byTime;
}

/** Passes the first `count` rows, then asks the source to stop. */
export function limitStage(count: number, next: Stage): Stage {
  let passed = 0;
  return {
    push: (row) => {
      if (passed >= count) return false;
      passed++;
      return next.push(row) && passed < count;
    },
    finish: () => next.finish(),
  };
}

/** Calls `onRow` for each row passing through (used to count matched records). */
export function tapStage(onRow: () => void, next: Stage): Stage {
  return {
    push: (row) => {
      onRow();
      return next.push(row);
    },
    finish: () => next.finish(),
  };
}

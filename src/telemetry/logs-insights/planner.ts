import { InputError } from '../../shared/index.js';
import type { Expr, QueryAst } from './ast.js';
import { parseQuery } from './parser.js';
import { plainLiteral } from './pattern/compile-pattern.js';
import { durationMs } from './time-units.js';
import { toNumber } from './values.js';

/** The time window of a query, in ms since the epoch; both ends inclusive (as AWS). */
export interface TimeRange {
  /** First instant included. */
  readonly startMs: number;
  /** Last instant included. */
  readonly endMs: number;
}

/**
 * What a store can push down for a query. Every field is a prefilter only: the evaluator still
 * checks the whole query, so a store may ignore any of them (but must not drop matching records).
 */
export interface QueryPlan extends TimeRange {
  readonly kind: 'plan';
  readonly ast: QueryAst;
  /** Only records of these log groups (`@log`) can match; absent: any. Empty: none. */
  readonly logGroups?: readonly string[];
  /** Only records of these log streams (`@logStream`) can match; absent: any. Empty: none. */
  readonly logStreams?: readonly string[];
  /** Only records of these traces (`@traceId`) can match; absent: any. Empty: none. */
  readonly traceIds?: readonly string[];
  /** Case-sensitive substrings every matching `@message` contains. */
  readonly messageContains: readonly string[];
  /**
   * At most this many records passing the prefilters are needed: set when the query has a
   * `limit`, no `stats`, `sort` or `dedup`, and every filter before it was pushed down whole.
   */
  readonly limitHint?: number;
  /**
   * Set when the query opens with filters the prefilters above express exactly, then
   * `stats count(*) by bin(<fixed period>)`: a store may count the matching records per bin
   * itself (SQL `GROUP BY`) and hand the counts to `executeCountByBin`, which runs the rest.
   */
  readonly countByBin?: CountByBin;
}

/** The `stats count(*) by bin(…)` a store can answer by counting (see {@link QueryPlan.countByBin}). */
export interface CountByBin {
  /** Index of the `stats` command in the query. */
  readonly statsIndex: number;
  /** The bin's period, ms (a fixed unit: ms to weeks; months and years are not pushed down). */
  readonly periodMs: number;
  /** The output name of the bin (its alias, or the expression's text). */
  readonly binName: string;
  /** The output name of the count. */
  readonly countName: string;
}

interface Pushdown {
  logGroups?: string[];
  logStreams?: string[];
  traceIds?: string[];
  messageContains: string[];
}

const STREAM_FIELDS = { '@log': 'logGroups', '@logStream': 'logStreams', '@traceId': 'traceIds' } as const;

/**
 * Extracts what storage can use from a query: the time range, `@log`/`@logStream`/`@traceId` equality and
 * `in` filters, `@message like "literal"` (or `like /literal/`) substrings, and a limit hint. Pure.
 *
 * @throws InputError `SLW_ERR_LOGS_QUERY_TIME_RANGE` when the range is not finite or ends before it starts.
 */
export function planQuery(query: QueryAst | string, range: TimeRange): QueryPlan {
  const ast = typeof query === 'string' ? parseQuery(query) : query;
  const { startMs, endMs } = range;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs < startMs) {
    throw new InputError('SLW_ERR_LOGS_QUERY_TIME_RANGE', `the time range ${startMs}..${endMs} is invalid: it must be finite and end at or after its start`, {
      issues: [{ path: 'endMs', message: 'must be finite and not before startMs' }],
    });
  }
  const push: Pushdown = { messageContains: [] };
  const shadowed = new Set<string>();
  let allPushed = true;
  let limitHint: number | undefined;
  // Filters push down only up to the first command that changes which records count.
  for (const c of ast.commands) {
    if (c.kind === 'stats' || c.kind === 'dedup' || c.kind === 'limit') {
      if (c.kind === 'limit' && allPushed) limitHint = c.count;
      break;
    }
    if (c.kind === 'fields') {
      for (const i of c.items) if (!(i.expr.kind === 'field' && i.expr.name === i.name)) shadowed.add(i.name);
    } else if (c.kind === 'parse') {
      for (const n of c.names) shadowed.add(n);
    } else if (c.kind === 'filter') {
      for (const conjunct of conjuncts(c.condition)) {
        if (!pushConjunct(conjunct, shadowed, push)) allPushed = false;
      }
    }
  }
  if (ast.commands.some((c) => c.kind === 'stats' || c.kind === 'sort' || c.kind === 'dedup')) limitHint = undefined;
  const countByBin = allPushed ? countByBinOf(ast) : undefined;
  return {
    kind: 'plan',
    ast,
    startMs,
    endMs,
    ...(push.logGroups === undefined ? {} : { logGroups: push.logGroups }),
    ...(push.logStreams === undefined ? {} : { logStreams: push.logStreams }),
    ...(push.traceIds === undefined ? {} : { traceIds: push.traceIds }),
    messageContains: push.messageContains,
    ...(limitHint === undefined ? {} : { limitHint }),
    ...(countByBin === undefined ? {} : { countByBin }),
  };
}

/** `filter… | stats count(*) [as n] by bin(P) [as b] | …` with only filters before the stats. */
function countByBinOf(ast: QueryAst): CountByBin | undefined {
  const statsIndex = ast.commands.findIndex((c) => c.kind !== 'filter');
  const stats = ast.commands[statsIndex];
  if (stats?.kind !== 'stats' || stats.aggregates.length !== 1 || stats.groups.length !== 1) return undefined;
  const [count, bin] = [stats.aggregates[0], stats.groups[0]];
  if (count?.expr.kind !== 'aggregate' || count.expr.name !== 'count' || count.expr.args.length !== 0) return undefined;
  if (bin?.expr.kind !== 'call' || bin.expr.name.toLowerCase() !== 'bin' || bin.expr.args.length !== 1) return undefined;
  const period = bin.expr.args[0];
  const periodMs = period?.kind === 'duration' ? durationMs(period.amount, period.unit) : null;
  if (periodMs === null || !(periodMs > 0)) return undefined;
  return { statsIndex, periodMs, binName: bin.name, countName: count.name };
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** Adds what a top-level conjunct allows; `true` when the pushdown is exactly the conjunct. */
function pushConjunct(e: Expr, shadowed: ReadonlySet<string>, push: Pushdown): boolean {
  if (e.kind === 'match' && !e.negated && isField(e.subject, '@message', shadowed)) {
    const text = literalPattern(e.pattern);
    if (text !== undefined) {
      push.messageContains.push(text);
      return true;
    }
  }
  for (const [field, key] of Object.entries(STREAM_FIELDS)) {
    const values = equalityValues(e, field, shadowed);
    if (values === undefined) continue;
    const current = push[key];
    push[key] = current === undefined ? [...new Set(values)] : current.filter((v) => values.includes(v));
    return true;
  }
  return false;
}

/** The values `field` must equal for `e` to hold (`=`, `in`, `or` of those), if that is all `e` says. */
function equalityValues(e: Expr, field: string, shadowed: ReadonlySet<string>): string[] | undefined {
  if (e.kind === 'binary' && e.op === '=') {
    if (isField(e.left, field, shadowed)) return literalText(e.right);
    if (isField(e.right, field, shadowed)) return literalText(e.left);
    return undefined;
  }
  if (e.kind === 'in' && !e.negated && isField(e.subject, field, shadowed)) {
    const all: string[] = [];
    for (const item of e.items) {
      const v = literalText(item);
      if (v === undefined) return undefined;
      all.push(...v);
    }
    return all;
  }
  if (e.kind === 'binary' && e.op === 'or') {
    const left = equalityValues(e.left, field, shadowed);
    const right = left === undefined ? undefined : equalityValues(e.right, field, shadowed);
    return left === undefined || right === undefined ? undefined : [...left, ...right];
  }
  return undefined;
}

/** The substring a `like` pattern stands for: a string, or a case-sensitive regex that is a plain literal (`/ERROR/`). */
function literalPattern(p: (Expr & { kind: 'match' })['pattern']): string | undefined {
  if (p.kind === 'string') return p.value;
  return p.flags.includes('i') ? undefined : plainLiteral(p.source);
}

function isField(e: Expr, name: string, shadowed: ReadonlySet<string>): boolean {
  return e.kind === 'field' && e.name === name && !shadowed.has(name);
}

/** A string literal compared as text; numeric-looking ones compare as numbers, so they stay out. */
function literalText(e: Expr): string[] | undefined {
  return e.kind === 'string' && toNumber(e.value) === null ? [e.value] : undefined;
}

import { someExpr, type Command, type Expr, type QueryAst } from './ast.js';
import type { CellValue } from './model.js';
import type { Row } from './row.js';
import { dedupStage, fieldsStage, filterStage, limitStage, parseStage, sortStage, statsStage, tapStage, type Stage } from './stages.js';
import { toCell, type TimestampFormat } from './values.js';

/** The columns shown when a query names none: as the AWS console's default query. */
export const DEFAULT_COLUMNS: readonly string[] = ['@timestamp', '@message'];

/** A pipeline ready to receive rows, and what it has produced so far. */
export interface Pipeline {
  /** The first stage: push each record's row here, stop when it returns `false`, then `finish()`. */
  readonly head: Stage;
  readonly columns: string[];
  readonly rows: Record<string, CellValue>[];
  /** Records that passed every `filter` before the first `stats`. */
  matched(): number;
}

/**
 * The columns a query shows: the last `display` if any; else the fields named by `fields` and
 * `parse` (reset by `stats` to its groups then aggregates); else `@timestamp, @message`.
 */
export function resultColumns(commands: readonly Command[]): string[] {
  let columns: string[] = [];
  const add = (names: readonly string[]): void => {
    for (const n of names) if (!columns.includes(n)) columns.push(n);
  };
  for (const c of commands) {
    if (c.kind === 'fields') add(c.items.map((i) => i.name));
    else if (c.kind === 'parse') add(c.names);
    else if (c.kind === 'stats') columns = [...c.groups, ...c.aggregates].map((i) => i.name);
    else if (c.kind === 'display') columns = [...new Set(c.fields)];
  }
  return columns.length === 0 ? [...DEFAULT_COLUMNS] : columns;
}

/** Whether a query matches a pattern (a regex or a `parse` glob) per row, so one row may cost more than reading it. */
export function usesPatterns(ast: QueryAst): boolean {
  return ast.commands.some((c) => {
    switch (c.kind) {
      case 'parse':
        return true;
      case 'filter':
        return hasRegex(c.condition);
      case 'fields':
        return c.items.some((i) => hasRegex(i.expr));
      case 'stats':
        return [...c.aggregates, ...c.groups].some((i) => hasRegex(i.expr));
      case 'sort':
        return c.keys.some((k) => hasRegex(k.expr));
      default:
        return false;
    }
  });
}

function hasRegex(e: Expr): boolean {
  return someExpr(e, (x) => x.kind === 'match' && x.pattern.kind === 'regex');
}

/**
 * Builds the stages of a query, last to first. Rows beyond `maxRows` are not kept, and once
 * that many are kept the pipeline asks for no more. With `fromCommand`, only the commands from
 * that index on get stages (the ones before were answered by the store); the columns are still
 * those of the whole query.
 */
export function buildPipeline(ast: QueryAst, maxRows: number, timestampFormat: TimestampFormat, fromCommand = 0): Pipeline {
  const columns = resultColumns(ast.commands);
  const rows: Record<string, CellValue>[] = [];
  let matched = 0;
  const sink: Stage = {
    push: (row: Row) => {
      if (rows.length >= maxRows) return false;
      // fromEntries defines own properties, so a column named `__proto__` stays a column.
      rows.push(Object.fromEntries(columns.map((c) => [c, toCell(row.get(c), timestampFormat)])));
      return rows.length < maxRows;
    },
    finish: () => undefined,
  };
  const { commands } = ast;
  const firstStats = commands.findIndex((c) => c.kind === 'stats');
  const preStats = firstStats < 0 ? commands.length : firstStats;
  const lastFilter = commands.slice(0, preStats).map((c) => c.kind).lastIndexOf('filter');
  const sortedBefore = commands.map((_, i) => commands.slice(0, i).some((c) => c.kind === 'sort'));
  const count = (): void => {
    matched++;
  };
  let next = sink;
  for (let i = commands.length - 1; i >= fromCommand; i--) {
    const c = commands[i] as Command;
    if (i === lastFilter) next = tapStage(count, next);
    next = stageOf(c, sortedBefore[i] === true, next);
  }
  if (lastFilter < 0 && fromCommand === 0) next = tapStage(count, next);
  return { head: next, columns, rows, matched: () => matched };
}

function stageOf(c: Command, sorted: boolean, next: Stage): Stage {
  switch (c.kind) {
    case 'fields':
      return fieldsStage(c, next);
    case 'display':
      return next;
    case 'filter':
      return filterStage(c.condition, next);
    case 'stats':
      return statsStage(c, next);
    case 'sort':
      return sortStage(c.keys, next);
    case 'limit':
      return limitStage(c.count, next);
    case 'parse':
      return parseStage(c, next);
    case 'dedup':
      return dedupStage(c.fields, sorted, next);
  }
}

// The CloudWatch Logs Insights query language: parse, plan, execute over log records.
export type { LogRecord, FieldValue, CellValue, QueryResult, QueryStatistics } from './model.js';
export type {
  QueryAst,
  Command,
  Expr,
  NamedExpr,
  SortKey,
  ParsePattern,
  RegexLiteral,
  LiteralExpr,
  BinaryOp,
  AggregateName,
  SourcePosition,
  Span,
} from './ast.js';
export type { TimeUnit } from './time-units.js';
export type { TimestampFormat } from './values.js';
export { parseQuery } from './parser.js';
export { LogsQueryError, type QueryErrorCode } from './query-error.js';
export { planQuery, type QueryPlan, type TimeRange, type CountByBin } from './planner.js';
export { executeCountByBin, type BinCount } from './execute-count-by-bin.js';
export { executeQuery, DEFAULT_ROW_LIMIT, type ExecuteOptions } from './execute.js';
export {
  QueryBudgetError,
  compileBudget,
  DEFAULT_QUERY_TIMEOUT_MS,
  MAX_QUERY_TIMEOUT_MS,
  DEFAULT_MAX_RECORDS_SCANNED,
  MAX_RECORDS_SCANNED_LIMIT,
  type QueryBudget,
  type BudgetName,
} from './budget.js';
export { MAX_PATTERN_PROGRAM_SIZE } from './pattern/compile-pattern.js';
export { resultColumns, DEFAULT_COLUMNS } from './pipeline.js';

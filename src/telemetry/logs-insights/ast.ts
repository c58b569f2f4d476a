import type { TimeUnit } from './time-units.js';

/** Where something is in the query text: 0-based offset, 1-based line and column. */
export interface SourcePosition {
  /** Offset in UTF-16 code units from the start of the query. */
  readonly offset: number;
  /** Line number, starting at 1. */
  readonly line: number;
  /** Column number, starting at 1. */
  readonly column: number;
}

/** A range of the query text, `[start, end)` offsets. */
export interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset after the last character. */
  readonly end: number;
}

/** A literal string, number or regular expression. */
export type LiteralExpr =
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'number'; readonly value: number; readonly span: Span };

/** A `/pattern/flags` literal, allowed after `like`, `=~` and in `parse`. */
export interface RegexLiteral {
  readonly kind: 'regex';
  /** The pattern as JavaScript accepts it (a leading `(?i)` is turned into the `i` flag). */
  readonly source: string;
  readonly flags: string;
  readonly span: Span;
}

/** Binary operators, arithmetic, comparison and boolean. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

/** The aggregate functions of `stats`. */
export type AggregateName =
  | 'count' | 'sum' | 'avg' | 'min' | 'max' | 'pct' | 'count_distinct' | 'stddev' | 'earliest' | 'latest';

/** An expression of `fields`, `filter`, `stats`, `sort`. */
export type Expr =
  | LiteralExpr
  | { readonly kind: 'field'; readonly name: string; readonly span: Span }
  | { readonly kind: 'duration'; readonly amount: number; readonly unit: TimeUnit; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | {
      /** `like` (substring or regex), `not like`, `=~` (regex). */
      readonly kind: 'match';
      readonly subject: Expr;
      readonly pattern: RegexLiteral | { readonly kind: 'string'; readonly value: string; readonly span: Span };
      readonly negated: boolean;
      readonly span: Span;
    }
  | { readonly kind: 'in'; readonly subject: Expr; readonly items: readonly Expr[]; readonly negated: boolean; readonly span: Span }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly span: Span }
  | {
      readonly kind: 'aggregate';
      readonly name: AggregateName;
      /** Empty for `count(*)` and `count()`. */
      readonly args: readonly Expr[];
      readonly span: Span;
    };

/** The expressions directly inside `e`, in source order. */
export function childExprs(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'match':
      return [e.subject];
    case 'in':
      return [e.subject, ...e.items];
    case 'call':
    case 'aggregate':
      return e.args;
    default:
      return [];
  }
}

/** Whether `e` or any expression inside it satisfies `test` (a node that does is not descended into). */
export function someExpr(e: Expr, test: (e: Expr) => boolean): boolean {
  return test(e) || childExprs(e).some((c) => someExpr(c, test));
}

/** An expression with the column name it produces (its alias, or its text). */
export interface NamedExpr {
  readonly expr: Expr;
  readonly name: string;
}

/** One key of `sort`. */
export interface SortKey {
  readonly expr: Expr;
  /** `true` unless `asc` is written: the default order is descending, as AWS. */
  readonly descending: boolean;
}

/** How `parse` extracts fields: a glob with `*` wildcards, or a regex with named groups. */
export type ParsePattern =
  | { readonly kind: 'glob'; readonly pattern: string; readonly span: Span }
  | RegexLiteral;

/** One command of the pipeline. */
export type Command =
  | { readonly kind: 'fields'; readonly items: readonly NamedExpr[]; readonly span: Span }
  | { readonly kind: 'display'; readonly fields: readonly string[]; readonly span: Span }
  | { readonly kind: 'filter'; readonly condition: Expr; readonly span: Span }
  | { readonly kind: 'stats'; readonly aggregates: readonly NamedExpr[]; readonly groups: readonly NamedExpr[]; readonly span: Span }
  | { readonly kind: 'sort'; readonly keys: readonly SortKey[]; readonly span: Span }
  | { readonly kind: 'limit'; readonly count: number; readonly span: Span }
  | {
      readonly kind: 'parse';
      /** The field parsed. @default '@message' */
      readonly source: string;
      readonly pattern: ParsePattern;
      /** The fields extracted, in pattern order. */
      readonly names: readonly string[];
      readonly span: Span;
    }
  | { readonly kind: 'dedup'; readonly fields: readonly string[]; readonly span: Span };

/** A parsed query: its text and its commands in pipeline order. */
export interface QueryAst {
  readonly kind: 'query';
  readonly text: string;
  readonly commands: readonly Command[];
}

import { someExpr, type Command, type Expr, type NamedExpr, type ParsePattern, type QueryAst, type SortKey } from './ast.js';
import { compileGlobLiteral, compileRegexLiteral, parseExpression, startsExpression, type ExprMode } from './parse-expression.js';
import { invalidQuery } from './query-error.js';
import { TokenStream } from './token-stream.js';

/** The commands of the language, by lower-case name. */
const COMMANDS: ReadonlyMap<string, (s: TokenStream, start: number) => Command> = new Map(Object.entries({
  fields: parseFields,
  display: (s: TokenStream, start: number): Command => ({ kind: 'display', fields: names(s, 'a field'), span: { start, end: end(s) } }),
  filter: parseFilter,
  stats: parseStats,
  sort: parseSort,
  limit: parseLimit,
  parse: parseParse,
  dedup: (s: TokenStream, start: number): Command => ({ kind: 'dedup', fields: names(s, 'a field'), span: { start, end: end(s) } }),
}));

/**
 * Parses a Logs Insights query (grammar in `docs/logs-insights.md`): commands separated by
 * `|`, `#` comments, case-insensitive keywords and function names.
 *
 * @throws LogsQueryError (an `InputError`) with code `SLW_ERR_LOGS_QUERY_SYNTAX` for a grammar
 *   error or `SLW_ERR_LOGS_QUERY_INVALID` for a meaning error, positioned in the text.
 * @example parseQuery('filter status >= 500 | stats count(*) by bin(5m)')
 */
export function parseQuery(text: string): QueryAst {
  const s = new TokenStream(text);
  const commands: Command[] = [];
  for (;;) {
    commands.push(parseCommand(s));
    if (s.peek().kind === 'eof') break;
    if (!s.takeOp('|')) s.fail(`unexpected '${s.source(s.peek())}'; separate commands with '|'`);
  }
  return { kind: 'query', text, commands };
}

function parseCommand(s: TokenStream): Command {
  const t = s.peek();
  if (t.kind !== 'ident') return s.expected('a command');
  const parse = COMMANDS.get(t.value.toLowerCase());
  if (parse === undefined) return s.fail(`unknown command '${t.value}'`);
  s.next();
  return parse(s, t.start);
}

function end(s: TokenStream): number {
  return s.previous()?.end ?? 0;
}

/** A field name: a word or a backtick-quoted name. */
function name(s: TokenStream, what: string): string {
  const t = s.peek();
  if (t.kind === 'quoted' || (t.kind === 'ident' && !['and', 'or', 'not', 'by', 'as'].includes(t.value.toLowerCase()))) {
    s.next();
    return t.value;
  }
  return s.expected(what);
}

function names(s: TokenStream, what: string): string[] {
  const list: string[] = [];
  do list.push(name(s, what));
  while (s.takeOp(','));
  return list;
}

/** `expr [as name]`; an expression without alias is named by its text, as AWS does. */
function namedExpr(s: TokenStream, mode: ExprMode, what: string): NamedExpr {
  if (!startsExpression(s)) s.expected(what);
  const expr = parseExpression(s, mode);
  if (s.takeKeyword('as')) return { expr, name: name(s, 'a name') };
  return { expr, name: expr.kind === 'field' ? expr.name : s.text.slice(expr.span.start, expr.span.end) };
}

function namedList(s: TokenStream, mode: ExprMode, what: string): NamedExpr[] {
  const list: NamedExpr[] = [];
  do list.push(namedExpr(s, mode, what));
  while (s.takeOp(','));
  return list;
}

function parseFields(s: TokenStream, start: number): Command {
  return { kind: 'fields', items: namedList(s, 'scalar', 'a field'), span: { start, end: end(s) } };
}

function parseFilter(s: TokenStream, start: number): Command {
  if (!startsExpression(s)) s.expected('a condition');
  const condition = parseExpression(s, 'scalar');
  return { kind: 'filter', condition, span: { start, end: end(s) } };
}

function hasAggregate(e: Expr): boolean {
  return someExpr(e, (x) => x.kind === 'aggregate');
}

function parseStats(s: TokenStream, start: number): Command {
  const aggregates = namedList(s, 'stats', 'an aggregate function');
  for (const a of aggregates) {
    if (!hasAggregate(a.expr)) invalidQuery(s.text, a.expr.span.start, "expected an aggregate function such as count(*) in 'stats'");
  }
  const groups = s.takeKeyword('by') ? namedList(s, 'scalar', 'a field') : [];
  const seen = new Set<string>();
  for (const item of [...groups, ...aggregates]) {
    if (seen.has(item.name)) invalidQuery(s.text, item.expr.span.start, `'stats' produces '${item.name}' twice; name one with 'as'`);
    seen.add(item.name);
  }
  return { kind: 'stats', aggregates, groups, span: { start, end: end(s) } };
}

function parseSort(s: TokenStream, start: number): Command {
  const keys: SortKey[] = [];
  do {
    if (!startsExpression(s)) s.expected('a field');
    const expr = parseExpression(s, 'scalar');
    const ascending = s.takeKeyword('asc');
    if (!ascending) s.takeKeyword('desc');
    keys.push({ expr, descending: !ascending });
  } while (s.takeOp(','));
  return { kind: 'sort', keys, span: { start, end: end(s) } };
}

function parseLimit(s: TokenStream, start: number): Command {
  const t = s.peek();
  if (t.kind !== 'number' || !Number.isInteger(t.num) || t.num <= 0) return s.expected('a positive whole number');
  s.next();
  return { kind: 'limit', count: t.num, span: { start, end: t.end } };
}

function parseParse(s: TokenStream, start: number): Command {
  const first = s.peek();
  const source = first.kind === 'ident' || first.kind === 'quoted' ? name(s, 'a field') : '@message';
  const t = s.peek();
  let pattern: ParsePattern;
  let extracted: string[];
  if (t.kind === 'string') {
    s.next();
    pattern = { kind: 'glob', pattern: t.value, span: { start: t.start, end: t.end } };
    const wildcards = t.value.split('*').length - 1;
    if (wildcards === 0) invalidQuery(s.text, t.start, "the pattern has no '*' wildcard to extract");
    compileGlobLiteral(s, t);
    if (!s.takeKeyword('as')) s.expected("'as' and the names of the extracted fields");
    extracted = names(s, 'a name');
    if (extracted.length !== wildcards) {
      invalidQuery(s.text, t.start, `the pattern has ${wildcards} wildcard${wildcards === 1 ? '' : 's'} but ${extracted.length === 1 ? '1 name follows' : `${extracted.length} names follow`} 'as'`);
    }
  } else if (t.kind === 'op' && t.value === '/') {
    const r = s.takeRegex();
    const compiled = compileRegexLiteral(s, r.value, r.flags ?? '', r);
    pattern = compiled.literal;
    extracted = [...compiled.pattern.namedGroups.keys()];
    if (extracted.length === 0) invalidQuery(s.text, r.start, 'the regular expression has no named capture group such as (?<name>\\S+)');
  } else {
    return s.expected('a "glob * pattern" or a /regex/');
  }
  return { kind: 'parse', source, pattern, names: extracted, span: { start, end: end(s) } };
}

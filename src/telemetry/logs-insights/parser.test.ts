import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { LogsQueryError, parseQuery, type Command, type Expr } from './index.js';

function errorOf(query: string): LogsQueryError {
  try {
    parseQuery(query);
  } catch (error) {
    if (error instanceof LogsQueryError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(query)} not to parse`);
}

const SYNTAX = 'SLW_ERR_LOGS_QUERY_SYNTAX';
const INVALID = 'SLW_ERR_LOGS_QUERY_INVALID';

describe('parseQuery errors', () => {
  const cases: { query: string; code: string; message: string; line: number; column: number }[] = [
    { query: 'stats count(*) by', code: SYNTAX, message: "expected a field after 'by'", line: 1, column: 18 },
    { query: 'filter x = 1 | stats count(*) by a, ', code: SYNTAX, message: "expected a field after ','", line: 1, column: 37 },
    { query: '', code: SYNTAX, message: 'expected a command', line: 1, column: 1 },
    { query: 'fields a |', code: SYNTAX, message: "expected a command after '|'", line: 1, column: 11 },
    { query: 'filtr x = 1', code: SYNTAX, message: "unknown command 'filtr'", line: 1, column: 1 },
    { query: 'filter x = "abc', code: SYNTAX, message: 'unterminated string', line: 1, column: 12 },
    { query: 'filter x like 5', code: SYNTAX, message: "expected a string or /regex/ after 'like'", line: 1, column: 15 },
    { query: 'filter x in 1', code: SYNTAX, message: "expected '[' after 'in'", line: 1, column: 13 },
    { query: 'filter x in [1, 2', code: SYNTAX, message: "expected ',' or ']' after '2'", line: 1, column: 18 },
    { query: 'stats count(*) as', code: SYNTAX, message: "expected a name after 'as'", line: 1, column: 18 },
    { query: 'limit 0', code: SYNTAX, message: "expected a positive whole number after 'limit'", line: 1, column: 7 },
    { query: 'limit 2.5', code: SYNTAX, message: "expected a positive whole number after 'limit'", line: 1, column: 7 },
    { query: 'stats count(*) by bin(5x)', code: SYNTAX, message: "unknown time unit 'x'", line: 1, column: 24 },
    { query: 'filter (a = 1', code: SYNTAX, message: "expected ')' after '1'", line: 1, column: 14 },
    { query: 'fields a\n| filter b = = 2', code: SYNTAX, message: "expected an expression after '='", line: 2, column: 14 },
    { query: 'filter a = 1 b', code: SYNTAX, message: "unexpected 'b'; separate commands with '|'", line: 1, column: 14 },
    { query: 'filter x like /a/g', code: SYNTAX, message: "unknown regular expression flag 'g'", line: 1, column: 18 },
    { query: 'filter x like /open', code: SYNTAX, message: 'unterminated regular expression', line: 1, column: 15 },
    { query: 'filter and', code: SYNTAX, message: "expected a condition after 'filter'", line: 1, column: 8 },
    { query: 'filter x not = 1', code: SYNTAX, message: "expected 'like' or 'in' after 'not'", line: 1, column: 14 },
    { query: 'filter x ! 1', code: SYNTAX, message: "unexpected character '!'", line: 1, column: 10 },
    { query: 'fields `abc', code: SYNTAX, message: 'unterminated `quoted` field name', line: 1, column: 8 },
    { query: 'sort', code: SYNTAX, message: "expected a field after 'sort'", line: 1, column: 5 },
    { query: 'fields nosuch(a)', code: INVALID, message: "unknown function 'nosuch'", line: 1, column: 8 },
    { query: 'fields count(*)', code: INVALID, message: "'count' is an aggregate function; use it in 'stats'", line: 1, column: 8 },
    { query: 'stats latencyMs', code: INVALID, message: "field 'latencyMs' must be inside an aggregate function such as count(latencyMs) in 'stats'", line: 1, column: 7 },
    { query: 'stats 1 + 2', code: INVALID, message: "expected an aggregate function such as count(*) in 'stats'", line: 1, column: 7 },
    { query: 'stats sum(count(*))', code: INVALID, message: 'aggregate functions cannot be nested', line: 1, column: 11 },
    { query: 'stats pct(x, 101)', code: INVALID, message: "'pct' expects a percentile from 0 to 100 as its second argument", line: 1, column: 14 },
    { query: 'stats count(*) as n, sum(x) as n', code: INVALID, message: "'stats' produces 'n' twice; name one with 'as'", line: 1, column: 22 },
    { query: 'parse @message "* *" as a', code: INVALID, message: "the pattern has 2 wildcards but 1 name follows 'as'", line: 1, column: 16 },
    { query: 'parse @message "abc" as a', code: INVALID, message: "the pattern has no '*' wildcard to extract", line: 1, column: 16 },
    { query: 'parse @message /abc/', code: INVALID, message: 'the regular expression has no named capture group such as (?<name>\\S+)', line: 1, column: 16 },
    { query: 'filter x =~ /(/', code: INVALID, message: 'invalid regular expression: Unterminated group', line: 1, column: 13 },
    { query: 'filter @message like /(a+)\\1/', code: SYNTAX, message: "backreference '\\1' is not supported: patterns run on a linear-time engine (RE2 semantics), without backreferences", line: 1, column: 27 },
    { query: 'parse @message /(?<w>\\w+) \\k<w>/', code: SYNTAX, message: "named backreference '\\k' is not supported: patterns run on a linear-time engine (RE2 semantics), without backreferences", line: 1, column: 27 },
    { query: 'filter x =~ /(?i)a(?=b)/', code: SYNTAX, message: "lookahead '(?=' is not supported: patterns run on a linear-time engine (RE2 semantics), without lookaround", line: 1, column: 19 },
    { query: 'filter x\n  | filter @message not like /(?<!a)b/', code: SYNTAX, message: "lookbehind '(?<!' is not supported: patterns run on a linear-time engine (RE2 semantics), without lookaround", line: 2, column: 31 },
    { query: 'filter x =~ "end\\z"', code: SYNTAX, message: "the escape '\\z' is not supported (RE2 reads it differently); write 'z' without the backslash", line: 1, column: 17 },
    { query: 'filter x =~ /a{1001}/', code: INVALID, message: 'invalid regular expression: invalid repeat count: `{1001}`', line: 1, column: 13 },
    { query: 'filter x =~ /a{999}|b{999}|c{999}/', code: INVALID, message: 'invalid regular expression: it compiles to 3001 instructions, more than the 2000 allowed; use smaller repetition counts or fewer alternatives', line: 1, column: 13 },
    { query: 'filter x =~ /a{999}/ or y =~ /b{999}/', code: INVALID, message: "the query's patterns together compile to 2002 instructions, more than the 2000 allowed; use fewer or smaller patterns", line: 1, column: 30 },
    { query: 'fields substr(a)', code: INVALID, message: "'substr' takes 2 to 3 arguments", line: 1, column: 8 },
    { query: 'fields concat()', code: INVALID, message: "'concat' takes at least 1 argument", line: 1, column: 8 },
    { query: 'stats count(*) by bin(x)', code: INVALID, message: "'bin' expects a time period such as 5m", line: 1, column: 23 },
  ];

  it.each(cases)('$query → $message', ({ query, code, message, line, column }) => {
    // GIVEN a bad query WHEN parsed THEN an InputError says where and what, in the message and the issue
    const error = errorOf(query);
    const text = `line ${line}, col ${column}: ${message}`;
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(400);
    expect(error.message).toBe(text);
    expect(error.detail).toBe(message);
    expect(error.issues).toEqual([{ path: 'query', message: text }]);
    expect(error.position.line).toBe(line);
    expect(error.position.column).toBe(column);
    const lineStart = query.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    expect(error.position.offset).toBe(lineStart + column - 1);
  });
});

const field = (name: string, start: number): Expr => ({ kind: 'field', name, span: { start, end: start + name.length } });

describe('parseQuery trees', () => {
  it('binds and tighter than or, comparison tighter than and, * tighter than +', () => {
    // GIVEN a mixed condition WHEN parsed THEN the tree follows the precedence
    const ast = parseQuery('filter a = 1 or b + 2 * c > 3 and not d');
    const [command] = ast.commands;
    expect(command?.kind).toBe('filter');
    const condition = (command as Command & { kind: 'filter' }).condition;
    const shape = (e: Expr): unknown => {
      switch (e.kind) {
        case 'binary':
          return [e.op, shape(e.left), shape(e.right)];
        case 'unary':
          return [e.op, shape(e.operand)];
        case 'field':
          return e.name;
        case 'number':
          return e.value;
        default:
          return e.kind;
      }
    };
    expect(shape(condition)).toEqual(['or', ['=', 'a', 1], ['and', ['>', ['+', 'b', ['*', 2, 'c']], 3], ['not', 'd']]]);
  });

  it('names items by alias, field name or text, and sorts descending by default', () => {
    // GIVEN fields, stats and sort WHEN parsed THEN names and directions are as AWS shows them
    const ast = parseQuery('fields a, b * 2, c as d | stats count(*), avg(x) as mean by bin(5m) | sort mean, d asc');
    const [fields, stats, sort] = ast.commands;
    expect(fields?.kind === 'fields' && fields.items.map((i) => i.name)).toEqual(['a', 'b * 2', 'd']);
    expect(stats?.kind === 'stats' && stats.aggregates.map((i) => i.name)).toEqual(['count(*)', 'mean']);
    expect(stats?.kind === 'stats' && stats.groups.map((i) => i.name)).toEqual(['bin(5m)']);
    expect(sort?.kind === 'sort' && sort.keys.map((k) => k.descending)).toEqual([true, false]);
  });

  it('reads backtick names, dotted names, comments and keywords in any case', () => {
    // GIVEN special field names and a comment WHEN parsed THEN the names are decoded
    const ast = parseQuery('# leading comment\nFIELDS `a-b`, x.`c d`.e # trailing\n| Display `a-b`');
    expect(ast.commands).toEqual([
      {
        kind: 'fields',
        items: [
          { expr: { kind: 'field', name: 'a-b', span: { start: 25, end: 30 } }, name: 'a-b' },
          { expr: { kind: 'field', name: 'x.c d.e', span: { start: 32, end: 41 } }, name: 'x.c d.e' },
        ],
        span: { start: 18, end: 41 },
      },
      { kind: 'display', fields: ['a-b'], span: { start: 55, end: 68 } },
    ]);
  });

  it('reads regex literals with flags and turns a leading (?i) into the i flag', () => {
    // GIVEN like and =~ with regexes WHEN parsed THEN sources and flags are kept
    const ast = parseQuery('filter @message like /a\\/b[/]/i and m =~ /(?i)err/ | parse /(?<x>\\d+)/');
    const filter = ast.commands[0] as Command & { kind: 'filter' };
    const c = filter.condition as Expr & { kind: 'binary' };
    expect(c.left).toMatchObject({ kind: 'match', negated: false, pattern: { kind: 'regex', source: 'a\\/b[/]', flags: 'i' } });
    expect(c.right).toMatchObject({ kind: 'match', pattern: { kind: 'regex', source: 'err', flags: 'i' } });
    expect(ast.commands[1]).toMatchObject({ kind: 'parse', source: '@message', names: ['x'] });
  });

  it('reads durations in every unit spelling as AWS', () => {
    // GIVEN bin periods WHEN parsed THEN each unit is recognised
    const units = ['100ms', '1msec', '30s', '2sec', '5m', '5min', '10mins', '1h', '1hr', '2hrs', '1d', '1w', '1mo', '1q', '1y', '2yrs'];
    const got = units.map((u) => {
      const stats = parseQuery(`stats count(*) by bin(${u})`).commands[0] as Command & { kind: 'stats' };
      const bin = stats.groups[0]?.expr as Expr & { kind: 'call' };
      const d = bin.args[0] as Expr & { kind: 'duration' };
      return `${d.amount}${d.unit}`;
    });
    expect(got).toEqual(['100ms', '1ms', '30s', '2s', '5m', '5m', '10m', '1h', '1h', '2h', '1d', '1w', '1mo', '1q', '1y', '2y']);
  });

  it('treats a field used in in-lists and not like', () => {
    // GIVEN in / not in / not like WHEN parsed THEN negation is on the node
    const ast = parseQuery('filter a in ["x", 1] and b not in [] and c not like "z"');
    const f = ast.commands[0] as Command & { kind: 'filter' };
    const and1 = f.condition as Expr & { kind: 'binary' };
    const and0 = and1.left as Expr & { kind: 'binary' };
    expect(and0.left).toEqual({
      kind: 'in', subject: field('a', 7), negated: false, span: { start: 7, end: 20 },
      items: [{ kind: 'string', value: 'x', span: { start: 13, end: 16 } }, { kind: 'number', value: 1, span: { start: 18, end: 19 } }],
    });
    expect(and0.right).toMatchObject({ kind: 'in', negated: true, items: [] });
    expect(and1.right).toMatchObject({ kind: 'match', negated: true, pattern: { kind: 'string', value: 'z' } });
  });
});

describe('parseQuery limits', () => {
  it.each(['filter ' + '('.repeat(5000) + 'a', 'filter ' + 'not '.repeat(5000) + 'a', 'fields ' + '-'.repeat(5000) + '1'])(
    'refuses deep nesting with a query error, not a stack overflow (%#)',
    (query) => {
      // GIVEN pathological nesting WHEN parsed THEN a positioned syntax error
      const error = errorOf(query);
      expect(error.code).toBe(SYNTAX);
      expect(error.detail).toBe('the expression is nested too deeply');
    },
  );
});

describe('parseQuery and prototype names', () => {
  it.each([
    ['__proto__', "unknown command '__proto__'", 1],
    ['constructor x', "unknown command 'constructor'", 1],
    ['stats count(*) by bin(5constructor)', "unknown time unit 'constructor'", 24],
    ['fields toString(a)', "unknown function 'toString'", 8],
  ])('%s is rejected as unknown, not looked up on Object.prototype', (query, message, column) => {
    // GIVEN a name that is an Object.prototype member WHEN parsed THEN a query error
    const error = errorOf(query);
    expect(error.detail).toBe(message);
    expect(error.position.column).toBe(column);
  });
});

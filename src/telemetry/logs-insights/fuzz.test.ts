import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executeQuery, LogsQueryError, parseQuery, planQuery, type LogRecord } from './index.js';

const records: LogRecord[] = Array.from({ length: 30 }, (_, i) => ({
  timestampMs: 1_700_000_000_000 + ((i * 7) % 30) * 45_000,
  message:
    i % 3 === 0
      ? `plain ${i} text user=u${i % 4}`
      : JSON.stringify({ level: ['INFO', 'ERROR'][i % 2], latencyMs: i * 3, http: { status: 200 + (i % 5) * 100 }, ok: i % 2 === 0 }),
  logStream: `s${i % 2}`,
  log: 'g',
  ...(i % 4 === 0 ? { fields: { region: 'eu', n: i } } : {}),
}));

/** Whether an error is the query error parseQuery is allowed to throw. */
function isQueryError(error: unknown): boolean {
  return error instanceof LogsQueryError && ['SLW_ERR_LOGS_QUERY_SYNTAX', 'SLW_ERR_LOGS_QUERY_INVALID'].includes(error.code);
}

function parsesOrFailsCleanly(text: string): void {
  try {
    parseQuery(text);
  } catch (error) {
    if (!isQueryError(error)) throw error;
    const e = error as LogsQueryError;
    expect(e.position.offset).toBeGreaterThanOrEqual(0);
    expect(e.position.offset).toBeLessThanOrEqual(text.length);
    expect(e.issues[0]?.path).toBe('query');
  }
}

const TOKENS = [
  'fields', 'filter', 'stats', 'sort', 'limit', 'parse', 'dedup', 'display', 'by', 'as', 'and', 'or', 'not', 'like', 'in',
  'asc', 'desc', '|', ',', '(', ')', '[', ']', '+', '-', '*', '/', '%', '^', '=', '!=', '<', '<=', '>', '>=', '=~',
  '@message', '@timestamp', 'level', 'http.status', '`a b`', '"str"', "'s'", '/re/i', '5m', '10', '2.5', 'count(*)',
  'count', 'sum', 'pct', 'bin', 'strlen', '#c\n', '\n', '"', '/', '`',
];

const FIELDS = ['level', 'latencyMs', 'http.status', '@message', '@logStream', 'missing', 'region', '`http.status`'];
const field = fc.constantFrom(...FIELDS);
const literal = fc.oneof(fc.integer({ min: -5, max: 600 }).map(String), fc.constantFrom('"INFO"', '"ERROR"', "'s0'", '"200"'));
const comparison = fc.tuple(field, fc.constantFrom('=', '!=', '<', '<=', '>', '>='), literal).map(([f, op, v]) => `${f} ${op} ${v}`);
const predicate = fc.oneof(
  comparison,
  field.map((f) => `${f} like "a"`),
  field.map((f) => `${f} not like /e/i`),
  field.map((f) => `${f} like /u1/`),
  field.map((f) => `${f} =~ /(?i)TEXT|u\\d$/`),
  field.map((f) => `${f} in [1, "INFO", 300]`),
  field.map((f) => `ispresent(${f})`),
);
const condition = fc.tuple(predicate, fc.constantFrom('and', 'or', 'and not'), predicate).map(([a, op, b]) => `(${a}) ${op} ${b}`);
const scalar = fc.oneof(
  field,
  field.map((f) => `${f} * 2 + 1`),
  field.map((f) => `strlen(${f})`),
  field.map((f) => `concat(${f}, "-")`),
  field.map((f) => `coalesce(${f}, 0)`),
  fc.constant('bin(1m)'),
  fc.constant('datefloor(@timestamp, 1h)'),
);
const aggregate = fc.oneof(
  fc.constant('count(*)'),
  field.map((f) => `count(${f})`),
  fc.tuple(fc.constantFrom('sum', 'avg', 'min', 'max', 'count_distinct', 'stddev', 'earliest', 'latest'), field).map(([a, f]) => `${a}(${f})`),
  fc.tuple(field, fc.integer({ min: 0, max: 100 })).map(([f, p]) => `pct(${f}, ${p})`),
);
const command = fc.oneof(
  condition.map((c) => `filter ${c}`),
  fc.array(scalar, { minLength: 1, maxLength: 3 }).map((xs) => `fields ${xs.map((x, i) => `${x} as f${i}`).join(', ')}`),
  fc
    .tuple(fc.array(aggregate, { minLength: 1, maxLength: 3 }), fc.array(scalar, { maxLength: 2 }))
    .map(([aggs, by]) => `stats ${aggs.map((a, i) => `${a} as a${i}`).join(', ')}${by.length === 0 ? '' : ` by ${by.map((b, i) => `${b} as g${i}`).join(', ')}`}`),
  fc.tuple(field, fc.constantFrom('', ' asc', ' desc')).map(([f, d]) => `sort ${f}${d}`),
  fc.integer({ min: 1, max: 20 }).map((n) => `limit ${n}`),
  fc.constant('parse @message "* *" as p1, p2'),
  fc.constant('parse @message /user=(?<who>u\\d)/'),
  field.map((f) => `dedup ${f}`),
  field.map((f) => `display ${f}`),
);
const query = fc.array(command, { minLength: 1, maxLength: 5 }).map((cs) => cs.join(' | '));

describe('fuzzing the parser and the evaluator', () => {
  it('never fails on random text with anything but a query error', () => {
    // GIVEN arbitrary text WHEN parsed THEN it parses or throws the positioned query error
    fc.assert(fc.property(fc.string({ maxLength: 80 }), parsesOrFailsCleanly), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'fieldsta |()[],*/"\'`#@.=<>!~5m-'.split('')), maxLength: 60 }), parsesOrFailsCleanly), { numRuns: 2000 });
  });

  it('never fails on random token sequences with anything but a query error', () => {
    // GIVEN shuffled tokens of the language WHEN parsed THEN only query errors are thrown
    fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }), (tokens) => parsesOrFailsCleanly(tokens.join(' '))), { numRuns: 3000 });
  });

  it('parses, plans and runs generated valid queries', async () => {
    // GIVEN queries built from valid pieces WHEN run THEN they succeed and every row has every column
    await fc.assert(
      fc.asyncProperty(query, async (text) => {
        const plan = planQuery(parseQuery(text), { startMs: 0, endMs: 2_000_000_000_000 });
        const result = await executeQuery(plan, records);
        expect(result.columns.length).toBeGreaterThan(0);
        for (const row of result.rows) expect(Object.keys(row)).toEqual(result.columns);
        expect(result.statistics.recordsScanned).toBeLessThanOrEqual(records.length);
        // The plan's prefilters never drop a record the full query keeps.
        const prefiltered = records.filter(
          (r) =>
            (plan.logStreams === undefined || plan.logStreams.includes(r.logStream)) &&
            (plan.logGroups === undefined || plan.logGroups.includes(r.log)) &&
            plan.messageContains.every((s) => r.message.includes(s)),
        );
        expect(await executeQuery(plan, prefiltered)).toEqual({ ...result, statistics: expect.any(Object) });
      }),
      { numRuns: 400 },
    );
  });
});

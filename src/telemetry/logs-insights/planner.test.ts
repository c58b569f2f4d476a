import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { planQuery, type QueryPlan } from './index.js';

const RANGE = { startMs: 1_000, endMs: 2_000 };

type Pushed = Omit<QueryPlan, 'kind' | 'ast' | 'startMs' | 'endMs'>;

describe('planQuery', () => {
  const cases: { name: string; query: string; pushed: Pushed }[] = [
    { name: 'nothing to push', query: 'fields @message', pushed: { messageContains: [] } },
    { name: '@logStream equality', query: 'filter @logStream = "web/1"', pushed: { logStreams: ['web/1'], messageContains: [] } },
    { name: '@traceId equality', query: `filter @traceId = "${'ab'.repeat(16)}" and @log = "g"`, pushed: { logGroups: ['g'], traceIds: ['ab'.repeat(16)], messageContains: [] } },
    { name: 'literal on the left', query: 'filter "shop/gateway" = @log', pushed: { logGroups: ['shop/gateway'], messageContains: [] } },
    { name: 'in list, deduplicated', query: 'filter @log in ["a", "b", "a"]', pushed: { logGroups: ['a', 'b'], messageContains: [] } },
    { name: 'or of equalities on one field', query: 'filter @logStream = "x" or @logStream = "y"', pushed: { logStreams: ['x', 'y'], messageContains: [] } },
    {
      name: 'filters are intersected across commands',
      query: 'filter @logStream in ["x", "y"] | filter @logStream = "y" and @message like "boom"',
      pushed: { logStreams: ['y'], messageContains: ['boom'] },
    },
    { name: 'an empty intersection matches nothing', query: 'filter @log = "a" and @log = "b"', pushed: { logGroups: [], messageContains: [] } },
    { name: 'like with a plain literal regex is pushed as its text', query: 'filter @message like /boom/ and @message =~ "a-b"', pushed: { messageContains: ['boom', 'a-b'] } },
    { name: 'like with a regex is not pushed', query: 'filter @message like /bo+m/', pushed: { messageContains: [] } },
    { name: 'like with a case-insensitive literal regex is not pushed', query: 'filter @message like /boom/i', pushed: { messageContains: [] } },
    { name: 'like with an escaped literal regex is not pushed', query: 'filter @message like /a\\.b/', pushed: { messageContains: [] } },
    { name: 'not like is not pushed', query: 'filter @message not like "boom"', pushed: { messageContains: [] } },
    { name: 'or across fields is not pushed', query: 'filter @log = "a" or @logStream = "b"', pushed: { messageContains: [] } },
    { name: 'a numeric-looking literal compares as a number, so it is not pushed', query: 'filter @logStream = "007"', pushed: { messageContains: [] } },
    { name: 'a field shadowed by fields is not pushed', query: 'fields "x" as @logStream | filter @logStream = "x"', pushed: { messageContains: [] } },
    { name: 'a field shadowed by parse is not pushed', query: 'parse @message "* *" as @log, rest | filter @log = "x"', pushed: { messageContains: [] } },
    { name: 'filters after stats are not pushed', query: 'stats count(*) as n by @logStream | filter @logStream = "x"', pushed: { messageContains: [] } },
    { name: 'filters after limit are not pushed', query: 'limit 5 | filter @log = "x"', pushed: { messageContains: [], limitHint: 5 } },
    { name: 'limit hint when every filter is pushed whole', query: 'filter @log = "a" and @message like "x" | fields @message | limit 20', pushed: { logGroups: ['a'], messageContains: ['x'], limitHint: 20 } },
    { name: 'no limit hint with a filter the store cannot run', query: 'filter @log = "a" and status = 500 | limit 20', pushed: { logGroups: ['a'], messageContains: [] } },
    { name: 'no limit hint with sort', query: 'filter @log = "a" | sort @timestamp desc | limit 20', pushed: { logGroups: ['a'], messageContains: [] } },
    { name: 'no limit hint with stats', query: 'limit 20 | stats count(*)', pushed: { messageContains: [] } },
    { name: 'no limit hint with dedup', query: 'dedup @logStream | limit 3', pushed: { messageContains: [] } },
  ];

  it.each(cases)('$name', ({ query, pushed }) => {
    // GIVEN a query WHEN planned THEN exactly these prefilters are extracted
    const plan = planQuery(query, RANGE);
    const { kind, ast, startMs, endMs, ...rest } = plan;
    expect({ kind, text: ast.text, startMs, endMs }).toEqual({ kind: 'plan', text: query, startMs: 1_000, endMs: 2_000 });
    expect(rest).toEqual(pushed);
  });

  it.each([
    { startMs: 2, endMs: 1 },
    { startMs: Number.NaN, endMs: 1 },
    { startMs: 0, endMs: Number.POSITIVE_INFINITY },
  ])('rejects the time range $startMs..$endMs', (range) => {
    // GIVEN a bad range WHEN planned THEN an InputError with the time-range code
    expect(() => planQuery('fields @message', range)).toThrow(InputError);
    try {
      planQuery('fields @message', range);
    } catch (error) {
      expect((error as InputError).code).toBe('SLW_ERR_LOGS_QUERY_TIME_RANGE');
    }
  });
});

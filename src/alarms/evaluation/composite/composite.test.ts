import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/index.js';
import type { AlarmState } from '../model.js';
import { referencedAlarms, type RuleNode } from './ast.js';
import { evaluateComposite } from './evaluate-composite.js';
import { findCompositeCycle } from './find-composite-cycle.js';
import { parseAlarmRule } from './parse-rule.js';

/** A compact rendering of an AST: `or(A:a, and(A:b, not(O:c)))`. */
function show(node: RuleNode): string {
  switch (node.kind) {
    case 'const':
      return node.value ? 'TRUE' : 'FALSE';
    case 'state':
      return `${node.state === 'INSUFFICIENT_DATA' ? 'I' : node.state[0]}:${node.alarm}`;
    case 'not':
      return `not(${show(node.operand)})`;
    default:
      return `${node.kind}(${show(node.left)}, ${show(node.right)})`;
  }
}

describe('parseAlarmRule', () => {
  it.each([
    ['ALARM(a)', 'A:a'],
    ['ALARM(a) OR ALARM(b) AND ALARM(c)', 'or(A:a, and(A:b, A:c))'],
    ['ALARM(a) AND ALARM(b) OR ALARM(c)', 'or(and(A:a, A:b), A:c)'],
    ['NOT ALARM(a) AND OK(b)', 'and(not(A:a), O:b)'],
    ['NOT (ALARM(a) AND OK(b))', 'not(and(A:a, O:b))'],
    ['NOT NOT INSUFFICIENT_DATA(a)', 'not(not(I:a))'],
    ['(ALARM(a) OR ALARM(b)) AND ALARM(c)', 'and(or(A:a, A:b), A:c)'],
    ['ALARM(a) AND ALARM(b) AND ALARM(c)', 'and(and(A:a, A:b), A:c)'],
    ['TRUE AND NOT FALSE', 'and(TRUE, not(FALSE))'],
    ['ALARM("my alarm")', 'A:my alarm'],
    ['ALARM( "quoted (parens)" )', 'A:quoted (parens)'],
    ['ALARM("say \\"hi\\" \\\\ back")', 'A:say "hi" \\ back'],
    ['ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high)', 'A:arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high'],
    ['  OK(gateway-5xx)\n\tOR\nALARM(p99.latency)  ', 'or(O:gateway-5xx, A:p99.latency)'],
  ])('parses %s', (rule, want) => {
    // GIVEN a rule WHEN parsed THEN the tree has the documented precedence NOT > AND > OR
    expect(show(parseAlarmRule(rule))).toBe(want);
  });

  const START = "ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '('";
  it.each([
    ['', `col 1: expected ${START} but found end of rule`],
    ['ALARM(cpu', "col 10: expected ')' after alarm name but found end of rule"],
    ['ALARM(cpu high)', "col 11: expected ')' after alarm name but found 'high'"],
    ['ALARM()', "col 7: expected an alarm name but found ')'"],
    ['ALARM("cpu', 'col 7: unterminated quoted alarm name'],
    ['ALARM cpu', "col 7: expected '(' after ALARM but found 'cpu'"],
    ['ALARM(a) AND', `col 13: expected ${START} but found end of rule`],
    ['ALARM(a) ALARM(b)', "col 10: expected AND, OR or end of rule but found 'ALARM'"],
    ['(ALARM(a)', "col 10: expected ')' to close '(' at col 1 but found end of rule"],
    ['ALARM(a))', "col 9: expected AND, OR or end of rule but found ')'"],
    ['alarm(a)', `col 1: expected ${START} but found 'alarm' (keywords are upper case)`],
    ['ALARM(a) and ALARM(b)', "col 10: expected AND, OR or end of rule but found 'and'"],
    ['ALARM("")', 'col 7: the alarm name is empty'],
    ['ALARM("a\\q")', "col 9: invalid escape '\\q' in alarm name (only \\\" and \\\\)"],
    ['ALARM(a) & ALARM(b)', "col 10: expected AND, OR or end of rule but found '&'"],
    ['NOT', `col 4: expected ${START} but found end of rule`],
    ['STATE(a)', `col 1: expected ${START} but found 'STATE'`],
    [`${'('.repeat(101)}TRUE${')'.repeat(101)}`, 'col 101: the rule nests deeper than 100 levels'],
  ])('rejects %j with %s', (rule, message) => {
    // GIVEN a malformed rule WHEN parsed THEN an InputError gives the column and what was expected
    let error: unknown;
    try {
      parseAlarmRule(rule);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('SLW_ERR_ALARM_RULE_SYNTAX');
    expect((error as InputError).issues).toEqual([{ path: 'alarmRule', message }]);
    expect((error as InputError).message).toBe(`Invalid alarm rule: ${message}`);
  });

  it('never throws anything but a syntax InputError, whatever the input', () => {
    // GIVEN random strings, some made of rule tokens WHEN parsed THEN success or SLW_ERR_ALARM_RULE_SYNTAX only
    const token = fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA', 'TRUE', 'FALSE', 'AND', 'OR', 'NOT', '(', ')', '"', '\\', ' ', 'a', 'b c', '"x"');
    const input = fc.oneof(fc.string({ maxLength: 60 }), fc.array(token, { maxLength: 40 }).map((t) => t.join('')), fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(input, (rule) => {
        try {
          parseAlarmRule(rule);
        } catch (err) {
          return err instanceof InputError && err.code === 'SLW_ERR_ALARM_RULE_SYNTAX' && /^Invalid alarm rule: col \d+: /.test(err.message);
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('evaluateComposite', () => {
  const states = new Map<string, AlarmState>([
    ['cpu', 'ALARM'],
    ['disk', 'OK'],
    ['mem', 'ALARM'],
    ['net', 'INSUFFICIENT_DATA'],
  ]);
  it.each([
    ['ALARM(cpu)', true, ['cpu']],
    ['ALARM(cpu) AND ALARM(mem)', true, ['cpu', 'mem']],
    ['ALARM(cpu) AND ALARM(disk)', false, ['disk']],
    ['ALARM(disk) OR ALARM(mem)', true, ['mem']],
    ['ALARM(disk) OR OK(mem)', false, ['disk', 'mem']],
    ['ALARM(cpu) AND NOT ALARM(disk)', true, ['cpu', 'disk']],
    ['INSUFFICIENT_DATA(net) OR INSUFFICIENT_DATA(unknown)', true, ['net', 'unknown']],
    ['OK(disk) AND (ALARM(cpu) OR ALARM(mem))', true, ['disk', 'cpu', 'mem']],
    ['TRUE', true, []],
    ['FALSE OR ALARM(disk)', false, ['disk']],
  ] as const)('%s → %s, contributors %j', (rule, value, contributors) => {
    // GIVEN the states cpu=ALARM disk=OK mem=ALARM net=INSUFFICIENT_DATA (unknown alarms count as INSUFFICIENT_DATA)
    // WHEN the rule is evaluated
    const result = evaluateComposite(parseAlarmRule(rule), states);
    // THEN the value, the composite state and the deciding alarms are exact
    expect(result).toEqual({ value, state: value ? 'ALARM' : 'OK', contributors });
  });

  it('lists referenced alarms once, in order of appearance', () => {
    // GIVEN a rule that mentions cpu twice WHEN its references are listed THEN each name appears once
    expect(referencedAlarms(parseAlarmRule('ALARM(cpu) OR (OK(disk) AND NOT ALARM(cpu)) OR ALARM("a b")'))).toEqual(['cpu', 'disk', 'a b']);
  });
});

describe('findCompositeCycle', () => {
  it.each([
    [{ a: 'ALARM(b)', b: 'ALARM(c) OR ALARM(m1)', c: 'ALARM(a)' }, ['a', 'b', 'c', 'a']],
    [{ a: 'ALARM(a)' }, ['a', 'a']],
    [{ a: 'ALARM(b) AND ALARM(c)', b: 'ALARM(c)', c: 'ALARM(m1)' }, undefined],
    [{ x: 'ALARM(m1)', y: 'OK(z)', z: 'NOT ALARM(y)' }, ['y', 'z', 'y']],
    [{}, undefined],
  ])('%j → %j', (rules, want) => {
    // GIVEN composite rules (names not in the map are metric alarms) WHEN searched THEN the cycle is exact
    expect(findCompositeCycle(rules)).toEqual(want);
  });

  it('names the composite alarm whose rule does not parse', () => {
    // GIVEN a malformed rule WHEN searched THEN the error names the alarm and the column
    expect(() => findCompositeCycle({ a: 'ALARM(b)', b: 'ALARM(' })).toThrow(
      "Composite alarm \"b\": Invalid alarm rule: col 7: expected an alarm name but found end of rule",
    );
  });
});

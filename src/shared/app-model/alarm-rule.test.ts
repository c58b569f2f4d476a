import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.js';
import { findAlarmRuleCycle, referencedAlarms, type RuleNode } from './alarm-rule.js';
import { MAX_RULE_LENGTH, parseAlarmRule, tryParseAlarmRule } from './parse-alarm-rule.js';

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
    ['(INSUFFICIENT_DATA(x) OR TRUE) AND FALSE', 'and(or(I:x, TRUE), FALSE)'],
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

  it('builds the exact tree, with the column of each state function', () => {
    // GIVEN a rule with NOT, AND and a quoted name WHEN parsed THEN every node and column is as written
    expect(parseAlarmRule('ALARM(a) AND NOT OK("b c")')).toEqual({
      kind: 'and',
      left: { kind: 'state', state: 'ALARM', alarm: 'a', col: 1 },
      right: { kind: 'not', operand: { kind: 'state', state: 'OK', alarm: 'b c', col: 18 } },
    });
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
    ['ALARMS(a)', `col 1: expected ${START} but found 'ALARMS'`],
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

  it('rejects a rule longer than MAX_RULE_LENGTH before parsing it', () => {
    // GIVEN a rule one character over the limit WHEN parsed THEN the error points just past the limit
    const name = (length: number): string => 'x'.repeat(length - 'ALARM()'.length);
    expect(() => parseAlarmRule(`ALARM(${name(MAX_RULE_LENGTH + 1)})`)).toThrow(`Invalid alarm rule: col ${MAX_RULE_LENGTH + 1}: the rule is longer than ${MAX_RULE_LENGTH} characters`);
    // AND a rule exactly at the limit parses
    expect(parseAlarmRule(`ALARM(${name(MAX_RULE_LENGTH)})`)).toMatchObject({ kind: 'state', state: 'ALARM', alarm: name(MAX_RULE_LENGTH) });
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

describe('tryParseAlarmRule', () => {
  it('returns the tree of a valid rule', () => {
    // GIVEN a valid rule WHEN parsed without throwing THEN the tree is the one parseAlarmRule builds
    expect(tryParseAlarmRule('ALARM(a) OR OK(b)')).toEqual({ ok: true, rule: parseAlarmRule('ALARM(a) OR OK(b)') });
  });

  it('returns the column and what was expected instead of throwing', () => {
    // GIVEN a rule cut short WHEN parsed without throwing THEN the message is the syntax error's issue
    expect(tryParseAlarmRule('ALARM(a')).toEqual({ ok: false, message: "col 8: expected ')' after alarm name but found end of rule" });
  });
});

describe('referencedAlarms', () => {
  it.each([
    ['ALARM(cpu) OR (OK(disk) AND NOT ALARM(cpu)) OR ALARM("a b")', ['cpu', 'disk', 'a b']],
    ['ALARM(b) OR (OK(a) AND NOT ALARM(b))', ['b', 'a']],
    ['TRUE AND NOT FALSE', []],
  ])('%s → %j', (rule, want) => {
    // GIVEN a rule that may mention an alarm twice WHEN its references are listed THEN each appears once, in order of appearance
    expect(referencedAlarms(parseAlarmRule(rule))).toEqual(want);
  });
});

describe('findAlarmRuleCycle', () => {
  it.each([
    [{ b: 'ALARM(a)', a: 'ALARM(b)' }, ['a', 'b', 'a']],
    [{ a: 'ALARM(m1) AND ALARM(b)', b: 'OK(m1)' }, undefined],
  ])('%j → %j', (rules, want) => {
    // GIVEN parsed composite rules (names not in the map are metric alarms) WHEN searched
    // THEN the cycle starts at the first name in name order, whatever the map's order
    const parsed = Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, parseAlarmRule(rule)]));
    expect(findAlarmRuleCycle(parsed)).toEqual(want);
  });
});

import { describe, expect, it } from 'vitest';
import { alarmRuleReferences, parseAlarmRule } from './alarm-rule.js';

describe('parseAlarmRule', () => {
  it('parses states, NOT, AND and quoted names', () => {
    // GIVEN a CloudWatch composite rule WHEN parsed THEN the tree mirrors it
    expect(parseAlarmRule('ALARM(a) AND NOT OK("b c")')).toEqual({
      ok: true,
      rule: { kind: 'And', operands: [{ kind: 'State', state: 'ALARM', alarm: 'a' }, { kind: 'Not', operand: { kind: 'State', state: 'OK', alarm: 'b c' } }] },
    });
  });

  it('parses parentheses, OR and constants', () => {
    expect(parseAlarmRule('(INSUFFICIENT_DATA(x) OR TRUE) AND FALSE')).toEqual({
      ok: true,
      rule: {
        kind: 'And',
        operands: [{ kind: 'Or', operands: [{ kind: 'State', state: 'INSUFFICIENT_DATA', alarm: 'x' }, { kind: 'Constant', value: true }] }, { kind: 'Constant', value: false }],
      },
    });
  });

  it.each([
    ['', 'invalid rule: it is empty'],
    ['ALARM(a) AND', 'invalid rule: expected ALARM(name), OK(name), INSUFFICIENT_DATA(name), NOT, TRUE, FALSE or "(" at the end'],
    ['ALARM(a) AND OK(b) OR ALARM(c)', 'invalid rule: expected "AND" (use parentheses to mix AND and OR) at position 20, got "OR"'],
    ['ALARM(a', 'invalid rule: expected ")" at the end'],
    ['ALARMS(a)', 'invalid rule: expected ALARM(name), OK(name), INSUFFICIENT_DATA(name), NOT, TRUE, FALSE or "(" at position 1, got "ALARMS"'],
    ['ALARM(a) & OK(b)', 'invalid rule: unexpected "&" at position 10'],
    ['ALARM(a) ALARM(b)', 'invalid rule: expected AND, OR or the end at position 10, got "ALARM"'],
  ])('GIVEN %j WHEN parsed THEN it fails with %j', (text, message) => {
    expect(parseAlarmRule(text)).toEqual({ ok: false, message });
  });

  it('lists references once, in order', () => {
    const parsed = parseAlarmRule('ALARM(b) OR (OK(a) AND NOT ALARM(b))');
    expect(parsed.ok && alarmRuleReferences(parsed.rule)).toEqual(['b', 'a']);
  });
});

import { describe, expect, it } from 'vitest';
import { InputError, parseAlarmRule } from '../../../shared/index.js';
import type { AlarmState } from '../model.js';
import { evaluateComposite } from './evaluate-composite.js';
import { findCompositeCycle } from './find-composite-cycle.js';

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
    let error: unknown;
    try {
      findCompositeCycle({ a: 'ALARM(b)', b: 'ALARM(' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('SLW_ERR_ALARM_RULE_SYNTAX');
    expect((error as InputError).message).toBe('Composite alarm "b": Invalid alarm rule: col 7: expected an alarm name but found end of rule');
    expect((error as InputError).issues).toEqual([{ path: 'b.alarmRule', message: 'col 7: expected an alarm name but found end of rule' }]);
  });
});

import { aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import type { RuleNode } from '../../shared/index.js';

const STATE = {
  ALARM: cloudwatch.AlarmState.ALARM,
  OK: cloudwatch.AlarmState.OK,
  INSUFFICIENT_DATA: cloudwatch.AlarmState.INSUFFICIENT_DATA,
} as const;

/**
 * Translates a parsed model rule into CloudWatch's composite alarm rule: the same operators, each
 * alarm name replaced by the alarm's ARN (`ALARM("arn:aws:cloudwatch:…:alarm:shop-production-x")`).
 */
export function compositeAlarmRule(node: RuleNode, alarmOf: (name: string) => cloudwatch.IAlarm): cloudwatch.IAlarmRule {
  switch (node.kind) {
    case 'state':
      return cloudwatch.AlarmRule.fromAlarm(alarmOf(node.alarm), STATE[node.state]);
    case 'const':
      return cloudwatch.AlarmRule.fromBoolean(node.value);
    case 'not':
      return cloudwatch.AlarmRule.not(compositeAlarmRule(node.operand, alarmOf));
    case 'and':
      return cloudwatch.AlarmRule.allOf(compositeAlarmRule(node.left, alarmOf), compositeAlarmRule(node.right, alarmOf));
    case 'or':
      return cloudwatch.AlarmRule.anyOf(compositeAlarmRule(node.left, alarmOf), compositeAlarmRule(node.right, alarmOf));
  }
}

import type { Command } from 'commander';
import type { OnCallDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(':00.000Z', 'Z'));

/** `slipway oncall now [--at TIME] [--json]`: who is on call on each schedule (docs/oncall.md). */
export function oncallCommand(program: Command): void {
  const oncall = program.command('oncall').description('on-call: who is on call on each schedule');
  oncall
    .command('now', { isDefault: true })
    .description('who is on call on each schedule, now or at --at')
    .option('--at <time>', 'an ISO-8601 date-time (2026-03-09T08:30:00Z) or ms since the epoch')
    .option('--json', 'print JSON')
    .action(async (opts: { at?: string; json?: boolean }, cmd: Command) => {
      const answer = await ApiClient.from(cmd.optsWithGlobals<ClientOptions>()).get<OnCallDto>('/api/v1/oncall', { at: opts.at });
      if (opts.json) return printJson(answer);
      if (answer.schedules.length === 0) return println('no on-call schedules (add oncall.schedules to the app definition)');
      println(
        table(
          ['schedule', 'on call', 'since', 'until', 'by', 'time zone'],
          answer.schedules.map((s) => [s.schedule, s.user ?? 'nobody', time(s.sinceMs), time(s.untilMs), s.source === 'layer' ? `layer ${s.layer ?? '?'}` : s.source, s.timeZone]),
        ),
      );
      const policies = Object.entries(answer.policyBySeverity);
      if (policies.length > 0) println(`\npaging: ${policies.map(([sev, p]) => `${sev} → ${p}`).join(', ')}`);
    });
}

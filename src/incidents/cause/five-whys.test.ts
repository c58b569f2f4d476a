import { describe, expect, it } from 'vitest';
import { eventLog, MIN } from '../../../test/support/incident-events.js';
import type { ResolvedAlarm } from '../../shared/index.js';
import type { Incident } from '../model.js';
import { alarmLink } from './alarm-link.js';
import { collectChanges } from './change.js';
import { findLikelyCause } from './find-likely-cause.js';
import { fiveWhys } from './five-whys.js';
import { findPipelineRun } from './pipeline-link.js';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const SHA = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const incident: Incident = {
  id: 3, title: 'gateway-5xx in ALARM on gateway', severity: 'SEV2', state: 'Triggered', source: 'alarm', dedupKey: null, alarm: 'gateway-5xx', alarmState: 'ALARM', service: 'gateway', environment: null,
  deploymentId: null, assignee: null, triggerSeq: null, triggeredAtMs: T0 + 20 * MIN, acknowledgedAtMs: null, mitigatedAtMs: null, resolvedAtMs: null, postmortemAtMs: null, updatedAtMs: T0,
};
const def = { kind: 'Metric', name: 'gateway-5xx', description: undefined, runbook: undefined, notify: [], metric: 'HTTPCode_Target_5XX_Count', service: 'gateway', environment: undefined, stat: 'Sum', periodMs: 10_000, evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'missing', threshold: 5, comparison: 'GreaterThanThreshold' } as const satisfies ResolvedAlarm;

/** A pipeline run of SHA that passed build, test and staging, then a production canary of payments rolled back by the alarm. */
function history(o: { pipeline: boolean; subject: boolean }) {
  const log = eventLog(T0);
  if (o.pipeline) {
    log.at(0, 'pipeline.run.started', 'pipeline-run/2', { runId: 2, commitSha: SHA, branch: 'main', ...(o.subject ? { commitMessage: 'payments: charge through the new processor' } : {}) });
    for (const [stage, action] of [['Build', 'build'], ['Test', 'unit'], ['Test', 'secrets'], ['Staging', 'deploy'], ['Approve', 'approval']]) log.at(1, 'pipeline.action.succeeded', 'pipeline-run/2', { runId: 2, stage, action });
  }
  log.deploy(14, 'payments', 'production', { start: 10, shift: 12, to: SHA.slice(0, 12), rollback: { at: 20.1, alarms: ['gateway-5xx'], restored: 20.2 } });
  if (o.pipeline) log.at(21, 'pipeline.action.succeeded', 'pipeline-run/2', { runId: 2, stage: 'Later', action: 'after' });
  const trigger = log.at(20, 'alarm.state.changed', 'alarm/gateway-5xx', { alarm: 'gateway-5xx', oldState: 'OK', newState: 'ALARM', reason: 'Threshold Crossed: 2 out of the last 3 datapoints [9.0, 12.0] were greater than the threshold (5.0).' });
  const cause = findLikelyCause({ alarm: 'gateway-5xx', service: 'gateway', environment: null, rollbackEnvironments: ['production'], triggeredAtMs: incident.triggeredAtMs, namedByAlarm: null, namedByHand: null, windowMs: 30 * MIN, changes: collectChanges(log.events) }).cause;
  return { alarm: alarmLink('gateway-5xx', trigger, def), cause, pipeline: cause === undefined ? undefined : findPipelineRun(log.events, cause.change) };
}

describe('fiveWhys', () => {
  it('follows the chain: the alarm, the deployment it named, the commit, the pipeline run and its checks, a blank', () => {
    const whys = fiveWhys(incident, 'gateway', history({ pipeline: true, subject: true }));
    expect(whys).toEqual([
      '1. **Why did the incident happen?** Alarm `gateway-5xx` went to ALARM on gateway. It measures HTTPCode_Target_5XX_Count (Sum per 10s) of gateway > 5 in 2 of 3 periods. Its evaluation: Threshold Crossed: 2 out of the last 3 datapoints [9.0, 12.0] were greater than the threshold (5.0).',
      '2. **Why did that happen?** deployment 14 of payments in production (r1 → a1b2c3d4e5f6), Canary, was at step 2 of 4, traffic r1 75%, a1b2c3d4e5f6 25% when the alarm fired — alarm gateway-5xx rolled it back (its deployment.rollback.started names the alarm).',
      '3. **Why was that change made?** It deployed commit a1b2c3d4e5f6 "payments: charge through the new processor" on main. _…_',
      '4. **Why was it not caught before it reached users?** Pipeline run 2 built it: it passed Build › build, Test › unit, Test › secrets, Staging › deploy, Approve › approval before deploying; none of those checks caught the failure. _…_',
      '5. **Why did our process allow that?** _…_',
    ]);
  });

  it('says which link is missing: no subject recorded, no pipeline run, no cause, no alarm', () => {
    expect(fiveWhys(incident, 'gateway', history({ pipeline: true, subject: false }))[2]).toBe('3. **Why was that change made?** It deployed commit a1b2c3d4e5f6 (its subject was not recorded) on main. _…_');
    const byHand = fiveWhys(incident, 'gateway', history({ pipeline: false, subject: false }));
    expect(byHand[2]).toBe("3. **Why was that change made?** Revision a1b2c3d4e5f6 of payments matches no pipeline run's commit in the event log (deployed by hand?). _…_");
    expect(byHand[3]).toBe('4. **Why was it not caught before it reached users?** No pipeline run is linked to the change, so no checks are known to have run. _…_');
    const none = fiveWhys({ ...incident, alarm: null }, 'gateway', { alarm: undefined, cause: undefined, pipeline: undefined });
    expect(none[0]).toBe('1. **Why did the incident happen?** gateway misbehaved (gateway-5xx in ALARM on gateway). _…_');
    expect(none[1]).toBe('2. **Why did that happen?** No change in the event log is named as the cause (no deployment of the affected environment before the trigger). _…_');
    expect(none.slice(2)).toEqual(['3. **Why was that change made?** _…_', '4. **Why was it not caught before it reached users?** _…_', '5. **Why did our process allow that?** _…_']);
  });
});

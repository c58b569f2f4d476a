import { describe, expect, it } from 'vitest';
import { eventLog, MIN } from '../../../test/support/incident-events.js';
import type { Incident } from '../model.js';
import { collectChanges } from './change.js';
import type { LikelyCause } from './find-likely-cause.js';
import { impactWindow } from './impact-window.js';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const incident: Incident = {
  id: 3, title: 't', severity: 'SEV2', state: 'Triggered', source: 'alarm', dedupKey: null, alarm: 'gateway-5xx', alarmState: 'ALARM', service: 'gateway', environment: 'production',
  deploymentId: null, assignee: null, triggerSeq: null, triggeredAtMs: T0 + 20 * MIN, acknowledgedAtMs: null, mitigatedAtMs: null, resolvedAtMs: null, postmortemAtMs: null, updatedAtMs: T0,
};

function cause(o: { rollback: boolean }): LikelyCause {
  const log = eventLog(T0);
  log.deploy(14, 'payments', 'production', { start: 10, shift: 12, ...(o.rollback ? { rollback: { at: 20.1, alarms: ['gateway-5xx'], restored: 20.25 } } : { end: 15 }) });
  return { change: collectChanges(log.events)[0]!, rule: 'rolled-back-by-alarm', reason: 'r' };
}

describe('impactWindow', () => {
  // GIVEN a cause (or none) and the incident's milestones, WHEN the window is decided, THEN it runs from the change to the restore
  const cases: [string, LikelyCause | undefined, Partial<Incident>, [number, number, string, string]][] = [
    ['rolled back: from its start to traffic back on the old revision', cause({ rollback: true }), { mitigatedAtMs: T0 + 30 * MIN }, [10, 20.25, 'the start of deployment 14', 'traffic back on r1 (the rollback of deployment 14)']],
    ['not rolled back, mitigated: to the mitigation', cause({ rollback: false }), { mitigatedAtMs: T0 + 30 * MIN, resolvedAtMs: T0 + 40 * MIN }, [10, 30, 'the start of deployment 14', 'the mitigation']],
    ['not rolled back, resolved without mitigation: to the resolution', cause({ rollback: false }), { resolvedAtMs: T0 + 40 * MIN }, [10, 40, 'the start of deployment 14', 'the resolution']],
    ['still open: to now', cause({ rollback: false }), {}, [10, 50, 'the start of deployment 14', 'now']],
    ['no cause: from the trigger', undefined, {}, [20, 50, 'the trigger', 'now']],
  ];
  it.each(cases)('%s', (_name, c, patch, [start, end, from, until]) => {
    const w = impactWindow({ ...incident, ...patch }, c, T0 + 50 * MIN);
    expect(w).toEqual({ startMs: T0 + start * MIN, endMs: T0 + end * MIN, from, until });
  });
});

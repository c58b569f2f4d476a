import { describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../core/index.js';
import type { Incident } from './model.js';
import { likelyCauseDeploymentId, reconstructTimeline } from './timeline.js';

const T = 1_000_000_000;
const MIN = 60_000;
const incident: Incident = {
  id: 1, title: 't', severity: 'SEV2', state: 'Triggered', source: 'alarm', dedupKey: null, alarm: 'a', alarmState: 'ALARM', service: 'gateway', environment: 'production',
  deploymentId: null, assignee: null, triggerSeq: null, triggeredAtMs: T, acknowledgedAtMs: null, mitigatedAtMs: null, resolvedAtMs: null, postmortemAtMs: null, updatedAtMs: T,
};
const options = { lookbackMs: 30 * MIN, likelyCauseWindowMs: 15 * MIN };
let seq = 0;
const ev = (type: string, minutesBefore: number, data: Record<string, unknown> = {}, subject = 'x/1'): SlipwayEvent => ({ seq: ++seq, timeMs: T - minutesBefore * MIN, type, subject, data });
const gw = { service: 'gateway', environment: 'production', deploymentId: 5 };

describe('reconstructTimeline', () => {
  // GIVEN one event around a trigger, WHEN the timeline is built, THEN it is shown or not, and marked as a likely cause or not
  const cases: [string, SlipwayEvent, 'hidden' | 'shown' | string][] = [
    ['a deployment of the service 5 min before', ev('deployment.started', 5, gw, 'deployment/5'), 'deployment 5 of gateway (deployment.started) 5m before the trigger'],
    ['a deployment of another service', ev('deployment.started', 5, { ...gw, service: 'catalog' }, 'deployment/5'), 'shown'],
    ['a deployment of the service in staging', ev('deployment.started', 5, { ...gw, environment: 'staging' }, 'deployment/5'), 'shown'],
    ['a deployment of the service 20 min before (outside the cause window)', ev('deployment.succeeded', 20, gw, 'deployment/5'), 'shown'],
    ['a deployment 40 min before (outside the timeline)', ev('deployment.succeeded', 40, gw, 'deployment/5'), 'hidden'],
    ['a rollback deployment of the service', ev('deployment.started', 5, { ...gw, kind: 'Rollback' }, 'deployment/5'), 'shown'],
    ['a traffic shift of the service', ev('service.traffic.shifted', 2, { service: 'gateway', environment: 'production', to: { r2: 100 } }), 'a traffic change of gateway (service.traffic.shifted) 2m before the trigger'],
    ['a flag change without a service', ev('flag.updated', 3, { flag: 'newCheckout' }), 'flag newCheckout changed 3m before the trigger (flags reach every service)'],
    ['a flag change of another service', ev('flag.updated', 3, { flag: 'x', service: 'catalog' }), 'shown'],
    ['a task event of the service', ev('task.exited', 1, { service: 'gateway', environment: 'production', taskId: 't1' }), 'shown'],
    ['a task event of another service', ev('task.exited', 1, { service: 'catalog', environment: 'production' }), 'hidden'],
    ['a pipeline run', ev('pipeline.run.started', 10, { runId: 3 }), 'shown'],
    ['an unrelated event type', ev('custom.note', 1), 'hidden'],
    ['an event of another incident', ev('incident.opened', 1, {}, 'incident/2'), 'hidden'],
  ];
  it.each(cases)('%s', (_name, event, expected) => {
    const entries = reconstructTimeline([event], incident, options);
    if (expected === 'hidden') return expect(entries).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.likelyCauseReason ?? 'shown').toBe(expected);
  });

  it('marks the deployment the incident names even outside the cause window, and picks the latest deployment as the cause', () => {
    // GIVEN two deployments of the service, the incident naming the older one
    const older = ev('deployment.succeeded', 25, { ...gw, deploymentId: 4 }, 'deployment/4');
    const newer = ev('deployment.succeeded', 5, gw, 'deployment/5');
    // WHEN the timeline is built THEN both are likely causes, and the latest one is the inferred cause
    const entries = reconstructTimeline([older, newer], { ...incident, deploymentId: 4 }, options);
    expect(entries.map((e) => e.likelyCauseReason)).toEqual(['deployment 4 is the deployment the incident names', 'deployment 5 of gateway (deployment.succeeded) 5m before the trigger']);
    expect(likelyCauseDeploymentId(entries)).toBe(5);
  });
});

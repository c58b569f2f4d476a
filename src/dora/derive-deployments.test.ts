import { describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../core/index.js';
import { deriveDeployments } from './derive-deployments.js';
import { deriveIncidents } from './derive-incidents.js';

let seq = 0;
const ev = (type: string, timeMs: number, data: Record<string, unknown>, subject = 'deployment/1'): SlipwayEvent => ({ seq: ++seq, timeMs, type, subject, data });
// The fields the deployment recorder writes on every deployment event, and what each type adds.
const base = { deploymentId: 1, kind: 'Deploy', service: 'gateway', environment: 'production', fromRevision: 'aaaaaaa', toRevision: 'bbbbbbb', state: 'InProgress', stepIndex: 0, weights: {}, reason: null, strategy: 'AllAtOnce', plan: [], trigger: 'alarm', from: {}, to: {} };

describe('deriveDeployments', () => {
  // GIVEN a deployment's events, WHEN derived, THEN its outcome and times (or nothing)
  const cases: [string, SlipwayEvent[], object | undefined][] = [
    ['succeeded', [ev('deployment.created', 1, base), ev('deployment.started', 2, base), ev('deployment.succeeded', 9, base)], { id: '1', status: 'Succeeded', startedAtMs: 2, finishedAtMs: 9 }],
    ['rolled back', [ev('deployment.started', 2, base), ev('deployment.rolled_back', 5, { ...base, state: 'RolledBack' })], { status: 'RolledBack', finishedAtMs: 5 }],
    ['failed, no started event', [ev('deployment.created', 1, base), ev('deployment.failed', 3, base)], { status: 'Failed', startedAtMs: 1 }],
    ['stopped by a user (rolled_back, state Stopped)', [ev('deployment.started', 2, base), ev('deployment.rolled_back', 5, { ...base, state: 'Stopped' })], undefined],
    ['still running', [ev('deployment.started', 2, base), ev('deployment.traffic.shifted', 3, base)], undefined],
    ['a rollback deployment', [ev('deployment.started', 2, { ...base, kind: 'Rollback' }), ev('deployment.succeeded', 3, { ...base, kind: 'Rollback' })], undefined],
    ['commits listed by the event', [ev('deployment.succeeded', 3, { ...base, commits: [{ sha: 'c', committedAtMs: 1 }] })], { id: '1', commits: [{ sha: 'c', committedAtMs: 1 }] }],
    ["the first version's id field", [ev('deployment.succeeded', 3, { ...base, deploymentId: undefined, id: 7 }, 'deployment/7')], { id: '7', status: 'Succeeded' }],
    ['a payload the catalog cannot read', [ev('deployment.succeeded', 3, { ...base, toRevision: 42 })], undefined],
    ['first deployment', [ev('deployment.succeeded', 3, { ...base, fromRevision: null })], { fromRevision: null, commits: undefined }],
  ];
  it.each(cases)('%s', (_name, events, expected) => {
    const out = deriveDeployments(events);
    if (expected === undefined) return expect(out).toEqual([]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject(expected);
  });
});

describe('deriveIncidents', () => {
  // The fields the incident service writes on every incident event.
  const incident = { title: 'gateway errors', severity: 'SEV2', state: 'Triggered', source: 'alarm', alarm: 'gateway-5xx', service: 'gateway', environment: 'production', deploymentId: null, assignee: null, resolvedAtMs: null, by: 'slipway', reason: 'alarm' };
  it('keeps incidents of the measured environment (or none), with their resolution', () => {
    // GIVEN incidents in production, staging and nowhere, one resolved
    const events = [
      ev('incident.opened', 10, { ...incident, incidentId: 1, deploymentId: 4, triggeredAtMs: 10 }, 'incident/1'),
      ev('incident.opened', 11, { ...incident, incidentId: 2, environment: 'staging', triggeredAtMs: 11 }, 'incident/2'),
      ev('incident.opened', 12, { ...incident, incidentId: 3, service: null, environment: null, triggeredAtMs: 12 }, 'incident/3'),
      ev('incident.resolved', 20, { ...incident, incidentId: 1, state: 'Resolved', deploymentId: 4, triggeredAtMs: 10, resolvedAtMs: 20, by: 'oncall' }, 'incident/1'),
    ];
    // WHEN derived for production THEN 1 (resolved, caused by deployment 4) and 3
    expect(deriveIncidents(events, 'production')).toEqual([
      { id: '1', service: 'gateway', deploymentId: '4', triggeredAtMs: 10, resolvedAtMs: 20 },
      { id: '3', triggeredAtMs: 12 },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { eventLog, MIN } from '../../../test/support/incident-events.js';
import { collectChanges } from './change.js';
import { findLikelyCause, type CauseFacts } from './find-likely-cause.js';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const TRIGGER = T0 + 20 * MIN;

/** The demo's shape: the commit went through staging (minutes 0–2), then production's canaries (10 on). */
function demoLog() {
  const log = eventLog(T0);
  for (const [n, svc] of ['gateway', 'catalog', 'orders', 'payments'].entries()) log.deploy(1 + n, svc, 'staging', { start: 0, shift: 0.2, end: 1 + n * 0.1 });
  for (const [n, svc] of ['gateway', 'catalog', 'orders', 'payments'].entries()) {
    log.deploy(11 + n, svc, 'production', { start: 10 + n * 0.01, shift: 12, rollback: { at: 20.1, alarms: ['gateway-5xx'], restored: 20.2 } });
  }
  return log;
}

function facts(changes: CauseFacts['changes'], extra: Partial<CauseFacts> = {}): CauseFacts {
  return { alarm: 'gateway-5xx', service: 'gateway', environment: null, rollbackEnvironments: ['production'], triggeredAtMs: TRIGGER, namedByAlarm: null, namedByHand: null, windowMs: 30 * MIN, changes, ...extra };
}

describe('findLikelyCause', () => {
  it('names the deployment whose rollback the alarm started, not a staging one', () => {
    // GIVEN staging deployments of payments and one production payments canary rolled back by gateway-5xx
    const log = eventLog(T0);
    log.deploy(1, 'payments', 'staging', { start: 0, shift: 0.5, end: 1 });
    log.deploy(2, 'gateway', 'staging', { start: 0, shift: 0.5, end: 1 });
    log.deploy(7, 'payments', 'production', { start: 10, shift: 12, rollback: { at: 20.1, alarms: ['gateway-5xx'], restored: 20.2 } });
    // WHEN the cause is decided
    const v = findLikelyCause(facts(collectChanges(log.events)));
    // THEN it is production's payments deployment, by the rollback fact; the staging ones are only "also changed"
    expect(v.cause).toMatchObject({ rule: 'rolled-back-by-alarm', change: { deploymentId: 7, service: 'payments', environment: 'production' } });
    expect(v.cause!.reason).toBe('alarm gateway-5xx rolled it back (its deployment.rollback.started names the alarm)');
    expect(v.environment).toBe('production');
    expect(v.alsoChanged.map((a) => [(a.change as { deploymentId?: number }).deploymentId, a.sameEnvironment])).toEqual([[1, false], [2, false]]);
  });

  it('ignores a rollback started by another alarm', () => {
    // GIVEN payments rolled back by a p99 alarm, and gateway deploying in production when gateway-5xx fires
    const log = eventLog(T0);
    log.deploy(7, 'payments', 'production', { start: 10, shift: 12, rollback: { at: 20.1, alarms: ['gateway-p99'], restored: 20.2 } });
    log.deploy(8, 'gateway', 'production', { start: 15 });
    // WHEN decided THEN gateway's in-flight deployment is the cause
    const v = findLikelyCause(facts(collectChanges(log.events)));
    expect(v.cause).toMatchObject({ rule: 'in-flight', change: { deploymentId: 8 } });
  });

  it('ignores a rollback the same alarm started for an earlier incident', () => {
    // GIVEN payments rolled back by gateway-5xx two hours ago, and gateway deploying now
    const log = eventLog(T0);
    log.deploy(3, 'payments', 'production', { start: -120, shift: -119, rollback: { at: -110, alarms: ['gateway-5xx'], restored: -109.9 } });
    log.deploy(8, 'gateway', 'production', { start: 15 });
    // WHEN decided THEN the old rollback names nothing: gateway's in-flight deployment is the cause
    expect(findLikelyCause(facts(collectChanges(log.events))).cause).toMatchObject({ rule: 'in-flight', change: { deploymentId: 8 } });
  });

  it('tells several rolled-back deployments apart by how much worse their new revision answered', () => {
    // GIVEN all four production canaries rolled back by the alarm, and telemetry: payments' new revision fails, gateway's is as bad as its old one
    const changes = collectChanges(demoLog().events);
    const errorRates = new Map([
      [11, { newRate: 0.2, oldRate: 0.2 }],
      [12, { newRate: 0, oldRate: 0 }],
      [14, { newRate: 1, oldRate: 0 }],
    ]);
    // WHEN decided THEN payments' production deployment, with the numbers in the reason
    const v = findLikelyCause(facts(changes, { namedByAlarm: 11, errorRates }));
    expect(v.cause).toMatchObject({ rule: 'rolled-back-by-alarm', change: { deploymentId: 14, service: 'payments', environment: 'production' } });
    expect(v.cause!.reason).toBe('alarm gateway-5xx rolled back 4 deployments (11, 12, 13, 14); the new revision r2 of payments answered 100.0% of its requests with 5xx against 0.0% for r1');
    // AND the others are also changed: production first, closest to the trigger first, then staging (started together: by id)
    expect(v.alsoChanged.map((a) => (a.change as { deploymentId?: number }).deploymentId)).toEqual([13, 12, 11, 1, 2, 3, 4]);
    expect(v.alsoChanged.map((a) => a.sameEnvironment)).toEqual([true, true, true, false, false, false, false]);
  });

  it('without telemetry, breaks the tie by what the alarm named, then by the alarm’s service', () => {
    const changes = collectChanges(demoLog().events);
    // GIVEN the alarm's evaluation named catalog's deployment THEN that one
    expect(findLikelyCause(facts(changes, { namedByAlarm: 12 })).cause).toMatchObject({ change: { deploymentId: 12 }, reason: expect.stringContaining('its evaluation named deployment 12') });
    // GIVEN it named none THEN the one of the service it watches
    expect(findLikelyCause(facts(changes)).cause).toMatchObject({ change: { deploymentId: 11 }, reason: expect.stringContaining('is of gateway, the service it watches') });
  });

  // GIVEN no rollback names the alarm, WHEN decided, THEN the next rule names the cause
  const cases: [string, (log: ReturnType<typeof eventLog>) => void, Partial<CauseFacts>, { rule: string; id: number } | undefined][] = [
    ['the alarm event named a deployment', (l) => (l.deploy(5, 'gateway', 'production', { start: 10, end: 12 }), l.deploy(6, 'catalog', 'production', { start: 15 })), { namedByAlarm: 5 }, { rule: 'named-by-alarm', id: 5 }],
    ['a person named one opening it by hand', (l) => l.deploy(5, 'orders', 'production', { start: 10, end: 12 }), { alarm: null, service: null, namedByHand: 5 }, { rule: 'named-by-hand', id: 5 }],
    ['the watched service was deploying in the watched environment', (l) => (l.deploy(5, 'gateway', 'production', { start: 15 }), l.deploy(6, 'gateway', 'staging', { start: 18 })), {}, { rule: 'in-flight', id: 5 }],
    ['its latest deployment there ended before the alarm', (l) => (l.deploy(5, 'gateway', 'production', { start: 5, end: 8 }), l.deploy(6, 'gateway', 'staging', { start: 18, end: 19 })), {}, { rule: 'latest-of-service', id: 5 }],
    ['only another service deployed in the watched environment (the fallback)', (l) => (l.deploy(5, 'catalog', 'production', { start: 5, end: 8 }), l.deploy(6, 'gateway', 'staging', { start: 18, end: 19 })), {}, { rule: 'latest-in-environment', id: 5 }],
    ['the alarm names its environment', (l) => (l.deploy(5, 'gateway', 'production', { start: 5, end: 8 }), l.deploy(6, 'gateway', 'staging', { start: 18, end: 19 })), { environment: 'staging', rollbackEnvironments: [] }, { rule: 'latest-of-service', id: 6 }],
    ['nothing deployed in the watched environment', (l) => l.deploy(6, 'gateway', 'staging', { start: 18, end: 19 }), {}, undefined],
    ['the only deployment there is older than the window', (l) => l.deploy(5, 'catalog', 'production', { start: -20, end: -19 }), {}, undefined],
    ['a deployment that started after the alarm', (l) => l.deploy(5, 'gateway', 'production', { start: 21 }), {}, undefined],
    ['a rollback deployment is not a change', (l) => l.deploy(5, 'gateway', 'production', { start: 15, kind: 'Rollback' }), {}, undefined],
  ];
  it.each(cases)('%s', (_name, write, extra, expected) => {
    const log = eventLog(T0);
    write(log);
    const v = findLikelyCause(facts(collectChanges(log.events), extra));
    expect(v.cause === undefined ? undefined : { rule: v.cause.rule, id: (v.cause.change as { deploymentId?: number }).deploymentId }).toEqual(expected);
  });

  it('says when the cause is only a guess by proximity', () => {
    const log = eventLog(T0);
    log.deploy(5, 'catalog', 'production', { start: 5, end: 8 });
    expect(findLikelyCause(facts(collectChanges(log.events))).cause!.reason).toBe(
      'no event names the change behind alarm gateway-5xx; deployment 5 of catalog is only the most recent in production before the trigger (15m)',
    );
  });
});

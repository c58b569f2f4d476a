import { describe, expect, it } from 'vitest';
import { eventLog, MIN } from '../../../test/support/incident-events.js';
import { collectChanges, describeChange } from './change.js';
import { findLikelyCause, type CauseFacts } from './find-likely-cause.js';
import { fiveWhys } from './five-whys.js';
import { impactWindow } from './impact-window.js';
import type { Incident } from '../model.js';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const TRIGGER = T0 + 20 * MIN;

function facts(changes: CauseFacts['changes'], extra: Partial<CauseFacts> = {}): CauseFacts {
  return { alarm: 'gateway-5xx', service: 'gateway', environment: null, rollbackEnvironments: ['production'], triggeredAtMs: TRIGGER, namedByAlarm: null, namedByHand: null, windowMs: 30 * MIN, changes, ...extra };
}

describe('flag changes as likely causes', () => {
  it('names the flag rollout the alarm reverted, as a deployment rolled back by it is named', () => {
    // GIVEN a gateway deployment that succeeded earlier and a flag rollout reverted by gateway-5xx at the trigger
    const log = eventLog(T0);
    log.deploy(4, 'gateway', 'production', { start: 2, shift: 3, end: 4 });
    log.flagRollout(9, 'newCheckout', 'production', { start: 15, step: 18, revert: { at: 20, alarms: ['gateway-5xx'] } });
    // WHEN the cause is decided
    const v = findLikelyCause(facts(collectChanges(log.events)));
    // THEN the rollout is the cause by the revert fact, named with its flag; the deployment is only "also changed"
    expect(v.cause).toMatchObject({ rule: 'rolled-back-by-alarm', change: { kind: 'flag', ref: 'flag-rollout/9', rolloutId: 9, key: 'newCheckout', environment: 'production', strategy: 'Canary', rolledBackBy: ['gateway-5xx'] } });
    expect(v.cause!.reason).toBe('alarm gateway-5xx reverted it (its flag.rollout.rolled_back names the alarm)');
    expect(describeChange(v.cause!.change)).toBe('flag rollout 9 of flag newCheckout in production (version 3 → a new definition, by ana)');
    expect(v.alsoChanged.map((a) => a.change.ref)).toEqual(['deployment/4']);
    // AND the second why says where the rollout stood when the alarm fired, and that no commit made it
    const whys = fiveWhys({ triggeredAtMs: TRIGGER, title: 'checkout errors' } as unknown as Incident, 'gateway in production', { alarm: undefined, cause: v.cause, pipeline: undefined });
    expect(whys[1]).toBe('2. **Why did that happen?** flag rollout 9 of flag newCheckout in production (version 3 → a new definition, by ana), Canary, was at step 2 of 3, the new definition served to 25% of contexts when the alarm fired — alarm gateway-5xx reverted it (its flag.rollout.rolled_back names the alarm).');
    expect(whys[2]).toContain('Flag newCheckout was changed by ana through the API or the CLI, not by a commit.');
    // AND its impact ends when the flag was back on its version
    const incident = { triggeredAtMs: TRIGGER, mitigatedAtMs: null, resolvedAtMs: null } as unknown as Incident;
    expect(impactWindow(incident, v.cause, TRIGGER + 60 * MIN)).toMatchObject({ startMs: T0 + 15 * MIN, endMs: TRIGGER, from: 'the start of flag rollout 9', until: 'flag newCheckout back on version 3 (the revert of flag rollout 9)' });
  });

  it('names a flag rollout under way in the environment over an older deployment of the service', () => {
    const log = eventLog(T0);
    log.deploy(4, 'gateway', 'production', { start: 2, shift: 3, end: 4 });
    log.flagRollout(9, 'newCheckout', 'production', { start: 15, step: 18 });
    const v = findLikelyCause(facts(collectChanges(log.events)));
    expect(v.cause).toMatchObject({ rule: 'in-flight', change: { ref: 'flag-rollout/9' } });
    expect(v.cause!.reason).toBe('flag rollout 9 of flag newCheckout in production was under way when alarm gateway-5xx fired');
  });

  it('counts a flag change applied at once as a change (the latest in the environment), but not seeding nor the version a rollout wrote', () => {
    const log = eventLog(T0);
    log.flagChange('banner', 'production', 12);
    log.flagRollout(9, 'newCheckout', 'production', { start: 5, end: 8 });
    log.at(9, 'flag.changed', 'flag/production/newCheckout', { environment: 'production', key: 'newCheckout', version: 4, previousVersion: 3, change: 'Updated', enabled: true, actor: 'ana', rolloutId: 9, definition: { defaultValue: true, variants: null, rules: [] } });
    log.at(1, 'flag.changed', 'flag/production/other', { environment: 'production', key: 'other', version: 1, previousVersion: null, change: 'Seeded', enabled: true, actor: 'app-model', definition: { defaultValue: true, variants: null, rules: [] } });
    const changes = collectChanges(log.events);
    expect(changes.map((c) => c.ref)).toEqual(['flag-rollout/9', 'flag/production/banner@2']);
    const v = findLikelyCause(facts(changes, { service: null }));
    expect(v.cause).toMatchObject({ rule: 'latest-in-environment', change: { ref: 'flag/production/banner@2', key: 'banner', fromVersion: 1, toVersion: 2, actor: 'bo' } });
    expect(describeChange(v.cause!.change)).toBe('a change of flag banner in production (version 1 → version 2, by bo)');
  });
});

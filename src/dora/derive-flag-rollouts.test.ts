import { describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase } from '../core/index.js';
import type { SlipwayEvent } from '../core/index.js';
import { deriveFlagRollouts } from './derive-flag-rollouts.js';
import { DoraService } from './service.js';

let seq = 0;
const base = { environment: 'production', key: 'newCheckout', stepIndex: 0, percent: 5, fromVersion: 3, actor: 'ana', reason: null };
const started = (id: number, t: number): SlipwayEvent => ({ seq: ++seq, timeMs: t, type: 'flag.rollout.started', subject: `flag-rollout/${id}`, data: { ...base, rolloutId: id, state: 'InProgress', strategy: 'Canary', plan: [], watchedAlarms: [], definition: { defaultValue: true, variants: null, rules: [] } } });
const succeeded = (id: number, t: number): SlipwayEvent => ({ seq: ++seq, timeMs: t, type: 'flag.rollout.succeeded', subject: `flag-rollout/${id}`, data: { ...base, rolloutId: id, state: 'Succeeded', percent: 100, version: 4, durationMs: t } });
const reverted = (id: number, t: number, state: 'RolledBack' | 'Stopped'): SlipwayEvent => ({
  seq: ++seq, timeMs: t, type: 'flag.rollout.rolled_back', subject: `flag-rollout/${id}`,
  data: { ...base, rolloutId: id, state, percent: 0, trigger: state === 'Stopped' ? 'abort' : 'alarm', revertMs: 0.3, revertedAtMs: t, reachedPercent: 25 },
});

describe('deriveFlagRollouts', () => {
  it('counts a succeeded rollout and an alarm-reverted one (a failed change), not an aborted one nor one in flight', () => {
    // GIVEN four rollouts WHEN derived THEN two deployments, with no commits (no lead time)
    const out = deriveFlagRollouts([started(1, 10), succeeded(1, 20), started(2, 30), reverted(2, 35, 'RolledBack'), started(3, 40), reverted(3, 41, 'Stopped'), started(4, 50)]);
    expect(out).toEqual([
      { id: 'flag-rollout/1', service: 'flag:newCheckout', environment: 'production', status: 'Succeeded', startedAtMs: 10, finishedAtMs: 20, fromRevision: 'v3', toRevision: 'v4', commits: [] },
      { id: 'flag-rollout/2', service: 'flag:newCheckout', environment: 'production', status: 'RolledBack', startedAtMs: 30, finishedAtMs: 35, fromRevision: 'v3', toRevision: 'new definition', commits: [] },
    ]);
  });

  it('makes DORA count flag rollouts as deployments: frequency and change failure rate, without lead time', async () => {
    // GIVEN a log with one succeeded and one reverted flag rollout in production
    const clock = new ManualClock(Date.UTC(2026, 2, 10));
    const db = openDatabase(':memory:', { migrations: eventMigrations });
    const events = new EventLog(db, { clock });
    for (const e of [started(11, 0), succeeded(11, 0), started(12, 0), reverted(12, 0, 'RolledBack')]) {
      clock.advance(1000);
      events.append({ type: e.type as 'flag.rollout.started', subject: e.subject, data: e.data as never });
    }
    clock.advance(1000);
    // WHEN the report is asked THEN both count; the reverted one is the failed change
    const dora = new DoraService({ events, repoDir: undefined, clock, environment: 'production', thresholdsYear: undefined });
    const report = await dora.report({ window: '7d' });
    const w = report.windows[0]!;
    expect(w.overall.changeFailureRate).toMatchObject({ ratio: 0.5, deploymentIds: ['flag-rollout/11', 'flag-rollout/12'], failedDeploymentIds: ['flag-rollout/12'] });
    expect(w.overall.deploymentFrequency.deploymentIds).toEqual(['flag-rollout/11']);
    expect(w.overall.leadTime).toMatchObject({ samples: [] });
    expect(Object.keys(w.services)).toEqual(['flag:newCheckout']);
    expect(report.warnings).toEqual([]);
    db.close();
  });
});

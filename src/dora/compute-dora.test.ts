import { describe, expect, it } from 'vitest';
import { InputError } from '../shared/index.js';
import { computeDora } from './compute-dora.js';
import type { DoraDeployment, DoraIncident } from './model.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5); // Monday 5 January 2026, 00:00 UTC
const at = (day: number, hours: number) => T0 + day * DAY + hours * HOUR;
const window = { startMs: T0, endMs: T0 + 14 * DAY };

/** A deployment started at 10:00 on `day`, finished `minutes` later. */
function deploy(id: string, day: number, status: DoraDeployment['status'], commits: [string, number, number][], minutes = 30, extra: Partial<DoraDeployment> = {}): DoraDeployment {
  return {
    id,
    service: 'gateway',
    environment: 'production',
    status,
    startedAtMs: at(day, 10),
    finishedAtMs: at(day, 10) + minutes * MIN,
    commits: commits.map(([sha, d, h]) => ({ sha, committedAtMs: at(d, h) })),
    ...extra,
  };
}

// GIVEN a scripted fortnight: 10 production deployments (8 succeeded, 2 rolled back), one of the
// successful ones caused incident i1 (2 h), and i2 is still open. Each deployment finishes at 10:30
// unless stated. Lead times (h): d1 2 and 1, d2 12, d4 25.5 and 0.5, d5 24, d6 4, d8 26, d9 8 and 168, d10 1.
const deployments: DoraDeployment[] = [
  deploy('d0', -1, 'Succeeded', [['c0', -1, 9]]), // before the window
  deploy('d1', 0, 'Succeeded', [['c1', 0, 8.5], ['c2', 0, 9.5]]),
  deploy('s1', 0, 'Succeeded', [['c1', 0, 8.5]], 30, { environment: 'staging' }), // not production
  deploy('d2', 1, 'Succeeded', [['c3', 0, 22.5]]),
  deploy('d3', 2, 'RolledBack', [['c4', 2, 9]], 45), // restored after 45 min
  deploy('d4', 3, 'Succeeded', [['c4', 2, 9], ['c5', 3, 10]]),
  deploy('d5', 5, 'Succeeded', [['c6', 4, 10.5]]),
  deploy('d6', 6, 'Succeeded', [['c7', 6, 6.5]], 30, { incidentIds: ['i1'] }),
  deploy('d7', 8, 'RolledBack', [['c8', 8, 8.5]], 90), // restored after 90 min
  deploy('d8', 9, 'Succeeded', [['c8', 8, 8.5]]),
  deploy('d9', 11, 'Succeeded', [['c9', 11, 2.5], ['c10', 4, 10.5]]),
  deploy('d10', 13, 'Succeeded', [['c11', 13, 9.5]]),
];
const incidents: DoraIncident[] = [
  { id: 'i1', service: 'gateway', triggeredAtMs: at(6, 12), resolvedAtMs: at(6, 14), deploymentId: 'd6' },
  { id: 'i2', service: 'gateway', triggeredAtMs: at(12, 9) },
  { id: 'i3', service: 'billing', triggeredAtMs: at(7, 9), resolvedAtMs: at(7, 10) }, // another service
];

describe('computeDora — a scripted fortnight', () => {
  const report = computeDora({ deployments, incidents, window, service: 'gateway' });

  it('counts successful production deployments per day and per week', () => {
    // WHEN computed THEN 8 successes over 14 days: 8/14 a day, 4 a week, High (at least weekly, not daily)
    expect(report.deploymentFrequency).toEqual({
      perDay: 8 / 14,
      perWeek: 4,
      band: 'High',
      deploymentIds: ['d1', 'd2', 'd4', 'd5', 'd6', 'd8', 'd9', 'd10'],
    });
  });

  it('measures lead time per commit: nearest-rank median 8 h, p90 26 h', () => {
    // WHEN computed THEN the 11 lead times sorted are 0.5 1 1 2 4 8 12 24 25.5 26 168 h:
    // median = rank ⌈5.5⌉ = 6th = 8 h (Elite, under a day), p90 = rank ⌈9.9⌉ = 10th = 26 h
    expect([report.leadTime.medianMs, report.leadTime.p90Ms, report.leadTime.band]).toEqual([8 * HOUR, 26 * HOUR, 'Elite']);
    expect(report.leadTime.samples.map((s) => [s.sha, s.deploymentId, s.leadTimeMs / HOUR])).toEqual([
      ['c1', 'd1', 2], ['c2', 'd1', 1], ['c3', 'd2', 12], ['c4', 'd4', 25.5], ['c5', 'd4', 0.5], ['c6', 'd5', 24],
      ['c7', 'd6', 4], ['c8', 'd8', 26], ['c9', 'd9', 8], ['c10', 'd9', 168], ['c11', 'd10', 1],
    ]);
  });

  it('counts rolled-back and incident-linked deployments as failed changes: 3 of 10', () => {
    // WHEN computed THEN d3 and d7 (rolled back) and d6 (caused i1) fail: 30%, nearest to 2024's High (20%)
    expect(report.changeFailureRate).toEqual({
      ratio: 0.3,
      band: 'High',
      deploymentIds: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10'],
      failedDeploymentIds: ['d3', 'd6', 'd7'],
    });
  });

  it('measures time to restore from the incident and the rollbacks, listing the open incident apart', () => {
    // WHEN computed THEN the samples are d3 45 min, i1 2 h, d7 90 min; median (rank 2 of 3) = 90 min, High
    expect(report.timeToRestore.samples.map((s) => [s.kind, s.id, s.durationMs / MIN])).toEqual([
      ['deployment', 'd3', 45],
      ['incident', 'i1', 120],
      ['deployment', 'd7', 90],
    ]);
    expect([report.timeToRestore.medianMs, report.timeToRestore.band]).toEqual([90 * MIN, 'High']);
    expect([report.timeToRestore.openIncidentIds, report.timeToRestore.openDeploymentIds]).toEqual([['i2'], []]);
  });

  it.each([
    ['2024', ['High', 'Elite', 'High', 'High']],
    ['2023', ['High', 'Elite', 'Medium', 'High']],
    ['2021', ['High', 'High', 'High', 'High']],
  ])('bands the same figures with the %s report', (year, bands) => {
    // GIVEN the same history WHEN banded with another report's levels THEN the bands follow that table
    const r = computeDora({ deployments, incidents, window, service: 'gateway', thresholdsYear: year });
    expect([r.deploymentFrequency.band, r.leadTime.band, r.changeFailureRate.band, r.timeToRestore.band]).toEqual(bands);
  });
});

describe('computeDora — edge cases', () => {
  it('reports null figures and no bands for a window without deployments or incidents', () => {
    // GIVEN history that lies entirely outside the window
    const report = computeDora({ deployments, incidents, window: { startMs: at(30, 0), endMs: at(37, 0) } });
    // THEN every figure is null (not zero) and no band is given
    expect(report).toEqual({
      window: { startMs: at(30, 0), endMs: at(37, 0) },
      environment: 'production',
      thresholdsYear: '2024',
      deploymentFrequency: { perDay: null, perWeek: null, deploymentIds: [] },
      leadTime: { medianMs: null, p90Ms: null, samples: [] },
      changeFailureRate: { ratio: null, deploymentIds: [], failedDeploymentIds: [] },
      timeToRestore: { medianMs: null, samples: [], openIncidentIds: [], openDeploymentIds: [] },
    });
  });

  it('handles one successful deployment', () => {
    // GIVEN one deployment in a 7-day window shipping one commit made 3 h before it finished
    const one = [deploy('d1', 0, 'Succeeded', [['c1', 0, 7.5]])];
    const report = computeDora({ deployments: one, incidents: [], window: { startMs: T0, endMs: T0 + 7 * DAY } });
    // THEN frequency is 1/7 a day (High), lead time 3 h both ways, CFR 0 (Elite), no restore figure
    expect([report.deploymentFrequency.perDay, report.deploymentFrequency.perWeek, report.deploymentFrequency.band]).toEqual([1 / 7, 1, 'High']);
    expect([report.leadTime.medianMs, report.leadTime.p90Ms]).toEqual([3 * HOUR, 3 * HOUR]);
    expect([report.changeFailureRate.ratio, report.changeFailureRate.band]).toEqual([0, 'Elite']);
    expect([report.timeToRestore.medianMs, report.timeToRestore.band]).toEqual([null, undefined]);
  });

  it('restores a failed deployment with the next success and lists an unrestored one as open', () => {
    // GIVEN billing failed on day 1 and recovered with a success on day 2; gateway failed on day 3 and has not recovered
    const history = [
      { ...deploy('b1', 1, 'Failed', []), service: 'billing' },
      { ...deploy('b2', 2, 'Succeeded', []), service: 'billing' },
      deploy('g1', 3, 'Failed', []),
    ];
    const report = computeDora({ deployments: history, incidents: [], window });
    // THEN b1's restore is 10:00 day 1 → 10:30 day 2 and g1 is open; both failed changes count
    expect(report.timeToRestore.samples.map((s) => [s.id, s.durationMs / HOUR])).toEqual([['b1', 24.5]]);
    expect(report.timeToRestore.openDeploymentIds).toEqual(['g1']);
    expect(report.changeFailureRate.failedDeploymentIds).toEqual(['b1', 'g1']);
  });

  it.each<[{ startMs: number; endMs: number }, string, string | undefined]>([
    [{ startMs: T0, endMs: T0 }, 'window.endMs', undefined],
    [window, 'thresholdsYear', '1999'],
  ])('rejects an invalid request (%j)', (w, path, year) => {
    // GIVEN an empty window or an unknown report year WHEN computed THEN an InputError names the field
    let error: unknown;
    try {
      computeDora({ deployments: [], incidents: [], window: w, ...(year === undefined ? {} : { thresholdsYear: year }) });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0]?.path).toBe(path);
  });
});

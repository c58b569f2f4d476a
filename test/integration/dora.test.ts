import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { createDora, type Dora } from '../../src/dora/index.js';
import { createIncidents, incidentMigrations, type Incidents } from '../../src/incidents/index.js';
import { buildServer } from '../../src/server/index.js';
import type { DoraResponseDto, EventPayloads } from '../../src/shared/index.js';
import { auth, TEST_TOKEN } from '../support/server.js';
import { tempDir } from '../support/temp-dir.js';
import { deploymentPayload } from '../support/event-payloads.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const at = (day: number, hour = 0, minute = 0) => Date.UTC(2026, 2, day, hour, minute);
/** The end of every window measured: 1 April 2026, 00:00 UTC. */
const END = Date.UTC(2026, 3, 1);

/** A git repository with empty commits at chosen times; returns their shas by name. */
function gitRepo(dir: string, commits: [string, number][]): Record<string, string> {
  const git = (args: string[], env: Record<string, string> = {}) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.email', 'dev@example.com']);
  git(['config', 'user.name', 'Dev']);
  git(['config', 'commit.gpgsign', 'false']);
  const shas: Record<string, string> = {};
  for (const [name, ms] of commits) {
    const date = `@${ms / 1000} +0000`;
    git(['commit', '-q', '--allow-empty', '-m', name], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    shas[name] = git(['rev-parse', 'HEAD']);
  }
  return shas;
}

describe('DORA from the event log and git', () => {
  let tmp: { path: string; cleanup: () => void };
  let db: Db;
  let events: EventLog;
  let clock: ManualClock;
  let dora: Dora;
  let incidents: Incidents;
  let c: Record<string, string>;

  beforeAll(() => {
    tmp = tempDir();
    // GIVEN commits at chosen times
    c = gitRepo(tmp.path, [
      ['c0', at(1)],
      ['c1', at(10, 8)],
      ['c2', at(10, 10)],
      ['c3', at(20)],
      ['c4', at(25)],
      ['c5', at(28, 12)],
    ]);
    db = openDatabase(':memory:', { migrations: [...eventMigrations, ...incidentMigrations] });
    clock = new ManualClock(at(1));
    events = new EventLog(db, { clock });
    incidents = createIncidents({ db, events, clock });
    dora = createDora({ events, repoDir: tmp.path, clock });

    let seq = 0;
    const deployment = (opts: { service?: string; environment?: string; from: string | null; to: string; start: number; end: number; outcome: string; extra?: Partial<EventPayloads['deployment.succeeded']>; endExtra?: Partial<EventPayloads['deployment.succeeded']> }) => {
      const id = ++seq;
      const data = { deploymentId: id, service: opts.service ?? 'gateway', environment: opts.environment ?? 'production', fromRevision: opts.from, toRevision: opts.to, ...opts.extra };
      clock.set(opts.start);
      events.append({ type: 'deployment.created', subject: `deployment/${id}`, data: deploymentPayload('deployment.created', data) });
      events.append({ type: 'deployment.started', subject: `deployment/${id}`, data: deploymentPayload('deployment.started', data) });
      clock.set(opts.end);
      const end = `deployment.${opts.outcome}` as 'deployment.succeeded' | 'deployment.rolled_back' | 'deployment.failed';
      events.append({ type: end, subject: `deployment/${id}`, data: deploymentPayload(end, { ...data, ...opts.endExtra }) });
      return id;
    };
    // AND this history of production (and some noise that must not count)
    deployment({ from: c.c0!, to: c.c2!, start: at(10, 12), end: at(10, 12, 30), outcome: 'succeeded' }); // 1: ships c1, c2
    deployment({ from: c.c2!, to: c.c3!, start: at(20, 6), end: at(20, 6, 20), outcome: 'rolled_back', endExtra: { state: 'RolledBack' } }); // 2: rolled back
    deployment({ from: c.c2!, to: c.c4!, start: at(25, 6), end: at(25, 6, 30), outcome: 'succeeded' }); // 3: ships c3, c4; causes incident 1
    // 4: the event lists its commits (with a commit time that differs from git's, to show which one counts)
    deployment({ from: c.c4!, to: c.c5!, start: at(29), end: at(29, 0, 10), outcome: 'succeeded', extra: { commits: [{ sha: c.c5!, committedAtMs: at(28) }] } });
    deployment({ service: 'catalog', from: null, to: c.c5!, start: at(30), end: at(30, 0, 5), outcome: 'succeeded' }); // 5: catalog's first deployment: c5 alone
    deployment({ environment: 'staging', from: c.c0!, to: c.c1!, start: at(9), end: at(9, 1), outcome: 'succeeded' }); // 6: staging
    deployment({ from: c.c5!, to: c.c4!, start: at(29, 1), end: at(29, 1, 5), outcome: 'succeeded', extra: { kind: 'Rollback' } }); // 7: a rollback deployment
    deployment({ from: c.c4!, to: c.c5!, start: at(29, 2), end: at(29, 2, 5), outcome: 'rolled_back', endExtra: { state: 'Stopped' } }); // 8: stopped by a user
    deployment({ from: c.c5!, to: 'not-a-sha', start: at(31, 1), end: at(31, 1, 5), outcome: 'failed' }); // 9: failed, never restored

    // incident 1: caused by deployment 3, triggered 07:00, resolved 09:00
    clock.set(at(25, 7));
    incidents.service.open({ title: 'gateway 5xx', service: 'gateway', environment: 'production', deploymentId: 3 });
    clock.set(at(25, 8));
    incidents.service.transition(1, 'acknowledge');
    clock.set(at(25, 9));
    incidents.service.transition(1, 'resolve');
    // incident 2: staging, not counted
    clock.set(at(26));
    incidents.service.open({ title: 'staging down', service: 'gateway', environment: 'staging' });
    // incident 3: production, still open
    clock.set(at(31));
    incidents.service.open({ title: 'slow checkout', service: 'gateway', environment: 'production' });
    clock.set(END);
  });

  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('computes the four keys over 30 days, overall and per service, equal to the hand-computed values', async () => {
    // WHEN the 30-day report is asked for
    const report = await dora.report({ window: '30d' });
    const w = report.windows[0]!;
    expect(report.windows).toHaveLength(1);
    expect(w.window).toBe('30d');
    expect(w.overall.window).toEqual({ startMs: END - 30 * 24 * HOUR, endMs: END });

    // THEN deployments 1, 3, 4, 5 succeeded (4 in 30 days); 2 rolled back; 9 failed; 6, 7, 8 do not count
    expect(w.overall.deploymentFrequency).toEqual({ perDay: 4 / 30, perWeek: (4 / 30) * 7, band: 'Medium', deploymentIds: ['1', '3', '4', '5'] });
    // lead times: c1 4h30m, c2 2h30m (deployment 1); c3 5d6h30m, c4 6h30m (3); c5 24h10m from the event's commit time (4); 5 re-ships c5: counted once
    expect(w.overall.leadTime.samples).toEqual([
      { sha: c.c1, deploymentId: '1', leadTimeMs: 4 * HOUR + 30 * MIN },
      { sha: c.c2, deploymentId: '1', leadTimeMs: 2 * HOUR + 30 * MIN },
      { sha: c.c3, deploymentId: '3', leadTimeMs: 126 * HOUR + 30 * MIN },
      { sha: c.c4, deploymentId: '3', leadTimeMs: 6 * HOUR + 30 * MIN },
      { sha: c.c5, deploymentId: '4', leadTimeMs: 24 * HOUR + 10 * MIN },
    ]);
    expect([w.overall.leadTime.medianMs, w.overall.leadTime.p90Ms, w.overall.leadTime.band]).toEqual([6 * HOUR + 30 * MIN, 126 * HOUR + 30 * MIN, 'Elite']);
    // change failure rate: 2 rolled back, 3 caused incident 1, 9 failed → 3 of 6
    expect(w.overall.changeFailureRate).toEqual({ ratio: 3 / 6, band: 'Low', deploymentIds: ['1', '2', '3', '4', '5', '9'], failedDeploymentIds: ['2', '3', '9'] });
    // time to restore: deployment 2's rollback 20m, incident 1 2h; incident 3 and deployment 9 still open
    expect(w.overall.timeToRestore).toEqual({
      medianMs: 20 * MIN,
      band: 'Elite',
      samples: [
        { kind: 'deployment', id: '2', startMs: at(20, 6), restoredAtMs: at(20, 6, 20), durationMs: 20 * MIN },
        { kind: 'incident', id: '1', startMs: at(25, 7), restoredAtMs: at(25, 9), durationMs: 2 * HOUR },
      ],
      openIncidentIds: ['3'],
      openDeploymentIds: ['9'],
    });

    // AND per service: catalog's first deployment shipped c5 alone, at git's commit time
    expect(Object.keys(w.services)).toEqual(['catalog', 'gateway']);
    const catalog = w.services.catalog!;
    expect(catalog.deploymentFrequency).toMatchObject({ perDay: 1 / 30, band: 'Medium', deploymentIds: ['5'] });
    expect(catalog.leadTime.samples).toEqual([{ sha: c.c5, deploymentId: '5', leadTimeMs: 36 * HOUR + 5 * MIN }]);
    expect(catalog.changeFailureRate).toMatchObject({ ratio: 0, band: 'Elite' });
    expect(catalog.timeToRestore.medianMs).toBeNull();
    const gateway = w.services.gateway!;
    expect(gateway.deploymentFrequency).toMatchObject({ perDay: 3 / 30, deploymentIds: ['1', '3', '4'] });
    expect(gateway.changeFailureRate).toMatchObject({ ratio: 3 / 5, failedDeploymentIds: ['2', '3', '9'] });
    // deployment 9 failed: its commits are never needed, so its revision is never given to git
    expect(report.warnings).toEqual([]);
  });

  it('computes the last 7 days', async () => {
    // WHEN the 7-day window is asked for
    const w = (await dora.report({ window: '7d' })).windows[0]!.overall;
    // THEN deployments 3, 4, 5 succeeded and 9 failed; 3 is linked to incident 1
    expect(w.deploymentFrequency).toMatchObject({ perDay: 3 / 7, band: 'High', deploymentIds: ['3', '4', '5'] });
    expect([w.leadTime.medianMs, w.leadTime.band]).toEqual([24 * HOUR + 10 * MIN, 'High']);
    expect(w.changeFailureRate).toMatchObject({ ratio: 2 / 4, failedDeploymentIds: ['3', '9'] });
    expect([w.timeToRestore.medianMs, w.timeToRestore.band, w.timeToRestore.openIncidentIds]).toEqual([2 * HOUR, 'High', ['3']]);
  });

  it('serves 7, 30 and 90 days through the API, and validates the window', async () => {
    const server = await buildServer({ events, token: TEST_TOKEN, routes: [dora.routes], dashboardDir: null });
    try {
      // WHEN no window is given THEN the three default windows
      const all = await server.inject({ method: 'GET', url: `/api/v1/dora?end=${END}`, headers: auth });
      expect(all.statusCode).toBe(200);
      const body = all.json<DoraResponseDto>();
      expect(body.windows.map((x) => [x.window, x.overall.deploymentFrequency.deploymentIds.length])).toEqual([
        ['7d', 3],
        ['30d', 4],
        ['90d', 4],
      ]);
      expect(body.environment).toBe('production');
      // WHEN one service is asked for THEN only its figures
      const one = (await server.inject({ method: 'GET', url: `/api/v1/dora?window=30d&service=catalog&end=${END}`, headers: auth })).json<DoraResponseDto>();
      expect(one.windows[0]!.overall).toMatchObject({ service: 'catalog', deploymentFrequency: { deploymentIds: ['5'] } });
      expect(Object.keys(one.windows[0]!.services)).toEqual(['catalog']);
      // WHEN the window is not a duration THEN 400 naming the field
      const bad = await server.inject({ method: 'GET', url: '/api/v1/dora?window=monthly', headers: auth });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ error: { issues: { path: string }[] } }>().error.issues[0]!.path).toBe('query.window');
    } finally {
      await server.close();
    }
  });
});

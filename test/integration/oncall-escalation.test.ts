import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { createAlarms, type Alarms } from '../../src/alarms/index.js';
import { createIncidents, incidentMigrations, type Incidents } from '../../src/incidents/index.js';
import { buildServer } from '../../src/server/index.js';
import { resolveApp, type IncidentDetailDto, type IncidentDto, type OnCallDto, type ResolvedApp } from '../../src/shared/index.js';
import { auth, TEST_TOKEN } from '../support/server.js';
import { startWebhookServer } from './alarms-sinks.js';
import { oncallDefinition as definition } from '../fixtures/configs/oncall-definition.js';

const MIN = 60_000;
/** Tuesday 2026-03-03 12:00 in Berlin (CET): alice's week of the rotation that starts Monday 2026-01-05. */
const T0 = Date.UTC(2026, 2, 3, 11, 0, 0);

type Hook = Awaited<ReturnType<typeof startWebhookServer>>;

describe('on-call paging and escalation', () => {
  let db: Db;
  let clock: ManualClock;
  let events: EventLog;
  let app: ResolvedApp;
  let alarms: Alarms;
  let incidents: Incidents;
  let server: FastifyInstance;
  let alice: Hook;
  let carol: Hook;
  const call = async <T>(method: 'GET' | 'POST', url: string, body?: object) => {
    const res = await server.inject({ method, url, headers: auth, ...(body === undefined ? {} : { payload: body }) });
    return { status: res.statusCode, body: res.json<T>() };
  };
  const types = (prefix: string) => events.list({ subject: 'incident/1', limit: 1000 }).filter((e) => e.type.startsWith(prefix));

  const startIncidents = async () => {
    incidents = createIncidents({ db, events, clock, app, escalationIntervalMs: 20 });
    incidents.start();
    server = await buildServer({ events, token: TEST_TOKEN, routes: [incidents.routes], dashboardDir: null });
  };
  const stopIncidents = async () => {
    await incidents.close();
    await server.close();
  };

  beforeEach(async () => {
    alice = await startWebhookServer(200);
    carol = await startWebhookServer(200);
    db = openDatabase(':memory:', { migrations: [...eventMigrations, ...incidentMigrations] });
    clock = new ManualClock(T0);
    events = new EventLog(db, { clock });
    app = resolveApp(definition(alice.url, carol.url));
    alarms = createAlarms({ app, db, events, clock, telemetry: { queryMetric: () => ({ timestamps: [], values: [] }) }, delivery: { maxAttempts: 1 } });
    await startIncidents();
  });

  afterEach(async () => {
    await stopIncidents();
    await alarms.close();
    await alice.close();
    await carol.close();
    db.close();
  });

  it('pages level 1 through a real HTTP sink, escalates to level 2 after the delay, and stops when acknowledged', async () => {
    // GIVEN alice on call on the primary schedule, carol at level 2 after 10 minutes
    // WHEN a SEV2 incident opens
    const alicePaged = alice.next();
    expect((await call<IncidentDto>('POST', '/api/v1/incidents', { title: 'checkout fails', severity: 'SEV2', service: 'gateway' })).status).toBe(201);
    const page1 = JSON.parse((await alicePaged).rawBody) as Record<string, unknown>;

    // THEN alice's webhook receives the page, and the page is an event naming who, which level and which schedule
    expect(page1).toMatchObject({ topic: 'user:alice', event: 'incident.paged', severity: 'critical', subject: 'incident/1', title: 'Page: incident 1 SEV2 checkout fails, level 1' });
    const [paged] = types('incident.paged');
    expect(paged!.data).toMatchObject({ incidentId: 1, policy: 'standard', level: 1, loop: 0, step: 0, users: ['alice'], topics: [], targets: [{ kind: 'schedule', schedule: 'primary', user: 'alice' }], escalateAtMs: T0 + 10 * MIN });
    expect(carol.received).toHaveLength(0);

    // WHEN nine minutes pass without an acknowledgement THEN nobody else is paged
    clock.advance(9 * MIN);
    await incidents.flush();
    expect(types('incident.escalated')).toHaveLength(0);

    // WHEN the tenth minute passes, the escalator's own loop pages level 2: carol, through her topic
    const carolPaged = carol.next();
    clock.advance(MIN);
    const page2 = JSON.parse((await carolPaged).rawBody) as Record<string, unknown>;
    expect(page2).toMatchObject({ topic: 'carol-pager', event: 'incident.escalated', title: 'Page: incident 1 SEV2 checkout fails, level 2 (escalated: not acknowledged in time)' });
    expect(types('incident.escalated').map((e) => e.data)).toMatchObject([{ level: 2, step: 1, users: ['carol'], topics: ['carol-pager'], targets: [{ kind: 'user', user: 'carol' }], escalateAtMs: null }]);

    // WHEN carol acknowledges (the existing transition)
    expect((await call<IncidentDto>('POST', '/api/v1/incidents/1/ack', { by: 'carol' })).body.state).toBe('Acknowledged');
    await incidents.flush();

    // THEN the escalation ends, and an hour later nobody has been paged again
    expect(types('incident.escalation.ended').map((e) => e.data)).toMatchObject([{ policy: 'standard', reason: 'acknowledged', pages: 2 }]);
    clock.advance(60 * MIN);
    await incidents.flush();
    await alarms.flushNotifications();
    expect(types('incident.paged')).toHaveLength(1);
    expect(types('incident.escalated')).toHaveLength(1);
    expect(alice.received).toHaveLength(1);
    expect(carol.received).toHaveLength(1);

    // AND each delivery is recorded, and every page and the end are on the incident's timeline
    expect(events.list({ type: 'notification.sent' }).map((e) => [e.data.topic, e.data.eventType])).toEqual([
      ['user:alice', 'incident.paged'],
      ['carol-pager', 'incident.escalated'],
    ]);
    const detail = (await call<IncidentDetailDto>('GET', '/api/v1/incidents/1')).body;
    expect(detail.escalation).toEqual({ policy: 'standard', pages: 2, level: 2, users: ['carol'], topics: ['carol-pager'], lastPagedAtMs: T0 + 10 * MIN, nextEscalationAtMs: null, ended: 'acknowledged' });
    expect(detail.timeline.filter((e) => /^incident\.(paged|escalated|escalation)/.test(e.type)).map((e) => e.summary)).toEqual([
      'paged level 1 of standard: alice (on call on primary)',
      'escalated: paged level 2 of standard: carol',
      'escalation ended: acknowledged after 2 pages',
    ]);
  });

  it('carries on after a restart from what the event log says, paging each level once', async () => {
    // GIVEN level 1 paged by one control plane, which then stops
    await call('POST', '/api/v1/incidents', { title: 'checkout fails', severity: 'SEV1' });
    await incidents.flush();
    expect(types('incident.paged')).toHaveLength(1);
    await stopIncidents();

    // WHEN another starts on the same database after the delay has passed
    clock.advance(11 * MIN);
    await startIncidents();
    await incidents.flush();

    // THEN it pages level 2 only (level 1 is not paged again), then gives up after level 2's delay
    expect(types('incident.paged')).toHaveLength(1);
    expect(types('incident.escalated').map((e) => e.data.level)).toEqual([2]);
    clock.advance(5 * MIN);
    await incidents.flush();
    expect(types('incident.escalation.ended').map((e) => e.data)).toMatchObject([{ reason: 'exhausted', pages: 2 }]);
  });

  it('escalates at once past a level that reaches nobody, and records that nobody was on call', async () => {
    // GIVEN a moment before the rotation's first hand-off: nobody is on call on primary
    clock.set(Date.UTC(2025, 11, 1));
    const carolPaged = carol.next();
    // WHEN a SEV1 incident opens
    await call('POST', '/api/v1/incidents', { title: 'checkout fails', severity: 'SEV1' });
    await incidents.flush();
    // THEN level 1 is recorded with nobody reached, and level 2 is paged in the same moment
    expect(types('incident.paged').map((e) => e.data)).toMatchObject([{ level: 1, users: [], topics: [], targets: [{ kind: 'schedule', schedule: 'primary', user: null }] }]);
    expect(types('incident.escalated').map((e) => [e.data.level, e.timeMs])).toEqual([[2, Date.UTC(2025, 11, 1)]]);
    expect(JSON.parse((await carolPaged).rawBody)).toMatchObject({ event: 'incident.escalated' });
  });

  it('ends the escalation when the incident is mitigated without an acknowledgement', async () => {
    // GIVEN level 1 paged
    await call('POST', '/api/v1/incidents', { title: 'checkout fails', severity: 'SEV2' });
    await incidents.flush();
    // WHEN it is mitigated, and time passes beyond every delay
    await call('POST', '/api/v1/incidents/1/mitigate', { by: 'alice' });
    clock.advance(60 * MIN);
    await incidents.flush();
    // THEN the escalation ended as mitigated after one page
    expect(types('incident.escalation.ended').map((e) => e.data)).toMatchObject([{ reason: 'mitigated', pages: 1 }]);
    expect(types('incident.escalated')).toHaveLength(0);
  });

  it('pages nobody for a severity without a policy', async () => {
    // GIVEN no policy for SEV3 WHEN a SEV3 incident opens and time passes THEN no page is recorded
    await call('POST', '/api/v1/incidents', { title: 'slow search', severity: 'SEV3' });
    clock.advance(60 * MIN);
    await incidents.flush();
    expect(types('incident.paged')).toHaveLength(0);
  });

  it('answers who is on call per schedule, now or at a given instant', async () => {
    // GIVEN the weekly rotation WHEN asked now (alice's week) and on the next Monday after 09:00 Berlin
    const now = (await call<OnCallDto>('GET', '/api/v1/oncall')).body;
    const next = (await call<OnCallDto>('GET', '/api/v1/oncall?at=2026-03-09T08:30:00Z')).body;
    // THEN alice until the hand-off, then bob
    expect(now).toEqual({ atMs: T0, policyBySeverity: { SEV1: 'standard', SEV2: 'standard' }, schedules: [{ schedule: 'primary', timeZone: 'Europe/Berlin', user: 'alice', source: 'layer', layer: 0, sinceMs: Date.UTC(2026, 2, 2, 8), untilMs: Date.UTC(2026, 2, 9, 8) }] });
    expect(next.schedules[0]).toMatchObject({ user: 'bob' });
    // AND a bad instant is a 400 naming the query field
    const bad = await call<{ error: { code: string; message: string } }>('GET', '/api/v1/oncall?at=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('query.at');
  });
});

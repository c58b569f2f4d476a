import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db, type NewCataloguedEvent } from '../../src/core/index.js';
import { createIncidents, incidentMigrations, type Incidents, type MetricSource } from '../../src/incidents/index.js';
import { buildServer } from '../../src/server/index.js';
import type { ActionItemDto, AlarmState, EventPayloads, IncidentDetailDto, IncidentDto, PostmortemDto, ResolvedApp } from '../../src/shared/index.js';
import type { MetricQuery } from '../../src/telemetry/index.js';
import { auth, TEST_TOKEN } from '../support/server.js';
import { deploymentPayload } from '../support/event-payloads.js';
import { tempDir } from '../support/temp-dir.js';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const MIN = 60_000;
const app = { environments: { production: { rollbackOn: ['gateway-5xx'] } }, alarms: {} } as unknown as ResolvedApp;

/** A metric source answering fixed series per metric name, recording the queries. */
function fakeMetrics(series: Record<string, number[]>): MetricSource & { queries: MetricQuery[] } {
  const queries: MetricQuery[] = [];
  return {
    queries,
    queryMetric: (q) => {
      queries.push(q);
      const values = series[q.name] ?? [];
      return { timestamps: values.map((_, i) => q.startMs + i * q.periodMs), values };
    },
  };
}

function deploymentEvent<T extends 'deployment.started' | 'deployment.traffic.shifted' | 'deployment.succeeded'>(events: EventLog, type: T, id: number, service: string, extra: Partial<EventPayloads[T]> = {}) {
  return events.append({ type, subject: `deployment/${id}`, data: deploymentPayload(type, { deploymentId: id, service, ...extra }) } as NewCataloguedEvent<T>);
}

function alarm(events: EventLog, newState: AlarmState, oldState: AlarmState, extra: Partial<EventPayloads['alarm.state.changed']> = {}) {
  return events.append({ type: 'alarm.state.changed', subject: 'alarm/gateway-5xx', data: { alarm: 'gateway-5xx', oldState, newState, reason: `Threshold crossed: 7 > 5`, service: 'gateway', environment: 'production', ...extra } });
}

describe('incidents', () => {
  let db: Db;
  let clock: ManualClock;
  let events: EventLog;
  let incidents: Incidents;
  let server: FastifyInstance;
  let metrics: ReturnType<typeof fakeMetrics>;
  const rollbacks: number[] = [];
  const call = async <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: object) => {
    const res = await server.inject({ method, url, headers: auth, ...(body === undefined ? {} : { payload: body }) });
    return { status: res.statusCode, body: res.json<T & { error: { code: string; message: string } }>() };
  };

  beforeEach(async () => {
    db = openDatabase(':memory:', { migrations: [...eventMigrations, ...incidentMigrations] });
    clock = new ManualClock(T0);
    events = new EventLog(db, { clock });
    metrics = fakeMetrics({ HTTPCode_Target_5XX_Count: [3, 4, 5], RequestCount: [100, 100, 100] });
    rollbacks.length = 0;
    const mitigator = { rollback: async (id: number) => (rollbacks.push(id), { ok: true, message: `deployment ${id} rolled back to r1` }) };
    incidents = createIncidents({ db, events, clock, app, metrics, mitigator });
    incidents.start();
    server = await buildServer({ events, token: TEST_TOKEN, routes: [incidents.routes], dashboardDir: null });
  });

  afterEach(async () => {
    await incidents.close();
    await server.close();
    db.close();
  });

  /** The scripted history: a pipeline run, a deployment of gateway, an unrelated deployment of catalog, then the alarm. */
  function scriptHistory() {
    events.append({ type: 'pipeline.run.started', subject: 'pipeline-run/3', data: { runId: 3, trigger: 'push', ref: 'main', commitSha: 'abc123def456', branch: 'main', stages: ['Build', 'Deploy'] } });
    clock.advance(2 * MIN);
    deploymentEvent(events, 'deployment.started', 12, 'gateway');
    clock.advance(MIN);
    deploymentEvent(events, 'deployment.traffic.shifted', 12, 'gateway', { from: { r1: 100 }, to: { r1: 0, r2: 100 } });
    clock.advance(MIN);
    deploymentEvent(events, 'deployment.started', 13, 'catalog');
    clock.advance(MIN);
    deploymentEvent(events, 'deployment.succeeded', 12, 'gateway', { reason: 'all steps completed' });
    clock.advance(5 * MIN);
    return alarm(events, 'ALARM', 'OK');
  }

  it('opens one incident per alarm, names the deployment shipped shortly before, and writes the postmortem with impact', async () => {
    // GIVEN a deployment of gateway 5 minutes before its rollbackOn alarm fires in production
    const trigger = scriptHistory();
    await incidents.flush();

    // THEN one SEV2 incident is open, and the deployment is its likely cause
    let list = (await call<{ incidents: IncidentDto[] }>('GET', '/api/v1/incidents')).body.incidents;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 1, state: 'Triggered', severity: 'SEV2', source: 'alarm', alarm: 'gateway-5xx', service: 'gateway', environment: 'production', deploymentId: 12, triggeredAtMs: trigger.timeMs, alarmState: 'ALARM' });

    // WHEN the alarm fires again while the incident is open, then returns to OK
    clock.advance(MIN);
    alarm(events, 'INSUFFICIENT_DATA', 'ALARM');
    clock.advance(MIN);
    alarm(events, 'ALARM', 'INSUFFICIENT_DATA');
    clock.advance(MIN);
    alarm(events, 'OK', 'ALARM');
    await incidents.flush();

    // THEN still one incident, not resolved, with notes saying so
    list = (await call<{ incidents: IncidentDto[] }>('GET', '/api/v1/incidents')).body.incidents;
    expect(list.map((i) => [i.id, i.state, i.alarmState])).toEqual([[1, 'Triggered', 'OK']]);
    const detail = (await call<IncidentDetailDto>('GET', '/api/v1/incidents/1')).body;
    expect(detail.notes.map((n) => n.text)).toEqual([
      expect.stringMatching(/^alarm gateway-5xx returned to INSUFFICIENT_DATA at .*; the incident stays Triggered until someone resolves it$/),
      expect.stringMatching(/^alarm gateway-5xx went to ALARM again at /),
      expect.stringMatching(/^alarm gateway-5xx returned to OK at .*; the incident stays Triggered until someone resolves it$/),
    ]);

    // AND the timeline, read from the log, marks gateway's deployment (not catalog's) as the likely cause
    const causes = detail.timeline.filter((e) => e.likelyCause);
    expect(causes.map((e) => [e.subject, e.type])).toEqual([
      ['deployment/12', 'deployment.started'],
      ['deployment/12', 'deployment.traffic.shifted'],
      ['deployment/12', 'deployment.succeeded'],
    ]);
    expect(causes[2]!.likelyCauseReason).toBe('deployment 12 was the latest of gateway in production, 8m before the trigger');
    expect(detail.likelyCause).toMatchObject({ kind: 'deployment', ref: 'deployment/12', deploymentId: 12, service: 'gateway', environment: 'production', rule: 'latest-of-service' });
    expect(detail.alsoChanged.map((c) => [c.deploymentId, c.sameEnvironment, c.beforeTriggerMs])).toEqual([[13, true, 6 * MIN]]);
    expect(detail.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['pipeline.run.started', 'deployment.started', 'alarm.state.changed', 'incident.opened', 'incident.note.added']),
    );
    expect(detail.timeline.find((e) => e.subject === 'deployment/13')?.likelyCause).toBeUndefined();

    // WHEN it is acknowledged, a rollback is recorded, it is mitigated and resolved
    expect((await call<IncidentDto>('POST', '/api/v1/incidents/1/ack', { by: 'alice' })).body).toMatchObject({ state: 'Acknowledged', assignee: 'alice' });
    const action = await call('POST', '/api/v1/incidents/1/actions', { kind: 'rollback', deploymentId: 12, by: 'alice' });
    expect(action.status).toBe(201);
    expect(action.body).toMatchObject({ kind: 'rollback', deploymentId: 12, ok: true, message: 'deployment 12 rolled back to r1', by: 'alice' });
    expect(rollbacks).toEqual([12]);
    clock.advance(2 * MIN);
    expect((await call<IncidentDto>('POST', '/api/v1/incidents/1/mitigate')).body.state).toBe('Mitigated');
    clock.advance(5 * MIN);
    const resolved = (await call<IncidentDto>('POST', '/api/v1/incidents/1/resolve', { by: 'alice', reason: 'error rate back to normal' })).body;
    expect(resolved).toMatchObject({ state: 'Resolved', resolvedAtMs: trigger.timeMs + 10 * MIN });

    // THEN the postmortem draft names the deployment and carries the impact numbers from telemetry
    const draft = (await call<PostmortemDto>('GET', '/api/v1/incidents/1/postmortem')).body;
    expect(draft.draft).toBe(true);
    expect(metrics.queries.map((q) => [q.name, q.stat, q.dimensions, q.startMs, q.endMs])).toEqual([
      ['HTTPCode_Target_5XX_Count', 'Sum', { service: 'gateway', environment: 'production' }, trigger.timeMs - 8 * MIN, trigger.timeMs + 5 * MIN],
      ['RequestCount', 'Sum', { service: 'gateway', environment: 'production' }, trigger.timeMs - 8 * MIN, trigger.timeMs + 5 * MIN],
    ]);
    expect(draft.markdown).toContain('# Postmortem: incident 1 — gateway-5xx in ALARM on gateway (production)');
    expect(draft.markdown).toContain('- Duration: 10m (2026-03-01 12:10:00Z → 2026-03-01 12:20:00Z).');
    expect(draft.markdown).toContain('- Errors: 12 5xx answers of 300 requests (4.00%) (HTTPCode_Target_5XX_Count, Sum, from the start of deployment 12 at 2026-03-01 12:02:00Z to the mitigation at 2026-03-01 12:15:00Z, 13m).');
    expect(draft.markdown).toContain('| 2026-03-01 12:05:00Z | deployment 12 of gateway in production succeeded: r1 → r2 (all steps completed) | **likely cause**: deployment 12 was the latest of gateway in production, 8m before the trigger |');
    expect(draft.markdown).toContain('2. **Why did that happen?** deployment 12 of gateway in production');
    expect(draft.markdown).toContain("3. **Why was that change made?** Revision r2 of gateway matches no pipeline run's commit in the event log (deployed by hand?). _…_");
    expect(draft.markdown).toContain('4. **Why was it not caught before it reached users?** No pipeline run is linked to the change, so no checks are known to have run. _…_');
    expect(draft.markdown).toContain('- deployment 13 of catalog in production (r1 → r2), 6m before the trigger');
    expect(draft.markdown).toContain('| Find out why deployment 12 (gateway r2) caused the failure and add a check that catches it before production | alice | _…_ | open |');
    expect(draft.markdown).toContain('rollback of deployment 12 by alice: done — deployment 12 rolled back to r1');
    for (const section of ['## Summary', '## Impact', '## Timeline', '## Root cause', '### Five whys', '## What went well', '## What went badly', '## Action items']) {
      expect(draft.markdown).toContain(section);
    }

    // WHEN the postmortem is written
    const written = await call<PostmortemDto>('PUT', '/api/v1/incidents/1/postmortem', { markdown: `${draft.markdown}\nEdited.`, author: 'alice' });
    expect(written.status).toBe(200);

    // THEN the incident is PostmortemDone, the stored text is served, and the log has every step
    expect((await call<IncidentDto>('GET', '/api/v1/incidents/1')).body.state).toBe('PostmortemDone');
    expect((await call<PostmortemDto>('GET', '/api/v1/incidents/1/postmortem')).body).toMatchObject({ draft: false, markdown: `${draft.markdown}\nEdited.` });
    expect(events.list({ subject: 'incident/1' }).map((e) => e.type)).toEqual([
      'incident.opened',
      'incident.note.added',
      'incident.note.added',
      'incident.note.added',
      'incident.acknowledged',
      'incident.action.recorded',
      'incident.mitigated',
      'incident.resolved',
      'incident.postmortem.written',
    ]);

    // AND a new ALARM after resolution opens a new incident
    clock.advance(MIN);
    alarm(events, 'ALARM', 'OK');
    await incidents.flush();
    expect((await call<{ incidents: IncidentDto[] }>('GET', '/api/v1/incidents?open=true')).body.incidents.map((i) => i.id)).toEqual([2]);
  });

  it('refuses illegal transitions with a clear 409', async () => {
    // GIVEN an incident opened by hand
    const opened = await call<IncidentDto>('POST', '/api/v1/incidents', { title: 'checkout slow', severity: 'SEV1', service: 'gateway', description: 'p99 above 2s' });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ id: 1, state: 'Triggered', severity: 'SEV1', source: 'manual' });
    const steps: [string, number, string][] = [
      // [verb, status, message or the new state]
      ['resolve', 409, 'cannot resolve incident 1: it is Triggered; acknowledge or mitigate it first'],
      ['ack', 200, 'Acknowledged'],
      ['ack', 409, 'cannot acknowledge incident 1: it is Acknowledged already'],
      ['mitigate', 200, 'Mitigated'],
      ['ack', 409, 'cannot acknowledge incident 1: it is Mitigated; only a Triggered incident can be acknowledged'],
      ['mitigate', 409, 'cannot mitigate incident 1: it is Mitigated already'],
      ['resolve', 200, 'Resolved'],
      ['mitigate', 409, 'cannot mitigate incident 1: it is Resolved; only a Triggered or Acknowledged incident can be mitigated'],
      ['resolve', 409, 'cannot resolve incident 1: it is Resolved already'],
    ];
    for (const [verb, status, expected] of steps) {
      // WHEN each verb is tried in turn THEN it moves the incident or is refused with the exact reason
      const r = await call<IncidentDto>('POST', `/api/v1/incidents/1/${verb}`);
      expect([verb, r.status]).toEqual([verb, status]);
      if (status === 409) expect(r.body.error).toEqual({ code: 'SLW_ERR_INCIDENT_INVALID_STATE', message: expected });
      else expect(r.body.state).toBe(expected);
    }
    const action = await call('POST', '/api/v1/incidents/1/actions', { kind: 'manual', description: 'restarted the cache' });
    expect(action.body.error).toEqual({ code: 'SLW_ERR_INCIDENT_INVALID_STATE', message: 'cannot record an action on incident 1: it is Resolved; actions are for open incidents' });
    expect((await call('GET', '/api/v1/incidents/99')).body.error).toEqual({ code: 'SLW_ERR_INCIDENT_NOT_FOUND', message: 'no incident 99' });
    expect((await call('POST', '/api/v1/incidents/1/notes', {})).status).toBe(400);
  });

  it('keeps action items with owner, due date and status, validated, numbered, and listed in the draft', async () => {
    // GIVEN a resolved incident
    await call('POST', '/api/v1/incidents', { title: 'orders lost', service: 'orders' });
    await call('POST', '/api/v1/incidents/1/ack', { by: 'alice' });
    clock.advance(MIN);
    await call('POST', '/api/v1/incidents/1/resolve');

    // WHEN two follow-ups are added (action items are taken in any state: most come with the postmortem)
    const first = await call<ActionItemDto>('POST', '/api/v1/incidents/1/action-items', { text: 'alert on queue depth', owner: 'alice', dueDate: '2026-03-13', by: 'bob' });
    const second = await call<ActionItemDto>('POST', '/api/v1/incidents/1/action-items', { text: 'retry lost orders', owner: 'carol', dueDate: '2026-03-20', status: 'InProgress' });
    // THEN each is numbered within the incident, Open unless given
    expect([first.status, first.body]).toEqual([201, { itemId: 1, text: 'alert on queue depth', owner: 'alice', dueDate: '2026-03-13', status: 'Open', createdBy: 'bob', createdAtMs: clock.now(), updatedAtMs: clock.now() }]);
    expect(second.body).toMatchObject({ itemId: 2, status: 'InProgress', createdBy: 'user' });

    // WHEN the first is done, later, and handed over
    clock.advance(MIN);
    const done = await call<ActionItemDto>('PATCH', '/api/v1/incidents/1/action-items/1', { status: 'Done', owner: 'dave', by: 'alice' });
    expect(done.body).toMatchObject({ itemId: 1, status: 'Done', owner: 'dave', dueDate: '2026-03-13', updatedAtMs: clock.now() });
    // AND the same change again records nothing
    expect((await call<ActionItemDto>('PATCH', '/api/v1/incidents/1/action-items/1', { status: 'Done' })).body.status).toBe('Done');
    expect(events.list({ type: 'incident.action_item.updated' }).map((e) => [e.data.itemId, e.data.changed, e.data.by])).toEqual([[1, ['status', 'owner'], 'alice']]);

    // THEN the detail and the list route fold the events into the current items
    const detail = (await call<IncidentDetailDto>('GET', '/api/v1/incidents/1')).body;
    expect(detail.actionItems.map((a) => [a.itemId, a.text, a.owner, a.dueDate, a.status])).toEqual([
      [1, 'alert on queue depth', 'dave', '2026-03-13', 'Done'],
      [2, 'retry lost orders', 'carol', '2026-03-20', 'InProgress'],
    ]);
    expect((await call<{ actionItems: ActionItemDto[] }>('GET', '/api/v1/incidents/1/action-items')).body.actionItems).toEqual(detail.actionItems);
    // AND the draft postmortem lists them instead of its suggestions
    const draft = (await call<PostmortemDto>('GET', '/api/v1/incidents/1/postmortem')).body.markdown;
    expect(draft).toContain('| alert on queue depth | dave | 2026-03-13 | Done |\n| retry lost orders | carol | 2026-03-20 | InProgress |');

    // AND what is not an item, a date or a status is refused with the field
    const refusals: [string, object, number, string][] = [
      ['/api/v1/incidents/1/action-items', { text: 'x', owner: 'a', dueDate: '2026-02-30' }, 400, 'body.dueDate: no such date'],
      ['/api/v1/incidents/1/action-items', { text: 'x', owner: 'a', dueDate: 'next week' }, 400, 'body.dueDate: expected a date YYYY-MM-DD'],
      ['/api/v1/incidents/1/action-items', { text: ' ', owner: 'a', dueDate: '2026-03-01' }, 400, 'body.text'],
      ['/api/v1/incidents/9/action-items', { text: 'x', owner: 'a', dueDate: '2026-03-01' }, 404, 'no incident 9'],
    ];
    for (const [url, body, status, message] of refusals) {
      const r = await call('POST', url, body);
      expect([r.status, r.body.error.message]).toEqual([status, expect.stringContaining(message)]);
    }
    const badStatus = await call('PATCH', '/api/v1/incidents/1/action-items/1', { status: 'Closed' });
    expect([badStatus.status, badStatus.body.error.code]).toEqual([400, 'SLW_ERR_API_VALIDATION']);
    expect((await call('PATCH', '/api/v1/incidents/1/action-items/1', {})).body.error.message).toContain('give at least one of status, owner, dueDate');
    expect((await call('PATCH', '/api/v1/incidents/1/action-items/7', { status: 'Done' })).body.error).toEqual({ code: 'SLW_ERR_INCIDENT_ACTION_ITEM_NOT_FOUND', message: 'incident 1 has no action item 7' });
    expect(events.list({ type: 'incident.action_item' }).map((e) => e.type)).toEqual(['incident.action_item.added', 'incident.action_item.added', 'incident.action_item.updated']);
  });

  it('answers the causal chain from commit to incident, and when the postmortem is due', async () => {
    // GIVEN a run of a commit, its artifact, a canary of it rolled back by the alarm that opens the incident
    events.append({ type: 'pipeline.run.started', subject: 'pipeline-run/4', data: { runId: 4, trigger: 'push', ref: 'main', commitSha: '1a2b3c4d5e6f7a8b', branch: 'main', commitMessage: 'gateway: new cache\n\nlong body', stages: ['Build', 'Deploy'] } });
    clock.advance(MIN);
    events.append({ type: 'artifact.stored', subject: 'artifact/sha256:feedbeef00112233', data: { digest: 'sha256:feedbeef00112233', sizeBytes: 10, service: 'gateway', commitSha: '1a2b3c4d5e6f7a8b', buildNumber: 4 } });
    clock.advance(MIN);
    deploymentEvent(events, 'deployment.started', 21, 'gateway', { toRevision: '1a2b3c4d5e6f' });
    clock.advance(MIN);
    deploymentEvent(events, 'deployment.traffic.shifted', 21, 'gateway', { toRevision: '1a2b3c4d5e6f', stepIndex: 1, from: { r1: 100 }, to: { r1: 75, '1a2b3c4d5e6f': 25 } });
    clock.advance(MIN);
    const trigger = alarm(events, 'ALARM', 'OK', { deploymentId: 21 });
    events.append({ type: 'deployment.rollback.started', subject: 'deployment/21', data: { ...deploymentPayload('deployment.succeeded', { deploymentId: 21, service: 'gateway', toRevision: '1a2b3c4d5e6f' }), state: 'InProgress', trigger: 'alarm', alarms: ['gateway-5xx'] } });
    await incidents.flush();

    // WHEN its detail is read
    const detail = (await call<IncidentDetailDto>('GET', '/api/v1/incidents/1')).body;

    // THEN each link of the chain names its fact and the event that shows it, in causal order
    expect(detail.causalChain.map((l) => [l.kind, l.subject])).toEqual([
      ['commit', 'pipeline-run/4'],
      ['artifact', 'artifact/sha256:feedbeef00112233'],
      ['deployment', 'deployment/21'],
      ['alarm', 'alarm/gateway-5xx'],
      ['rollback', 'deployment/21'],
      ['incident', 'incident/1'],
    ]);
    expect(detail.causalChain[0]!.summary).toBe('commit 1a2b3c4d5e6f "gateway: new cache" on main (pipeline run 4)');
    expect(detail.causalChain[1]!.summary).toBe('artifact feedbeef0011 of gateway');
    expect(detail.causalChain[2]!.summary).toBe('deployment 21 of gateway in production (r1 → 1a2b3c4d5e6f), step 2, traffic r1 75%, 1a2b3c4d5e6f 25% — alarm gateway-5xx rolled it back (its deployment.rollback.started names the alarm)');
    expect(detail.causalChain[3]).toMatchObject({ seq: trigger.seq, summary: 'alarm gateway-5xx → ALARM: Threshold crossed: 7 > 5' });
    expect(detail.causalChain[4]!.summary).toBe('deployment 21 rolled back by gateway-5xx to r1');
    // AND the links in the timeline's span are timeline entries the dashboard can mark (artifacts are no timeline family)
    const seqs = new Set(detail.timeline.map((e) => e.seq));
    expect(detail.causalChain.filter((l) => !seqs.has(l.seq)).map((l) => l.kind)).toEqual(['artifact']);

    // AND an open incident has no postmortem deadline; a resolved one is due five business days later
    expect(detail.postmortemDueAtMs).toBeNull();
    await call('POST', '/api/v1/incidents/1/mitigate');
    const resolved = (await call<IncidentDto>('POST', '/api/v1/incidents/1/resolve')).body;
    // T0 is Sunday 1 March 2026: the clock starts on Monday 2 March, due Monday 9 March at 00:00 UTC.
    expect(new Date(resolved.postmortemDueAtMs!).toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });

  it('answers 503 for a rollback when no deployment engine is connected', async () => {
    // GIVEN incidents without a mitigator
    const bare = createIncidents({ db, events, clock });
    const srv = await buildServer({ events, token: TEST_TOKEN, routes: [bare.routes], dashboardDir: null });
    await srv.inject({ method: 'POST', url: '/api/v1/incidents', headers: auth, payload: { title: 'x' } });
    // WHEN a rollback is asked for THEN 503 with the reason, and nothing is recorded
    const r = await srv.inject({ method: 'POST', url: '/api/v1/incidents/1/actions', headers: auth, payload: { kind: 'rollback', deploymentId: 4 } });
    expect([r.statusCode, r.json<{ error: { code: string } }>().error.code]).toEqual([503, 'SLW_ERR_INCIDENT_MITIGATOR_UNAVAILABLE']);
    expect(events.list({ type: 'incident.action.recorded' })).toEqual([]);
    await srv.close();
  });
});

describe('incidents after a restart', () => {
  it('processes alarm events appended while the control plane was down, each once', async () => {
    const tmp = tempDir();
    const file = path.join(tmp.path, 'slipway.db');
    const clock = new ManualClock(T0);
    const open = () => {
      const db = openDatabase(file, { migrations: [...eventMigrations, ...incidentMigrations] });
      const events = new EventLog(db, { clock });
      return { db, events, incidents: createIncidents({ db, events, clock, app }) };
    };
    try {
      // GIVEN a control plane that processed one alarm, then stopped
      let cp = open();
      cp.incidents.start();
      alarm(cp.events, 'ALARM', 'OK', { alarm: 'gateway-5xx' });
      await cp.incidents.flush();
      await cp.incidents.close();
      // WHILE it is down: the alarm recovers, and another alarm fires
      clock.advance(MIN);
      alarm(cp.events, 'OK', 'ALARM');
      clock.advance(MIN);
      const down = cp.events.append({ type: 'alarm.state.changed', subject: 'alarm/catalog-p99', data: { alarm: 'catalog-p99', oldState: 'OK', newState: 'ALARM', reason: 'p99 > 800', service: 'catalog', environment: 'production' } });
      cp.db.close();

      // WHEN it starts again
      clock.advance(10 * MIN);
      cp = open();
      cp.incidents.start();

      // THEN the missed events were processed, with the times they happened
      const list = cp.incidents.service.list();
      expect(list.map((i) => [i.id, i.alarm, i.severity, i.alarmState, i.triggeredAtMs])).toEqual([
        [2, 'catalog-p99', 'SEV3', 'ALARM', down.timeMs],
        [1, 'gateway-5xx', 'SEV2', 'OK', T0],
      ]);
      expect(cp.events.list({ type: 'incident.note.added' })).toHaveLength(1);

      // AND a second restart processes nothing twice
      await cp.incidents.close();
      cp.db.close();
      cp = open();
      cp.incidents.start();
      expect(cp.incidents.service.list()).toHaveLength(2);
      expect(cp.events.list({ type: 'incident' }).map((e) => e.type)).toEqual(['incident.opened', 'incident.note.added', 'incident.opened']);
      await cp.incidents.close();
      cp.db.close();
    } finally {
      tmp.cleanup();
    }
  });
});

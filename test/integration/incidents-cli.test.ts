import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { createDora } from '../../src/dora/index.js';
import { createIncidents, incidentMigrations, type Incidents } from '../../src/incidents/index.js';
import { buildServer } from '../../src/server/index.js';
import { deploymentPayload } from '../support/event-payloads.js';
import { TEST_TOKEN } from '../support/server.js';
import { cliInProcess } from '../support/cli-in-process.js';

let db: Db;
let events: EventLog;
let incidents: Incidents;
let server: FastifyInstance;
let url: string;

beforeAll(async () => {
  db = openDatabase(':memory:', { migrations: [...eventMigrations, ...incidentMigrations] });
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  events = new EventLog(db, { clock });
  incidents = createIncidents({ db, events, clock });
  incidents.start();
  server = await buildServer({ events, token: TEST_TOKEN, routes: [incidents.routes, createDora({ events, clock }).routes], dashboardDir: null });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await incidents.close();
  await server.close();
  db.close();
});

const cli = (...args: string[]) => cliInProcess(url, ...args);

describe('slipway incidents / dora', () => {
  it('opens, acknowledges, notes, resolves and prints the postmortem; dora prints the windows', async () => {
    // GIVEN deployments of gateway in production and of catalog in staging, then an incident opened from the CLI
    events.append({ type: 'deployment.started', subject: 'deployment/7', data: deploymentPayload('deployment.started', { deploymentId: 7, service: 'gateway', environment: 'production' }) });
    events.append({ type: 'deployment.started', subject: 'deployment/8', data: deploymentPayload('deployment.started', { deploymentId: 8, service: 'catalog', environment: 'staging' }) });
    expect((await cli('incidents', 'open', 'checkout errors', '--service', 'gateway', '--environment', 'production', '--severity', 'SEV2')).out).toBe(
      'incident 1 is Triggered (SEV2): checkout errors\n',
    );
    // WHEN it is resolved too early THEN one line, exit 1
    expect(await cli('incidents', 'resolve', '1')).toMatchObject({ code: 1, err: 'slipway: cannot resolve incident 1: it is Triggered; acknowledge or mitigate it first\n' });
    // WHEN it goes through its lifecycle THEN each verb says where it is
    expect((await cli('incidents', 'ack', '1', '--by', 'alice')).out).toBe('incident 1 is Acknowledged (SEV2, alice): checkout errors\n');
    expect((await cli('incidents', 'note', '1', 'rolling back')).out).toBe('note added to incident 1\n');
    expect((await cli('incidents', 'resolve', '1')).out).toBe('incident 1 is Resolved (SEV2, alice): checkout errors\n');
    expect((await cli('incidents', 'item', 'add', '1', 'alarm on checkout errors', '--owner', 'bob', '--due', '2030-01-15')).out).toBe('incident 1 action item 1: [Open] alarm on checkout errors (bob, due 2030-01-15)\n');
    expect((await cli('incidents', 'item', 'set', '1', '1', '--owner', 'alice')).out).toBe('incident 1 action item 1: [Open] alarm on checkout errors (alice, due 2030-01-15)\n');
    expect(await cli('incidents', 'item', 'set', '1', '1', '--status', 'Finished')).toMatchObject({ code: 1, err: expect.stringContaining('body.status') });
    expect(await cli('incidents', 'item', 'add', '1', 'x', '--owner', 'bob', '--due', '2030-02-30')).toMatchObject({ code: 1, err: expect.stringContaining('no such date') });
    // THEN list, show and postmortem print it
    expect((await cli('incidents', 'list')).out).toMatch(/1\s+SEV2\s+Resolved\s+gateway\/production\s+checkout errors/);
    const shown = (await cli('incidents', 'show', '1')).out;
    expect(shown).toContain('note by user: rolling back');
    // AND show says when the postmortem is due, and the action items
    expect(shown).toMatch(/\n {2}postmortem {3}due \S+/);
    expect(shown).toContain('  action items\n    1. [Open] alarm on checkout errors (alice, due 2030-01-15)\n');
    // AND show names the likely cause and what else changed
    expect(shown).toContain('  likely cause deployment 7 of gateway in production (r1 → r2): deployment 7 of gateway in production was under way when the incident opened\n');
    expect(shown).toContain('  also changed\n    deployment 8 of catalog in staging (r1 → r2), 0s before the trigger (another environment)\n');
    const pm = await cli('incidents', 'postmortem', '1');
    expect(pm.out).toMatch(/^# Postmortem: incident 1 — checkout errors\n/);
    expect(pm.out).toContain('- Errors: not measured (no telemetry source is connected).');
    expect(JSON.parse((await cli('incidents', 'show', '1', '--json')).out)).toMatchObject({ id: 1, state: 'Resolved', notes: [{ text: 'rolling back' }] });
    // AND dora prints the three windows
    const dora = await cli('dora');
    expect(dora.code).toBe(0);
    expect(dora.out).toMatch(/^DORA for every service in production\nwindow\s+deploys\/day/);
    expect(dora.out).toMatch(/\n7d\s+-\s+-\s+-\s+-\n30d/);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { createIncidents, incidentMigrations, type Incidents } from '../../src/incidents/index.js';
import { buildServer } from '../../src/server/index.js';
import { resolveApp } from '../../src/shared/index.js';
import { oncallDefinition } from '../fixtures/configs/oncall-definition.js';
import { TEST_TOKEN } from '../support/server.js';
import { cliInProcess } from '../support/cli-in-process.js';

let db: Db;
let incidents: Incidents;
let server: FastifyInstance;
let url: string;

beforeAll(async () => {
  db = openDatabase(':memory:', { migrations: [...eventMigrations, ...incidentMigrations] });
  // Tuesday 2026-03-03 12:00 in Berlin: alice's week.
  const clock = new ManualClock(Date.UTC(2026, 2, 3, 11));
  const events = new EventLog(db, { clock });
  incidents = createIncidents({ db, events, clock, app: resolveApp(oncallDefinition('http://127.0.0.1:1/hook', 'http://127.0.0.1:1/carol')) });
  server = await buildServer({ events, token: TEST_TOKEN, routes: [incidents.routes], dashboardDir: null });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await incidents.close();
  await server.close();
  db.close();
});

const cli = (...args: string[]) => cliInProcess(url, ...args);

describe('slipway oncall now', () => {
  it('prints who is on call per schedule, until the next hand-off, and the policy per severity', async () => {
    // GIVEN alice's week WHEN asked now THEN a table row for primary, and the paging line
    const { code, out } = await cli('oncall', 'now');
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toMatch(/^primary\s+alice\s+2026-03-02T08:00Z\s+2026-03-09T08:00Z\s+layer 0\s+Europe\/Berlin$/);
    expect(out).toContain('paging: SEV1 → standard, SEV2 → standard');
  });

  it('answers for another instant, as JSON', async () => {
    // GIVEN the next Monday after 09:00 Berlin WHEN asked with --at --json THEN bob
    const { out } = await cli('oncall', '--at', '2026-03-09T08:30:00Z', '--json');
    expect(JSON.parse(out)).toMatchObject({ atMs: Date.UTC(2026, 2, 9, 8, 30), schedules: [{ schedule: 'primary', user: 'bob' }] });
  });

  it('refuses an instant it cannot read, in one line', async () => {
    // GIVEN a bad --at WHEN run THEN exit 1 with the field and the value
    const r = await cli('oncall', 'now', '--at', 'someday');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^slipway: .*query\.at.*"someday"/);
  });
});

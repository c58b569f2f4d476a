import type { FastifyInstance } from 'fastify';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../src/core/index.js';
import { buildServer, type BuildServerOptions } from '../../src/server/index.js';

/** The token test servers use. */
export const TEST_TOKEN = 'test-token-0123456789';

/** An API server over a fresh in-memory store, for `inject()` tests. */
export async function testServer(options: Partial<BuildServerOptions> = {}): Promise<{ app: FastifyInstance; db: Db; events: EventLog; clock: ManualClock; close: () => Promise<void> }> {
  const db = openDatabase(':memory:', { migrations: eventMigrations });
  const clock = new ManualClock();
  const events = new EventLog(db, { clock });
  const app = await buildServer({ events, token: TEST_TOKEN, ...options });
  return {
    app,
    db,
    events,
    clock,
    close: async () => {
      await app.close();
      db.close();
    },
  };
}

/** Headers of an authenticated request. */
export const auth = { authorization: `Bearer ${TEST_TOKEN}` };

import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, signalProcessGroup } from '../../src/core/index.js';

/**
 * Kills whatever a control plane in `dataDir` left running (tasks and router),
 * for test cleanup after a test that SIGKILLed the control plane.
 */
export function killDataPlane(dataDir: string): void {
  const router = path.join(dataDir, 'router', 'router.json');
  if (fs.existsSync(router)) signalProcessGroup((JSON.parse(fs.readFileSync(router, 'utf8')) as { pid: number }).pid, 'SIGKILL');
  const dbFile = path.join(dataDir, 'slipway.db');
  if (!fs.existsSync(dbFile)) return;
  const db = openDatabase(dbFile, { synchronous: 'NORMAL' });
  try {
    for (const { pgid } of db.prepare<[], { pgid: number | null }>("SELECT pgid FROM runtime_tasks WHERE state NOT IN ('Stopped', 'Failed')").all()) {
      if (pgid !== null) signalProcessGroup(pgid, 'SIGKILL');
    }
  } finally {
    db.close();
  }
}

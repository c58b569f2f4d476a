import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, signalProcessGroup } from '../../src/core/index.js';

/**
 * Kills whatever a control plane in `dataDir` left running (tasks, router and image registry),
 * for test cleanup after a test that SIGKILLed the control plane.
 */
export function killDataPlane(dataDir: string): void {
  const router = path.join(dataDir, 'router', 'router.json');
  if (fs.existsSync(router)) signalProcessGroup((JSON.parse(fs.readFileSync(router, 'utf8')) as { pid: number }).pid, 'SIGKILL');
  const registry = path.join(dataDir, 'registry', 'registry.json');
  if (fs.existsSync(registry)) {
    const { pid } = JSON.parse(fs.readFileSync(registry, 'utf8')) as { pid: number };
    // Only while that pid is still this data directory's registry (a stopped one's pid may be reused).
    const cmdline = fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    if (cmdline.includes(path.join(dataDir, 'registry'))) signalProcessGroup(pid, 'SIGKILL');
  }
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

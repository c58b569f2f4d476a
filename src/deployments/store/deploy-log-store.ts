import type { Db } from '../../core/index.js';

/** One line of a deployment's log (hook output, mostly). */
export interface DeployLogEntry {
  readonly seq: number;
  readonly timeMs: number;
  /** What wrote it, e.g. `hook:AfterInstall`. */
  readonly source: string;
  readonly text: string;
}

/** The `deploy_logs` table: output kept with each deployment. */
export class DeployLogStore {
  constructor(private readonly db: Db) {}

  /** Appends an entry to a deployment's log. */
  append(deploymentId: number, timeMs: number, source: string, text: string): void {
    this.db
      .prepare(
        `INSERT INTO deploy_logs (deployment_id, seq, time_ms, source, text)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM deploy_logs WHERE deployment_id = ?), ?, ?, ?)`,
      )
      .run(deploymentId, deploymentId, timeMs, source, text);
  }

  /** A deployment's log, oldest first. */
  list(deploymentId: number): DeployLogEntry[] {
    return this.db
      .prepare<[number], { seq: number; time_ms: number; source: string; text: string }>('SELECT seq, time_ms, source, text FROM deploy_logs WHERE deployment_id = ? ORDER BY seq')
      .all(deploymentId)
      .map((r) => ({ seq: r.seq, timeMs: r.time_ms, source: r.source, text: r.text }));
  }
}

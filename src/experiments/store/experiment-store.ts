import type { Db } from '../../core/index.js';
import type { ExperimentState, Verdict } from '../../shared/index.js';

/** The stored state of one experiment in one environment. */
export interface ExperimentRecord {
  readonly environment: string;
  readonly name: string;
  readonly state: ExperimentState;
  readonly startedAtMs: number;
  readonly endedAtMs: number | undefined;
  readonly reason: string | undefined;
  readonly verdict: Verdict;
  readonly winner: string | undefined;
}

interface Row {
  environment: string;
  name: string;
  state: string;
  started_at_ms: number;
  ended_at_ms: number | null;
  reason: string | null;
  verdict: string;
  winner: string | null;
}

const fromRow = (r: Row): ExperimentRecord => ({
  environment: r.environment,
  name: r.name,
  state: r.state as ExperimentState,
  startedAtMs: r.started_at_ms,
  endedAtMs: r.ended_at_ms ?? undefined,
  reason: r.reason ?? undefined,
  verdict: r.verdict as Verdict,
  winner: r.winner ?? undefined,
});

/** Reads and writes `experiment_state`. */
export class ExperimentStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Every stored experiment, by environment and name. */
  all(): ExperimentRecord[] {
    return this.#db.prepare<[], Row>('SELECT * FROM experiment_state ORDER BY environment, name').all().map(fromRow);
  }

  /** One experiment's state, or undefined. */
  tryGet(environment: string, name: string): ExperimentRecord | undefined {
    const row = this.#db.prepare<[string, string], Row>('SELECT * FROM experiment_state WHERE environment = ? AND name = ?').get(environment, name);
    return row === undefined ? undefined : fromRow(row);
  }

  /** Stores a new Running experiment unless one is stored. @returns whether it was new */
  start(environment: string, name: string, nowMs: number): boolean {
    return this.#db.prepare("INSERT INTO experiment_state (environment, name, state, started_at_ms) VALUES (?, ?, 'Running', ?) ON CONFLICT DO NOTHING").run(environment, name, nowMs).changes === 1;
  }

  /** Records the last verdict of a running experiment. */
  recordVerdict(environment: string, name: string, verdict: Verdict, winner: string | undefined): void {
    this.#db.prepare('UPDATE experiment_state SET verdict = ?, winner = ? WHERE environment = ? AND name = ?').run(verdict, winner ?? null, environment, name);
  }

  /**
   * Ends a running (or, for Stopped, a concluded) experiment.
   * @returns whether the row was in a state that could move (false when another writer moved it first)
   */
  end(environment: string, name: string, state: 'Stopped' | 'Concluded', reason: string, nowMs: number): boolean {
    const from = state === 'Stopped' ? "('Running', 'Concluded')" : "('Running')";
    return (
      this.#db
        .prepare(`UPDATE experiment_state SET state = ?, reason = ?, ended_at_ms = ? WHERE environment = ? AND name = ? AND state IN ${from}`)
        .run(state, reason, nowMs, environment, name).changes === 1
    );
  }
}

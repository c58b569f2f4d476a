import type { Db } from '../../core/index.js';
import type { AlarmState } from '../evaluation/index.js';
import type { AlarmHistoryEntry, AlarmHistoryType, AlarmKind, AlarmRecord } from './model.js';

interface StateRow {
  name: string;
  kind: string;
  state: string;
  reason: string;
  state_updated_at_ms: number;
  last_evaluated_at_ms: number | null;
  muted_until_ms: number | null;
  error: string | null;
}

interface HistoryRow {
  id: number;
  alarm: string;
  time_ms: number;
  type: string;
  old_state: string | null;
  new_state: string | null;
  summary: string;
  data: string;
}

/** A history entry to append. */
export interface NewHistoryEntry {
  readonly alarm: string;
  readonly timeMs: number;
  readonly type: AlarmHistoryType;
  readonly oldState?: AlarmState;
  readonly newState?: AlarmState;
  readonly summary: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

function toRecord(r: StateRow): AlarmRecord {
  return {
    name: r.name,
    kind: r.kind as AlarmKind,
    state: r.state as AlarmState,
    reason: r.reason,
    stateUpdatedAtMs: r.state_updated_at_ms,
    lastEvaluatedAtMs: r.last_evaluated_at_ms ?? undefined,
    mutedUntilMs: r.muted_until_ms ?? undefined,
    error: r.error ?? undefined,
  };
}

function toEntry(r: HistoryRow): AlarmHistoryEntry {
  return {
    id: r.id,
    alarm: r.alarm,
    timeMs: r.time_ms,
    type: r.type as AlarmHistoryType,
    oldState: (r.old_state ?? undefined) as AlarmState | undefined,
    newState: (r.new_state ?? undefined) as AlarmState | undefined,
    summary: r.summary,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

/** Alarm states and history in SQLite (tables of `alarmMigrations`); statements are prepared once. */
export class AlarmStore {
  readonly #db: Db;
  readonly #all;
  readonly #get;
  readonly #upsert;
  readonly #mute;
  readonly #history;
  readonly #append;

  constructor(db: Db) {
    this.#db = db;
    this.#all = db.prepare<[], StateRow>('SELECT * FROM alarm_state');
    this.#get = db.prepare<[string], StateRow>('SELECT * FROM alarm_state WHERE name = ?');
    this.#upsert = db.prepare<[string, string, string, string, number, number | null, number | null, string | null]>(
      `INSERT INTO alarm_state (name, kind, state, reason, state_updated_at_ms, last_evaluated_at_ms, muted_until_ms, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, state = excluded.state, reason = excluded.reason,
         state_updated_at_ms = excluded.state_updated_at_ms, last_evaluated_at_ms = excluded.last_evaluated_at_ms,
         muted_until_ms = excluded.muted_until_ms, error = excluded.error`,
    );
    this.#mute = db.prepare<[number | null, string]>('UPDATE alarm_state SET muted_until_ms = ? WHERE name = ?');
    this.#history = db.prepare<[string, number], HistoryRow>('SELECT * FROM alarm_history WHERE alarm = ? ORDER BY id DESC LIMIT ?');
    this.#append = db.prepare<[string, number, string, string | null, string | null, string, string]>(
      'INSERT INTO alarm_history (alarm, time_ms, type, old_state, new_state, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Every stored alarm record, by name. */
  all(): Map<string, AlarmRecord> {
    return new Map(this.#all.all().map((r) => [r.name, toRecord(r)]));
  }

  /** One alarm's record, if stored. */
  tryGet(name: string): AlarmRecord | undefined {
    const row = this.#get.get(name);
    return row === undefined ? undefined : toRecord(row);
  }

  /** Writes records and history entries in one transaction (one evaluation round is one commit). */
  write(records: readonly AlarmRecord[], entries: readonly NewHistoryEntry[]): void {
    this.#db
      .transaction(() => {
        for (const r of records) {
          this.#upsert.run(r.name, r.kind, r.state, r.reason, r.stateUpdatedAtMs, r.lastEvaluatedAtMs ?? null, r.mutedUntilMs ?? null, r.error ?? null);
        }
        for (const e of entries) {
          this.#append.run(e.alarm, e.timeMs, e.type, e.oldState ?? null, e.newState ?? null, e.summary, JSON.stringify(e.data ?? {}));
        }
      })
      .immediate();
  }

  /** Sets or clears (`undefined`) an alarm's mute window. */
  setMute(name: string, mutedUntilMs: number | undefined): void {
    this.#mute.run(mutedUntilMs ?? null, name);
  }

  /** An alarm's history, newest first. @param limit at most this many entries. @default 100 */
  history(name: string, limit = 100): AlarmHistoryEntry[] {
    return this.#history.all(name, limit).map(toEntry);
  }
}

import type { Clock, Db } from '../../core/index.js';
import type { PipelineLogLineDto } from '../../shared/index.js';

/** Where a stored line came from; `system` lines are the engine's own (attempts, retries, findings). */
export type LogStream = PipelineLogLineDto['stream'];

interface Pending {
  runId: number;
  actionId: number;
  timeMs: number;
  stream: LogStream;
  line: string;
}

/** Options of {@link LogStore}. */
export interface LogStoreOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** Longest a line waits in memory before it is written. @default 100 */
  readonly flushDelayMs?: number;
  /** Lines that trigger a write at once. @default 500 */
  readonly maxBufferedLines?: number;
  /** Called before writes; throws when the owning engine is closed. */
  readonly guard?: () => void;
  /** Masks secrets in each line before it is queued (the engine's `Redactor`). @default no masking */
  readonly mask?: (line: string) => string;
}

/** Filters of {@link LogStore.read}. */
export interface LogRead {
  readonly runId: number;
  readonly actionIds?: readonly number[];
  readonly afterSeq?: number;
  /** @default 1000 */
  readonly limit?: number;
}

/**
 * The `pipeline_logs` table: action output, one row per line. Process output
 * comes masked by its stream masker (secrets split across lines included);
 * `mask` masks every line again, so the engine's own lines are masked too.
 * Lines are buffered briefly and written in one transaction per batch, since
 * each commit is an fsync; `flush()` writes at once (the engine flushes when
 * an action ends). Readers can wait for the next batch of a run.
 */
export class LogStore {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #flushDelayMs: number;
  readonly #maxBuffered: number;
  readonly #guard: () => void;
  readonly #mask: (line: string) => string;
  #buffer: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #waiters = new Map<number, Set<() => void>>();

  constructor(options: LogStoreOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#flushDelayMs = options.flushDelayMs ?? 100;
    this.#maxBuffered = options.maxBufferedLines ?? 500;
    this.#guard = options.guard ?? (() => {});
    this.#mask = options.mask ?? ((line) => line);
  }

  /** Queues one line of an action. */
  append(runId: number, actionId: number, stream: LogStream, line: string): void {
    this.#buffer.push({ runId, actionId, timeMs: this.#clock.now(), stream, line: this.#mask(line) });
    if (this.#buffer.length >= this.#maxBuffered) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#flushDelayMs);
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    try {
      this.#guard();
    } catch {
      return;
    }
    const insert = this.#db.prepare('INSERT INTO pipeline_logs (run_id, action_id, time_ms, stream, line) VALUES (?, ?, ?, ?, ?)');
    this.#db.transaction(() => {
      for (const l of batch) insert.run(l.runId, l.actionId, l.timeMs, l.stream, l.line);
    })();
    for (const runId of new Set(batch.map((l) => l.runId))) {
      const waiters = this.#waiters.get(runId);
      this.#waiters.delete(runId);
      for (const w of waiters ?? []) w();
    }
  }

  /** Stored lines of a run, oldest first. */
  read(q: LogRead): { lines: { seq: number; actionId: number; timeMs: number; stream: LogStream; line: string }[]; nextAfter: number } {
    const args: number[] = [q.runId, q.afterSeq ?? 0];
    let actionClause = '';
    if (q.actionIds !== undefined) {
      if (q.actionIds.length === 0) return { lines: [], nextAfter: q.afterSeq ?? 0 };
      actionClause = `AND action_id IN (${q.actionIds.map(() => '?').join(', ')})`;
      args.push(...q.actionIds);
    }
    const rows = this.#db
      .prepare<number[], { seq: number; action_id: number; time_ms: number; stream: string; line: string }>(
        `SELECT seq, action_id, time_ms, stream, line FROM pipeline_logs WHERE run_id = ? AND seq > ? ${actionClause} ORDER BY seq LIMIT ?`,
      )
      .all(...args, q.limit ?? 1000);
    return {
      lines: rows.map((r) => ({ seq: r.seq, actionId: r.action_id, timeMs: r.time_ms, stream: r.stream as LogStream, line: r.line })),
      nextAfter: rows.length > 0 ? rows[rows.length - 1]!.seq : (q.afterSeq ?? 0),
    };
  }

  /** Resolves when the next batch of the run is written, or after `timeoutMs`. */
  waitForLines(runId: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.#waiters.get(runId) ?? new Set();
      this.#waiters.set(runId, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  /** Wakes every waiter (a run ended, the engine closes). */
  wakeAll(runId?: number): void {
    for (const [id, set] of this.#waiters) {
      if (runId !== undefined && id !== runId) continue;
      this.#waiters.delete(id);
      for (const w of set) w();
    }
  }
}

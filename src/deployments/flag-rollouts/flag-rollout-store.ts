import type { Db } from '../../core/index.js';
import { ConflictError, NotFoundError } from '../../shared/index.js';
import { isFlagRolloutTerminal, type FlagRollout } from './model.js';

/** Filter of {@link FlagRolloutStore.list}. */
export interface FlagRolloutFilter {
  readonly environment?: string;
  readonly key?: string;
  /** @default 50 */
  readonly limit?: number;
}

interface Row {
  body: string;
}

/**
 * Persistence of flag rollouts (`deploy_flag_rollouts`): one row each, the whole status as JSON
 * beside the queried columns; a partial unique index allows one active rollout per flag and
 * environment. Statements are prepared once: the alarm path reads the active ones.
 */
export class FlagRolloutStore {
  readonly #db: Db;
  readonly #insert;
  readonly #update;
  readonly #find;
  readonly #active;
  readonly #list;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare<[string, string, string, number, number], { id: number }>("INSERT INTO deploy_flag_rollouts (environment, key, state, active, created_at_ms, body) VALUES (?, ?, ?, ?, ?, '{}') RETURNING id");
    this.#update = db.prepare<[string, number, string, number]>('UPDATE deploy_flag_rollouts SET state = ?, active = ?, body = ? WHERE id = ?');
    this.#find = db.prepare<[number], Row>('SELECT body FROM deploy_flag_rollouts WHERE id = ?');
    this.#active = db.prepare<[], Row>('SELECT body FROM deploy_flag_rollouts WHERE active = 1 ORDER BY id');
    this.#list = db.prepare<[{ environment: string | null; key: string | null; limit: number }], Row>(
      'SELECT body FROM deploy_flag_rollouts WHERE (@environment IS NULL OR environment = @environment) AND (@key IS NULL OR key = @key) ORDER BY id DESC LIMIT @limit',
    );
  }

  /** Runs `fn` in one transaction (a rollout row and the flag's served share commit together). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  /**
   * Stores a new rollout and returns it with its id.
   * @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS` when the flag has an active rollout
   */
  insert(r: Omit<FlagRollout, 'id'>): FlagRollout {
    try {
      const { id } = this.#insert.get(r.environment, r.key, r.state, isFlagRolloutTerminal(r.state) ? 0 : 1, r.createdAtMs)!;
      const full: FlagRollout = { ...r, id };
      this.update(full);
      return full;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      const active = this.listActive().find((a) => a.environment === r.environment && a.key === r.key);
      throw new ConflictError('SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS', `flag ${JSON.stringify(r.key)} in ${JSON.stringify(r.environment)} is already being rolled out (rollout ${active?.id ?? '?'}, ${active?.state ?? 'in progress'}): promote, abort or wait for it first`, { cause: err });
    }
  }

  /** Rewrites a rollout's status. */
  update(r: FlagRollout): void {
    this.#update.run(r.state, isFlagRolloutTerminal(r.state) ? 0 : 1, JSON.stringify(r), r.id);
  }

  /** One rollout, or undefined. */
  tryFind(id: number): FlagRollout | undefined {
    const row = this.#find.get(id);
    return row && (JSON.parse(row.body) as FlagRollout);
  }

  /** One rollout. @throws {NotFoundError} `SLW_ERR_FLAG_ROLLOUT_NOT_FOUND` */
  get(id: number): FlagRollout {
    const r = this.tryFind(id);
    if (!r) throw new NotFoundError('SLW_ERR_FLAG_ROLLOUT_NOT_FOUND', `no flag rollout ${id} (see \`slipway flags rollouts\`)`);
    return r;
  }

  /** Every rollout not finished, oldest first. */
  listActive(): FlagRollout[] {
    return this.#active.all().map((r) => JSON.parse(r.body) as FlagRollout);
  }

  /** Rollouts, newest first. */
  list(filter: FlagRolloutFilter = {}): FlagRollout[] {
    return this.#list.all({ environment: filter.environment ?? null, key: filter.key ?? null, limit: filter.limit ?? 50 }).map((r) => JSON.parse(r.body) as FlagRollout);
  }
}

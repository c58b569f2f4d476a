import { systemClock, type Clock, type Db } from '../../core/index.js';
import { ConflictError, InputError, NotFoundError, type ResolvedApp, type ResolvedFlag } from '../../shared/index.js';
import { checkFlag } from './check-flag.js';
import { definitionJson, parseDefinition } from './definition.js';
import { FLAG_CHANGED, type FlagChangeKind, type FlagEventAppender, type FlagRef, type FlagVersion, type SeedReport, type ServedRollout, type StoredFlag } from './model.js';

interface StateRow {
  environment: string;
  key: string;
  version: number;
  enabled: number;
  definition: string;
  updated_at_ms: number;
  rollout: string | null;
}

/** The `rollout` column: the served part of a rollout in flight. */
interface RolloutColumn {
  readonly id: number;
  readonly percent: number;
  readonly definition: string;
}

interface VersionRow {
  environment: string;
  key: string;
  version: number;
  time_ms: number;
  change: string;
  enabled: number;
  definition: string;
  actor: string;
}

/** Options of {@link FlagStore}. */
export interface FlagStoreOptions {
  /** Where each change goes: the event log, as `flag.changed` (see {@link FlagEventAppender}). */
  readonly appendEvent: FlagEventAppender;
  /** Where change times come from. @default systemClock */
  readonly clock?: Clock;
}

/** Who makes a change. */
export interface ChangeOptions {
  /** Recorded with the version and in its event, e.g. a user name, `cli`, `deployment/42`. */
  readonly actor: string;
}

/** The actor of versions written by {@link FlagStore.seed}. */
export const APP_MODEL_ACTOR = 'app-model';

function toStored(r: StateRow): StoredFlag {
  const stored: StoredFlag = { environment: r.environment, flag: parseDefinition(r.key, r.definition), enabled: r.enabled === 1, version: r.version, updatedAtMs: r.updated_at_ms };
  if (r.rollout === null) return stored;
  const c = JSON.parse(r.rollout) as RolloutColumn;
  return { ...stored, rollout: { id: c.id, percent: c.percent, flag: parseDefinition(r.key, c.definition) } };
}

const flagIssues = (flag: ResolvedFlag): InputError | undefined => {
  const issues = checkFlag(flag);
  return issues.length === 0 ? undefined : new InputError('SLW_ERR_FLAG_INVALID', `flag ${JSON.stringify(flag.key)}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
};

function toVersion(r: VersionRow): FlagVersion {
  return { environment: r.environment, flag: parseDefinition(r.key, r.definition), enabled: r.enabled === 1, version: r.version, updatedAtMs: r.time_ms, change: r.change as FlagChangeKind, actor: r.actor };
}

/**
 * Each flag's current definition per environment, in SQLite (tables of `flagMigrations`). Every
 * change writes a new version (history) and a `flag.changed` event in the same transaction;
 * a write that changes nothing writes neither. Statements are prepared once.
 */
export class FlagStore {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #appendEvent: FlagEventAppender;
  readonly #list;
  readonly #all;
  readonly #get;
  readonly #upsert;
  readonly #insertVersion;
  readonly #history;
  readonly #setRollout;
  readonly #listeners = new Set<() => void>();

  constructor(db: Db, options: FlagStoreOptions) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.#appendEvent = options.appendEvent;
    this.#list = db.prepare<[string], StateRow>('SELECT * FROM flag_state WHERE environment = ? ORDER BY key');
    this.#all = db.prepare<[], StateRow>('SELECT * FROM flag_state ORDER BY environment, key');
    this.#get = db.prepare<[string, string], StateRow>('SELECT * FROM flag_state WHERE environment = ? AND key = ?');
    this.#upsert = db.prepare<[string, string, number, number, string, number]>(
      `INSERT INTO flag_state (environment, key, version, enabled, definition, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (environment, key) DO UPDATE SET version = excluded.version, enabled = excluded.enabled,
         definition = excluded.definition, updated_at_ms = excluded.updated_at_ms`,
    );
    this.#insertVersion = db.prepare<[string, string, number, number, string, number, string, string]>(
      'INSERT INTO flag_versions (environment, key, version, time_ms, change, enabled, definition, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#setRollout = db.prepare<[string | null, string, string]>('UPDATE flag_state SET rollout = ? WHERE environment = ? AND key = ?');
    this.#history = db.prepare<[string, string, number], VersionRow>('SELECT * FROM flag_versions WHERE environment = ? AND key = ? ORDER BY version DESC LIMIT ?');
  }

  /**
   * Calls `listener` after each change of any flag (once the write's transaction has ended, so a
   * read sees it). Returns the function that stops it.
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** The flags of an environment, by key. */
  list(environment: string): StoredFlag[] {
    return this.#list.all(environment).map(toStored);
  }

  /** Every stored flag, by environment then key. */
  all(): StoredFlag[] {
    return this.#all.all().map(toStored);
  }

  /** One flag of an environment, if stored. */
  tryGet(environment: string, key: string): StoredFlag | undefined {
    const row = this.#get.get(environment, key);
    return row === undefined ? undefined : toStored(row);
  }

  /** One flag of an environment. @throws {NotFoundError} when the environment has no such flag */
  get(environment: string, key: string): StoredFlag {
    const found = this.tryGet(environment, key);
    if (found === undefined) throw new NotFoundError('SLW_ERR_FLAG_NOT_FOUND', `environment ${JSON.stringify(environment)} has no flag ${JSON.stringify(key)}`);
    return found;
  }

  /** A flag's versions, newest first. */
  history(environment: string, key: string, limit = 100): FlagVersion[] {
    return this.#history.all(environment, key, Math.min(Math.max(1, limit), 10_000)).map(toVersion);
  }

  /**
   * Stores the app model's flags in each of its environments (each with that environment's
   * override merged in, `ResolvedApp.flagsByEnvironment`), in one transaction: a flag the
   * store does not have gets the model's definition (enabled, version 1, change `Seeded`); a flag
   * it has keeps its stored state, which may have been changed since (reported, with whether the
   * model now differs). Stored flags the model no longer declares are reported, not removed.
   */
  seed(app: ResolvedApp): SeedReport {
    const seeded: FlagRef[] = [];
    const kept: (FlagRef & { differsFromModel: boolean })[] = [];
    const notInModel: FlagRef[] = [];
    const environments = Object.keys(app.environments).sort();
    this.#db
      .transaction(() => {
        for (const environment of environments) {
          // The environment's definition: its override (`flags.<key>.environments.<env>`) merged in.
          const flags = app.flagsByEnvironment[environment] ?? app.flags;
          for (const key of Object.keys(flags).sort()) {
            const flag = flags[key]!;
            const stored = this.tryGet(environment, key);
            if (stored === undefined) {
              this.#write(environment, flag, true, 'Seeded', APP_MODEL_ACTOR, undefined);
              seeded.push({ environment, key, version: 1 });
            } else {
              kept.push({ environment, key, version: stored.version, differsFromModel: definitionJson(stored.flag) !== definitionJson(flag) });
            }
          }
        }
        for (const s of this.#all.all()) {
          if (!environments.includes(s.environment) || !Object.hasOwn(app.flags, s.key)) notInModel.push({ environment: s.environment, key: s.key, version: s.version });
        }
      })
      .immediate();
    return { seeded, kept, notInModel };
  }

  /**
   * Writes a flag's definition in an environment (`Created` when new, enabled; `Updated`
   * otherwise, keeping whether it is enabled). A definition equal to the stored one changes nothing.
   * @throws {InputError} `SLW_ERR_FLAG_INVALID` with one issue per problem of the definition
   */
  put(environment: string, flag: ResolvedFlag, options: ChangeOptions): StoredFlag {
    const invalid = flagIssues(flag);
    if (invalid) throw invalid;
    return this.#db
      .transaction(() => {
        const stored = this.tryGet(environment, flag.key);
        // A definition written under a rollout would change what its revert serves: one change at a time.
        if (stored?.rollout !== undefined) throw new ConflictError('SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS', `flag ${JSON.stringify(flag.key)} in ${JSON.stringify(environment)} is being rolled out (rollout ${stored.rollout.id}): promote or abort it first`);
        if (stored !== undefined && definitionJson(stored.flag) === definitionJson(flag)) return stored;
        return this.#write(environment, flag, stored?.enabled ?? true, stored === undefined ? 'Created' : 'Updated', options.actor, stored);
      })
      .immediate();
  }

  /**
   * Enables or disables a flag in an environment (a kill switch: disabled, it serves its default).
   * Setting what it already is changes nothing.
   * @throws {NotFoundError} when the environment has no such flag
   */
  setEnabled(environment: string, key: string, enabled: boolean, options: ChangeOptions): StoredFlag {
    return this.#db
      .transaction(() => {
        const stored = this.get(environment, key);
        if (stored.enabled === enabled) return stored;
        return this.#write(environment, stored.flag, enabled, enabled ? 'Enabled' : 'Disabled', options.actor, stored);
      })
      .immediate();
  }

  /**
   * Starts serving a rollout's definition to `percent` % of contexts beside the stored one, which
   * stays the flag's version (and what {@link revertRollout} serves again). No version is written.
   * @throws {NotFoundError} when the environment has no such flag
   * @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS` when another rollout is in flight
   * @throws {InputError} `SLW_ERR_FLAG_INVALID` when the definition is invalid
   */
  beginRollout(environment: string, rollout: ServedRollout): StoredFlag {
    const invalid = flagIssues(rollout.flag);
    if (invalid) throw invalid;
    return this.#db
      .transaction(() => {
        const stored = this.get(environment, rollout.flag.key);
        if (stored.rollout !== undefined && stored.rollout.id !== rollout.id) {
          throw new ConflictError('SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS', `flag ${JSON.stringify(rollout.flag.key)} in ${JSON.stringify(environment)} is already being rolled out (rollout ${stored.rollout.id})`);
        }
        return this.#serve(stored, rollout);
      })
      .immediate();
  }

  /**
   * Serves rollout `id`'s definition to `percent` % of contexts. Raising the share only adds
   * contexts: the rollout's buckets are sticky.
   * @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_STATE` when that rollout is not in flight on the flag
   */
  setRolloutPercent(environment: string, key: string, id: number, percent: number): StoredFlag {
    return this.#db
      .transaction(() => {
        const stored = this.#inFlight(environment, key, id);
        return stored.rollout.percent === percent ? stored : this.#serve(stored, { ...stored.rollout, percent });
      })
      .immediate();
  }

  /**
   * Ends rollout `id` by keeping its definition: a new version (`Updated`, with the rollout's id in
   * its `flag.changed`) served to everyone.
   * @throws {ConflictError} `SLW_ERR_FLAG_ROLLOUT_STATE` when that rollout is not in flight on the flag
   */
  completeRollout(environment: string, key: string, id: number, options: ChangeOptions): StoredFlag {
    return this.#db
      .transaction(() => {
        const stored = this.#inFlight(environment, key, id);
        this.#setRollout.run(null, environment, key);
        return this.#write(environment, stored.rollout.flag, stored.enabled, 'Updated', options.actor, stored, id);
      })
      .immediate();
  }

  /**
   * Ends rollout `id` by serving the stored definition to everyone again: one write, no new version
   * (the version served before the rollout never stopped being the flag's). Reverting a rollout that
   * is no longer in flight changes nothing.
   */
  revertRollout(environment: string, key: string, id: number): StoredFlag | undefined {
    return this.#db
      .transaction(() => {
        const stored = this.tryGet(environment, key);
        if (stored?.rollout?.id !== id) return stored;
        this.#setRollout.run(null, environment, key);
        this.#notify();
        const { rollout: _ended, ...rest } = stored;
        return rest;
      })
      .immediate();
  }

  #inFlight(environment: string, key: string, id: number): StoredFlag & { rollout: ServedRollout } {
    const stored = this.get(environment, key);
    if (stored.rollout?.id !== id) throw new ConflictError('SLW_ERR_FLAG_ROLLOUT_STATE', `rollout ${id} is not in flight on flag ${JSON.stringify(key)} in ${JSON.stringify(environment)}`);
    return stored as StoredFlag & { rollout: ServedRollout };
  }

  #serve(stored: StoredFlag, rollout: ServedRollout): StoredFlag {
    const column: RolloutColumn = { id: rollout.id, percent: rollout.percent, definition: definitionJson(rollout.flag) };
    this.#setRollout.run(JSON.stringify(column), stored.environment, stored.flag.key);
    this.#notify();
    return { ...stored, rollout: { id: rollout.id, percent: rollout.percent, flag: parseDefinition(stored.flag.key, column.definition) } };
  }

  // The transaction is synchronous: a microtask runs once it has committed.
  #notify(): void {
    if (this.#listeners.size > 0) queueMicrotask(() => this.#listeners.forEach((l) => l()));
  }

  // Runs inside the caller's transaction: state, version row and event commit (or roll back) together.
  #write(environment: string, flag: ResolvedFlag, enabled: boolean, change: FlagChangeKind, actor: string, previous: StoredFlag | undefined, rolloutId?: number): StoredFlag {
    const version = (previous?.version ?? 0) + 1;
    const nowMs = this.#clock.now();
    const json = definitionJson(flag);
    this.#upsert.run(environment, flag.key, version, enabled ? 1 : 0, json, nowMs);
    this.#insertVersion.run(environment, flag.key, version, nowMs, change, enabled ? 1 : 0, json, actor);
    this.#notify();
    this.#appendEvent({
      type: FLAG_CHANGED,
      subject: `flag/${environment}/${flag.key}`,
      data: {
        environment,
        key: flag.key,
        version,
        previousVersion: previous?.version ?? null,
        change,
        enabled,
        actor,
        definition: { defaultValue: flag.defaultValue, variants: flag.variants ?? null, rules: flag.rules },
        ...(rolloutId === undefined ? {} : { rolloutId }),
      },
    });
    const written: StoredFlag = { environment, flag: parseDefinition(flag.key, json), enabled, version, updatedAtMs: nowMs };
    return previous?.rollout === undefined || rolloutId !== undefined ? written : { ...written, rollout: previous.rollout };
  }
}

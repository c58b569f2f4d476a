import { systemClock, type Clock, type Db } from '../../core/index.js';
import { InputError, NotFoundError, type ResolvedApp, type ResolvedFlag } from '../../shared/index.js';
import { checkFlag } from './check-flag.js';
import { definitionJson, parseDefinition } from './definition.js';
import { FLAG_CHANGED, type FlagChangeKind, type FlagEventAppender, type FlagRef, type FlagVersion, type SeedReport, type StoredFlag } from './model.js';

interface StateRow {
  environment: string;
  key: string;
  version: number;
  enabled: number;
  definition: string;
  updated_at_ms: number;
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
  return { environment: r.environment, flag: parseDefinition(r.key, r.definition), enabled: r.enabled === 1, version: r.version, updatedAtMs: r.updated_at_ms };
}

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
    const issues = checkFlag(flag);
    if (issues.length > 0) {
      throw new InputError('SLW_ERR_FLAG_INVALID', `flag ${JSON.stringify(flag.key)}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
    }
    return this.#db
      .transaction(() => {
        const stored = this.tryGet(environment, flag.key);
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

  // Runs inside the caller's transaction: state, version row and event commit (or roll back) together.
  #write(environment: string, flag: ResolvedFlag, enabled: boolean, change: FlagChangeKind, actor: string, previous: StoredFlag | undefined): StoredFlag {
    const version = (previous?.version ?? 0) + 1;
    const nowMs = this.#clock.now();
    const json = definitionJson(flag);
    this.#upsert.run(environment, flag.key, version, enabled ? 1 : 0, json, nowMs);
    this.#insertVersion.run(environment, flag.key, version, nowMs, change, enabled ? 1 : 0, json, actor);
    // The transaction is synchronous: a microtask runs once it has committed.
    if (this.#listeners.size > 0) queueMicrotask(() => this.#listeners.forEach((l) => l()));
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
      },
    });
    return { environment, flag: parseDefinition(flag.key, json), enabled, version, updatedAtMs: nowMs };
  }
}

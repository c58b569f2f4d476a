import type { StoredFlag } from '../../store/model.js';
import type { FlagSource } from '../answer.js';

/**
 * A {@link FlagSource} over a snapshot of every environment's flags, replaced whole at each change:
 * what the OFREP worker answers from, off the control plane's database. Reads are map lookups.
 */
export class SnapshotFlagSource implements FlagSource {
  #byEnvironment = new Map<string, { readonly list: readonly StoredFlag[]; readonly byKey: ReadonlyMap<string, StoredFlag> }>();
  readonly #listeners = new Set<() => void>();

  /** @param flags every stored flag, by environment then key (as `FlagStore.all()` lists them) */
  constructor(flags: readonly StoredFlag[] = []) {
    this.replace(flags);
  }

  /** Serves `flags` from now on (every stored flag, by environment then key), and tells the listeners. */
  replace(flags: readonly StoredFlag[]): void {
    const next = new Map<string, { list: StoredFlag[]; byKey: Map<string, StoredFlag> }>();
    for (const f of flags) {
      let env = next.get(f.environment);
      if (env === undefined) next.set(f.environment, (env = { list: [], byKey: new Map() }));
      env.list.push(f);
      env.byKey.set(f.flag.key, f);
    }
    this.#byEnvironment = next;
    for (const l of [...this.#listeners]) l();
  }

  list(environment: string): readonly StoredFlag[] {
    return this.#byEnvironment.get(environment)?.list ?? [];
  }

  tryGet(environment: string, key: string): StoredFlag | undefined {
    return this.#byEnvironment.get(environment)?.byKey.get(key);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}

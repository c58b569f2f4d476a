import { silentLogger, type Logger } from '../../core/index.js';
import { UnavailableError } from '../../shared/index.js';
import { parseRoutingTable, type RouterClient, type RoutingTable } from '../../router/index.js';
import type { RevisionStore } from '../store/revision-store.js';
import type { RoutingStateStore } from '../store/routing-state-store.js';
import { buildRoutingTable, type EnvironmentRouting, type RoutableTask } from './routing-table.js';

/** Options of {@link TrafficController}. */
export interface TrafficControllerOptions {
  readonly router: RouterClient;
  readonly revisions: RevisionStore;
  readonly state: RoutingStateStore;
  /** The environments' listeners and service ports. */
  readonly environments: () => readonly EnvironmentRouting[];
  /** The tasks as the supervisor knows them now. */
  readonly tasks: () => readonly RoutableTask[];
  readonly logger?: Logger;
  /** Period of the safety-net sync. @default 500 */
  readonly intervalMs?: number;
}

/** What one sync did. */
export interface SyncResult {
  /** Whether a new table was pushed (false: the router already served this routing). */
  readonly pushed: boolean;
  readonly version: number;
}

/** What {@link TrafficController.syncWeights} did. */
export interface WeightsSyncResult extends SyncResult {
  /** True when only the service's weights were sent (`setWeights`), false after a whole table or nothing. */
  readonly weightsOnly: boolean;
}

/** The service of a weight change. */
interface WeightsScope {
  readonly environment: string;
  readonly service: string;
}

/**
 * Keeps the router's table equal to the desired routing: revisions and their
 * weights from the store, targets from the supervisor's tasks. Syncs are
 * serialized so versions only grow; a sync that would push the same routing
 * again does nothing. A sync runs on every task health change and stop (the
 * supervisor's hooks) and, as a safety net, on a timer.
 */
export class TrafficController {
  readonly #o: TrafficControllerOptions;
  readonly #logger: Logger;
  #chain: Promise<unknown> = Promise.resolve();
  #applied: { key: string; version: number; table: RoutingTable } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastError = '';

  constructor(options: TrafficControllerOptions) {
    this.#o = options;
    this.#logger = (options.logger ?? silentLogger).child('traffic');
  }

  /** Builds the desired table and pushes it when it differs from what the router serves. */
  sync(): Promise<SyncResult> {
    const run = this.#chain.then(async () => {
      const { pushed, version } = await this.#sync();
      return { pushed, version };
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /**
   * As {@link sync}, for a change of one service's weights: when the desired routing differs from
   * the applied table only in that service's weights, the router gets just those weights
   * (`setWeights`, no table compiled or written before it answers); any other difference (a task
   * started or stopped meanwhile, a shadow rule that ends with the weight) pushes the whole table.
   */
  syncWeights(environment: string, service: string): Promise<WeightsSyncResult> {
    const run = this.#chain.then(() => this.#sync({ environment, service }));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** The table last confirmed applied, if any. */
  applied(): RoutingTable | undefined {
    return this.#applied?.table;
  }

  /** Whether each of these task ids is a healthy target in the applied table. */
  routes(taskIds: readonly string[]): boolean {
    const table = this.#applied?.table;
    if (!table) return false;
    const healthy = new Set(table.services.flatMap((s) => s.targetGroups.flatMap((g) => g.targets.filter((t) => t.healthy).map((t) => t.id))));
    return taskIds.every((id) => healthy.has(id));
  }

  /** Starts the safety-net timer. */
  start(): void {
    this.#timer ??= setInterval(() => {
      this.sync().then(
        () => (this.#lastError = ''),
        (err: unknown) => {
          // Report a persisting failure once, not every half second; the next sync retries.
          const message = (err as Error).message;
          if (message !== this.#lastError) this.#logger.warn('routing sync failed', { error: message });
          this.#lastError = message;
        },
      );
    }, this.#o.intervalMs ?? 500);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a running sync. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#chain;
  }

  async #sync(scope?: WeightsScope): Promise<WeightsSyncResult> {
    if (this.#applied === undefined) {
      // A (re)started control plane first learns what the router serves, so it does not
      // push the same routing again and always moves the version forward.
      const { table, status } = await this.#o.router.table();
      const version = Math.max(status.version, this.#o.state.routerVersion());
      if (table) this.#applied = { key: routingKey(table), version, table };
      else this.#applied = { key: '', version, table: parseRoutingTable({ version: 0, listeners: [], services: [] }) };
    }
    const draft = parseRoutingTable(buildRoutingTable(0, this.#o.environments(), this.#o.revisions.list(), this.#o.tasks()));
    const key = routingKey(draft);
    if (key === this.#applied.key) return { pushed: false, version: this.#applied.version, weightsOnly: false };
    const weights = scope === undefined ? undefined : weightsOnlyChange(this.#applied.table, draft, scope, key);
    if (scope !== undefined && weights !== undefined) {
      try {
        // The router moves its own version up by one; taking it from the answer keeps the next whole table ahead of it.
        const { status } = await this.#o.router.setWeights({ ...scope, weights });
        this.#o.state.setRouterVersion(status.version);
        this.#applied = { key, version: status.version, table: { ...draft, version: status.version } };
        return { pushed: true, version: status.version, weightsOnly: true };
      } catch (err) {
        // A router that does not serve what this controller applied (it refused the weights) gets the whole table.
        if (err instanceof UnavailableError) throw err;
        this.#logger.warn('weight-only update refused; pushing the whole table', { error: (err as Error).message });
        const served = (await this.#o.router.table()).status.version;
        this.#applied = { ...this.#applied, version: Math.max(this.#applied.version, served) };
      }
    }
    const version = this.#applied.version + 1;
    await this.#o.router.applyTable({ ...draft, version });
    this.#o.state.setRouterVersion(version);
    this.#applied = { key, version, table: { ...draft, version } };
    return { pushed: true, version, weightsOnly: false };
  }
}

/**
 * The target-group weights of `scope` in `desired` when they are all that differs from `applied`
 * (same groups, same everything else), else undefined.
 */
function weightsOnlyChange(applied: RoutingTable, desired: RoutingTable, scope: WeightsScope, desiredKey: string): Record<string, number> | undefined {
  const wanted = desired.services.find((s) => s.environment === scope.environment && s.service === scope.service);
  if (wanted === undefined) return undefined;
  const weights = Object.fromEntries(wanted.targetGroups.map((g) => [g.id, g.weightPercent]));
  let found = false;
  const reweighted = {
    ...applied,
    services: applied.services.map((s) => {
      if (s.environment !== scope.environment || s.service !== scope.service) return s;
      found = true;
      return { ...s, targetGroups: s.targetGroups.map((g) => ({ ...g, weightPercent: weights[g.id] ?? g.weightPercent })) };
    }),
  };
  return found && routingKey(reweighted) === desiredKey ? weights : undefined;
}

/** The routing a table describes, without its version. */
function routingKey(table: RoutingTable): string {
  return JSON.stringify({ listeners: table.listeners, services: table.services });
}

import { SerialQueue, silentLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import { ConflictError } from '../shared/index.js';
import { AccessLog, type AccessLogPage } from './metrics/access-log.js';
import { MetricsRegistry } from './metrics/target-group-metrics.js';
import { snapshotMetrics, type RouterMetricsSnapshot } from './metrics/snapshot.js';
import { closeListener, openListener, type OpenListener } from './proxy/listener-server.js';
import { TargetRegistry, type UpstreamPoolOptions } from './proxy/upstream-target.js';
import type { Random } from './select/pick-target-group.js';
import { ShadowRegistry } from './shadow/shadow-recorder.js';
import type { ShadowReportDto } from '../shared/index.js';
import { appendWeights, clearWeightsJournal, loadTable, readRouterInfo, saveTable, writeRouterInfo } from './state/state-files.js';
import type { CompiledTable } from './table/compiled.js';
import { compileTable } from './table/compile-table.js';
import { parseRoutingTable } from './table/parse-table.js';
import { reweightTable } from './table/reweight-table.js';
import type { RoutingTable } from './table/schema.js';
import { effectiveWeights, withWeights, type EffectiveWeights, type SetWeightsRequest } from './table/weights.js';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** Where the last applied table and `router.json` are kept; without it nothing is persisted. */
  readonly stateDir?: string;
  /** Address listener ports bind to. @default '127.0.0.1' */
  readonly listenHost?: string;
  /** Time to wait for a target's response headers before answering 504, unless a service sets its own. @default 30000 */
  readonly upstreamTimeoutMs?: number;
  /** How long closing listeners and draining targets may take before connections are cut. @default 10000 */
  readonly drainTimeoutMs?: number;
  /** Requests the access log keeps for its reader (the control plane reads it every scrape). @default 20000 */
  readonly accessLogCapacity?: number;
  /**
   * How long after a weight-only change `table.json` and `router.json` are rewritten (the change
   * itself is journaled before `setWeights` answers; several changes in a row cost one rewrite).
   * @default 100
   */
  readonly persistDelayMs?: number;
  /** Window of the exact response-time percentiles of `metrics()`. @default 60000 */
  readonly metricsWindowMs?: number;
  /** Upstream connection pools. */
  readonly upstream?: UpstreamPoolOptions;
  /** Random source of weighted choices and mirroring. @default Math.random */
  readonly random?: Random;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** A listener of the table being served, with the port actually open. */
export interface ListenerStatus {
  readonly id: string;
  readonly kind: string;
  readonly environment: string;
  readonly service: string | undefined;
  readonly requestedPort: number;
  readonly port: number;
}

/** What the router serves now. */
export interface TableStatus {
  /** Version of the table being served; -1 when none. */
  readonly version: number;
  readonly listeners: readonly ListenerStatus[];
  /** Targets removed from the table whose in-flight requests are still finishing. */
  readonly drainingTargets: readonly { readonly id: string; readonly host: string; readonly port: number; readonly outstanding: number }[];
}

/** Result of applying a table or weights. */
export interface ApplyResult {
  /** False when the same table version was applied already (a no-op). */
  readonly applied: boolean;
  readonly status: TableStatus;
}

/** The data-plane router: listeners proxying to weighted target groups. */
export interface Router {
  /** Loads the persisted table (if any) and opens its listeners. */
  start(): Promise<TableStatus>;
  /** Validates and applies a whole table: same version again is a no-op, an older one a ConflictError (409). */
  applyTable(input: unknown): Promise<ApplyResult>;
  /**
   * Replaces one service's weights; the table version goes up by one. Weight-only: the served
   * table is not compiled again and no listener changes; the change is journaled (one appended
   * line) and live when this resolves, `table.json` is rewritten shortly after.
   */
  setWeights(request: SetWeightsRequest): Promise<ApplyResult>;
  /** The configured and effective weights of a service. */
  verifyWeights(environment: string, service: string): EffectiveWeights;
  /** The table being served, undefined before the first one. */
  table(): RoutingTable | undefined;
  status(): TableStatus;
  /** Cumulative metrics; percentiles over `windowMs` (default the router's `metricsWindowMs`). */
  metrics(windowMs?: number): RouterMetricsSnapshot;
  /** The access log after position `after` (0: from its oldest entry), at most `limit` entries. */
  accessLog(after: number, limit?: number): AccessLogPage;
  /** The report of shadow comparison `id` (a mirror rule's `compare.id`), while it runs and a while after; undefined when unknown. */
  shadowReport(id: string): ShadowReportDto | undefined;
  /** The shadow comparisons the router knows, and whether each is in the served table. */
  shadowReports(): readonly { readonly id: string; readonly active: boolean }[];
  /** Records the admin address for `router.json`. */
  setAdminAddress(host: string, port: number): void;
  /** Closes listeners (letting in-flight requests finish) and upstream pools. */
  close(): Promise<void>;
}

const EMPTY: CompiledTable = Object.freeze({ version: -1, listeners: new Map(), services: new Map() });

/** Creates a router; nothing listens until `start()` or `applyTable()`. */
export function createRouter(options: RouterOptions = {}): Router {
  const host = options.listenHost ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? silentLogger;
  const drainMs = options.drainTimeoutMs ?? 10_000;
  const windowMs = options.metricsWindowMs ?? 60_000;
  const metricsRegistry = new MetricsRegistry(() => clock.now());
  const targets = new TargetRegistry(options.upstream);
  const accessLog = new AccessLog(options.accessLogCapacity ?? 20_000, clock.now());
  const ctx = { random: options.random ?? Math.random, clock, accessLog };
  const startedAtMs = clock.now();
  const open = new Map<string, OpenListener>();
  const shadows = new ShadowRegistry();
  const compileContext = { targets, metrics: metricsRegistry, upstreamTimeoutMs: options.upstreamTimeoutMs ?? 30_000, shadows, nowMs: () => clock.now() };
  let compiled = EMPTY;
  let source: RoutingTable | undefined;
  let admin: { host: string; port: number } | undefined;
  let persistTimer: NodeJS.Timeout | undefined;
  const queue = new SerialQueue();
  const previousPorts = new Map<string, number>();
  if (options.stateDir !== undefined) {
    for (const l of readRouterInfo(options.stateDir)?.listeners ?? []) previousPorts.set(l.id, l.port);
  }

  const status = (): TableStatus => ({
    version: compiled.version,
    listeners: [...compiled.listeners.values()].map((l) => ({
      id: l.id,
      kind: l.kind,
      environment: l.environment,
      service: l.service?.service,
      requestedPort: l.port,
      port: open.get(l.id)?.port ?? -1,
    })),
    drainingTargets: targets.drainingTargets().map((t) => ({ id: t.id, host: t.host, port: t.port, outstanding: t.outstanding })),
  });

  const persistInfo = (): void => {
    if (options.stateDir === undefined) return;
    writeRouterInfo(options.stateDir, {
      pid: process.pid,
      adminHost: admin?.host ?? '',
      adminPort: admin?.port ?? -1,
      adminUrl: admin === undefined ? '' : `http://${admin.host}:${admin.port}`,
      startedAtMs,
      tableVersion: compiled.version,
      listeners: [...open.entries()].map(([id, l]) => ({ id, port: l.port })),
    });
  };

  // Writes the served table over the journaled weight changes. Synchronous from start to end, so no
  // change can be journaled between writing table.json and emptying the journal.
  const persistTable = (): void => {
    if (persistTimer !== undefined) clearTimeout(persistTimer);
    persistTimer = undefined;
    if (options.stateDir === undefined || source === undefined) return;
    saveTable(options.stateDir, source);
    clearWeightsJournal(options.stateDir);
    persistInfo();
  };
  const persistSoon = (): void => {
    if (options.stateDir === undefined || persistTimer !== undefined) return;
    persistTimer = setTimeout(() => {
      persistTimer = undefined;
      try {
        persistTable();
      } catch (err) {
        // The journal still holds the changes; the next table change or close writes them.
        log.error('persisting the routing table failed', { err });
      }
    }, options.persistDelayMs ?? 100);
    persistTimer.unref();
  };

  // One table change at a time: listeners open and close in table order.
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => queue.run(fn);

  const install = async (table: RoutingTable): Promise<void> => {
    const next = compileTable(table, compileContext);
    const opened: OpenListener[] = [];
    const replaced: OpenListener[] = [];
    try {
      for (const l of next.table.listeners.values()) {
        const current = open.get(l.id);
        if (current !== undefined && current.requestedPort === l.port) continue;
        if (current !== undefined) replaced.push(current);
        opened.push(await openListener(l, host, ctx, current?.port ?? previousPorts.get(l.id)));
      }
    } catch (err) {
      await Promise.all(opened.map((o) => closeListener(o, 0)));
      // Compiling the served table again restores health flags and host counts and
      // drops the targets created for the refused one; the served table object stays.
      targets.retainOnly(source === undefined ? new Set() : compileTable(source, compileContext).usedTargets);
      throw err;
    }
    // The swap: from here new requests see the new table; in-flight ones keep their objects.
    compiled = next.table;
    source = table;
    for (const o of opened) open.set(o.slot.current.id, o);
    const closing: OpenListener[] = [...replaced];
    for (const [id, o] of open) {
      const l = next.table.listeners.get(id);
      if (l === undefined) {
        open.delete(id);
        closing.push(o);
      } else {
        o.slot.current = l;
      }
    }
    targets.retainOnly(next.usedTargets);
    void Promise.all(closing.map((o) => closeListener(o, drainMs)));
    persistTable();
    log.info('routing table applied', { version: table.version, listeners: open.size });
  };

  const router: Router = {
    start: () =>
      serialized(async () => {
        const saved = options.stateDir === undefined ? undefined : loadTable(options.stateDir);
        if (saved !== undefined && compiled === EMPTY) await install(saved);
        persistInfo();
        return status();
      }),
    applyTable: (input) =>
      serialized(async () => {
        const table = parseRoutingTable(input);
        if (source !== undefined && table.version <= source.version) {
          if (table.version === source.version && JSON.stringify(table) === JSON.stringify(source)) return { applied: false, status: status() };
          throw new ConflictError(
            'SLW_ERR_ROUTER_VERSION_CONFLICT',
            `table version ${table.version} ${table.version === source.version ? 'differs from the applied table of the same version' : 'is older than'} ${source.version}`,
          );
        }
        await install(table);
        return { applied: true, status: status() };
      }),
    setWeights: (request) =>
      serialized(async () => {
        if (source === undefined) throw new ConflictError('SLW_ERR_ROUTER_VERSION_CONFLICT', 'no routing table applied yet');
        const table = withWeights(source, request);
        // Journaled first: once this answers, a restarted router comes back with these weights.
        if (options.stateDir !== undefined) appendWeights(options.stateDir, { ...request, version: table.version });
        compiled = reweightTable(compiled, request.environment, request.service, request.weights, table.version);
        source = table;
        for (const [id, o] of open) {
          const l = compiled.listeners.get(id);
          if (l !== undefined) o.slot.current = l;
        }
        persistSoon();
        log.info('weights set', { version: table.version, environment: request.environment, service: request.service, weights: request.weights });
        return { applied: true, status: status() };
      }),
    verifyWeights: (environment, service) => effectiveWeights(compiled, environment, service),
    table: () => source,
    status,
    metrics: (w) => snapshotMetrics(metricsRegistry, clock.now(), startedAtMs, w ?? windowMs),
    accessLog: (after, limit) => accessLog.read(after, limit),
    shadowReport: (id) => shadows.get(id)?.report(),
    shadowReports: () => shadows.list(),
    setAdminAddress: (h, p) => {
      admin = { host: h, port: p };
      persistInfo();
    },
    close: () =>
      serialized(async () => {
        try {
          persistTable();
        } catch (err) {
          log.error('persisting the routing table failed', { err });
        }
        const all = [...open.values()];
        open.clear();
        await Promise.all(all.map((o) => closeListener(o, drainMs)));
        await targets.close(drainMs);
      }),
  };
  return router;
}

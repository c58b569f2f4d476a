import { nextEvent, systemClock, type Clock, type EventLog } from '../core/index.js';
import { serviceSubject, type HealthCheckSpec } from './model.js';
import { SERVICE_DEPENDENCIES_HEALTHY, SERVICE_START_BLOCKED, SERVICE_START_DELAYED, type EventPayloads } from '../shared/index.js';

/** One service of an environment to bring up, with what it waits for. */
export interface StartUnit {
  readonly name: string;
  /** Services that must be Healthy before this one starts (names outside the list are ignored). */
  readonly dependsOn: readonly string[];
  /** Its health check: how long dependents wait for it is derived from it ({@link dependencyTimeoutMs}). */
  readonly health: HealthCheckSpec;
  /** It runs already (adopted, or started earlier): it is not started again, but dependents still wait for it to be Healthy. */
  readonly running: boolean;
}

/** Options of {@link startInDependencyOrder}. */
export interface StartInDependencyOrderOptions {
  readonly environment: string;
  /** Every service of the environment; the app model has already rejected cycles. */
  readonly services: readonly StartUnit[];
  /** Starts one service (resolves once its tasks are spawned, not when they are healthy). */
  start(service: string): Promise<void>;
  /** Whether a service has a Healthy task that its dependents can reach. */
  isHealthy(service: string): boolean;
  /** Where the waiting is recorded; its appends also wake the waiting (task health changes are events). */
  readonly events: EventLog;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Longest sleep between two looks at a dependency's health when no event arrives. @default 250 */
  readonly pollMs?: number;
}

/** What {@link startInDependencyOrder} did. */
export interface StartOrderResult {
  /** Services it started, in the order their starts completed. */
  readonly started: readonly string[];
  /** Services it did not start because a dependency was not Healthy in time (or failed to start). */
  readonly blocked: readonly { readonly service: string; readonly reason: string }[];
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The longest a dependent waits for a dependency to become Healthy: the time the
 * dependency's own health check gives a new task to prove itself — its grace period,
 * then as many checks as it may fail (`unhealthyThreshold`) plus as many as it must
 * pass (`healthyThreshold`), each up to one interval apart, plus one check's timeout.
 * The same budget docker compose's `service_healthy` gets from `start_period` and
 * `retries × interval`.
 */
export function dependencyTimeoutMs(health: HealthCheckSpec): number {
  return health.gracePeriodMs + (health.unhealthyThreshold + health.healthyThreshold) * health.intervalMs + health.timeoutMs;
}

/**
 * Brings up the services of one environment in dependency order, as docker compose's
 * `depends_on: { condition: service_healthy }` and ECS's container `dependsOn: HEALTHY`
 * do: a service starts only once every service it depends on is Healthy; services
 * that do not depend on each other start in parallel. A dependency that is not Healthy
 * within {@link dependencyTimeoutMs} of its start (or of the wait's start, when it was
 * already running) blocks its dependents: they are not started, and
 * `service.start.blocked` says which dependency and why. Events: `service.start.delayed`
 * when a service has to wait, `service.dependencies.healthy` when its wait is over
 * (its start follows). A failing `start` is rethrown once every other service has been
 * dealt with; its dependents are blocked.
 */
export async function startInDependencyOrder(o: StartInDependencyOrderOptions): Promise<StartOrderResult> {
  const clock = o.clock ?? systemClock;
  const units = new Map(o.services.map((s) => [s.name, s]));
  const brought = new Map<string, Promise<Outcome>>();
  const healthy = new Map<string, Promise<Outcome>>();
  const started: string[] = [];
  const blocked: { service: string; reason: string }[] = [];
  const startErrors: unknown[] = [];
  const append = <T extends typeof SERVICE_START_DELAYED | typeof SERVICE_START_BLOCKED | typeof SERVICE_DEPENDENCIES_HEALTHY>(type: T, service: string, data: Omit<EventPayloads[T], 'environment' | 'service'>) =>
    o.events.append({ type, subject: serviceSubject(o.environment, service), data: { environment: o.environment, service, ...data } as EventPayloads[T] });

  const untilHealthy = async (name: string): Promise<Outcome> => {
    const up = await bring(name);
    if (!up.ok) return { ok: false, reason: `${name} was not started (${up.reason})` };
    const unit = units.get(name)!;
    const timeoutMs = dependencyTimeoutMs(unit.health);
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      if (o.isHealthy(name)) return { ok: true };
      if (clock.now() >= deadline) return { ok: false, reason: `${name} was not Healthy within ${timeoutMs} ms (its health check's grace period plus ${unit.health.unhealthyThreshold + unit.health.healthyThreshold} checks)` };
      await nextEvent(o.events, () => true, Math.min(o.pollMs ?? 250, Math.max(1, deadline - clock.now())));
    }
  };
  const waitHealthy = (name: string): Promise<Outcome> => {
    let p = healthy.get(name);
    if (p === undefined) healthy.set(name, (p = untilHealthy(name)));
    return p;
  };

  const bringUp = async (unit: StartUnit): Promise<Outcome> => {
    // A service that runs already needs no start: its dependents only wait for it to be Healthy.
    if (unit.running) return { ok: true };
    const deps = unit.dependsOn.filter((d) => d !== unit.name && units.has(d));
    const pending = deps.filter((d) => !o.isHealthy(d));
    const t0 = clock.now();
    if (pending.length > 0) append(SERVICE_START_DELAYED, unit.name, { waitingFor: pending });
    const outcomes = await Promise.all(deps.map(async (d) => [d, await waitHealthy(d)] as const));
    const failed = outcomes.find(([, r]) => !r.ok);
    if (failed) {
      const reason = (failed[1] as { reason: string }).reason;
      append(SERVICE_START_BLOCKED, unit.name, { dependency: failed[0], reason, waitedMs: clock.now() - t0 });
      blocked.push({ service: unit.name, reason });
      return { ok: false, reason };
    }
    if (deps.length > 0) append(SERVICE_DEPENDENCIES_HEALTHY, unit.name, { dependsOn: deps, waitedMs: clock.now() - t0 });
    try {
      await o.start(unit.name);
    } catch (err) {
      startErrors.push(err);
      return { ok: false, reason: `its start failed: ${(err as Error).message}` };
    }
    started.push(unit.name);
    return { ok: true };
  };
  const bring = (name: string): Promise<Outcome> => {
    let p = brought.get(name);
    if (p === undefined) brought.set(name, (p = bringUp(units.get(name)!)));
    return p;
  };

  await Promise.all([...units.keys()].map((name) => bring(name)));
  if (startErrors.length > 0) throw startErrors[0];
  return { started, blocked };
}

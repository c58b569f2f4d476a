import { systemClock, type Clock, type EventLog, type Logger } from '../core/index.js';
import { InputError, isAutoscaled, servicesIn, type ResolvedService } from '../shared/index.js';
import { resourceId } from './desired-state.js';
import type { LiveModel } from './live-model.js';
import type { LiveSystem, ObservedService } from './ports.js';
import type { IacStore, Override } from './store/iac-store.js';

/** What kind of difference a drift is. */
export type DriftKind = 'traffic' | 'count' | 'task-set' | 'router' | 'secret';

/** One difference between the applied model and the running system. */
export interface Drift {
  readonly kind: DriftKind;
  readonly environment: string;
  readonly resourceId: string;
  readonly message: string;
  readonly expected: unknown;
  readonly actual: unknown;
  /** The override that covers it: reported, never healed, until it expires. */
  readonly override: Override | null;
  /** Whether self-heal can revert it (a secret older than the store's needs a deployment). */
  readonly healable: boolean;
}

/** Options of {@link DriftDetector}. */
export interface DriftDetectorOptions {
  readonly live: LiveModel;
  readonly system: LiveSystem;
  readonly store: IacStore;
  readonly events: EventLog;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Time between two detections. @default 10000 */
  readonly intervalMs?: number;
}

/** The default lifetime of an override. */
export const DEFAULT_OVERRIDE_MS = 60 * 60 * 1000;

const key = (d: Pick<Drift, 'kind' | 'resourceId'>) => `${d.kind} ${d.resourceId}`;

/**
 * Continuous drift detection, as Argo CD's: every interval, each environment's running system is
 * compared with its applied model. A new drift is an `iac.drift.detected` event; in an environment
 * with `selfHeal` it is reverted and recorded (`iac.drift.healed`), unless a recorded override
 * covers the resource (a rollback, an incident mitigation), which is left alone until it expires.
 */
export class DriftDetector {
  readonly #o: DriftDetectorOptions;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** Drifts reported, by environment, to append only what is new and what is gone. */
  readonly #reported = new Map<string, Set<string>>();
  #last: Drift[] = [];
  #lastAtMs: number | null = null;

  constructor(o: DriftDetectorOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
  }

  /** Starts the detection loop. */
  start(): void {
    const every = this.#o.intervalMs ?? 10_000;
    const tick = () => {
      this.#running = this.detect({ heal: true })
        .then(() => undefined)
        .catch((err: unknown) => this.#o.logger.error('drift detection failed', { error: (err as Error).message }))
        .finally(() => {
          this.#running = undefined;
          if (this.#timer !== undefined) this.#timer = setTimeout(tick, every);
        });
    };
    this.#timer = setTimeout(tick, every);
  }

  /** Stops the loop; resolves once a detection in progress is done. */
  async close(): Promise<void> {
    const t = this.#timer;
    this.#timer = undefined;
    if (t) clearTimeout(t);
    await this.#running;
  }

  /** The drifts the last detection found, and when it ran. */
  last(): { drifts: Drift[]; detectedAtMs: number | null } {
    return { drifts: this.#last, detectedAtMs: this.#lastAtMs };
  }

  /**
   * Compares every environment with its applied model now. With `heal`, environments with
   * `selfHeal` get their drifts reverted (overridden ones excepted).
   */
  async detect(options: { heal: boolean }): Promise<Drift[]> {
    const overrides = this.#liveOverrides();
    const all: Drift[] = [];
    for (const environment of this.#o.live.environments()) {
      const env = this.#o.live.view.environments[environment];
      if (!env) continue;
      const services = servicesIn(this.#o.live.view, environment);
      const observed = await this.#o.system.observe(environment);
      const drifts = observed.flatMap((s) => (services[s.name] ? driftsOf(environment, services[s.name]!, s) : []));
      const withOverrides = drifts.map((d) => ({ ...d, override: overrides.find((o) => o.environment === environment && (o.resourceId === d.resourceId || o.resourceId === resourceId.environment(environment))) ?? null }));
      this.#report(environment, withOverrides);
      if (options.heal && env.selfHeal) {
        for (const d of withOverrides) if (d.override === null && d.healable) await this.#heal(d);
      }
      all.push(...withOverrides);
    }
    this.#last = all;
    this.#lastAtMs = this.#clock.now();
    return all;
  }

  /** Records an override of a resource (`service/<env>/<name>`, or `env/<name>` for all of it). */
  recordOverride(input: { environment: string; resourceId?: string; reason: string; by: string; durationMs?: number }): Override {
    if (!this.#o.live.view.environments[input.environment]) {
      throw new InputError('SLW_ERR_IAC_OVERRIDE_INVALID', `environment: no environment "${input.environment}"`, { issues: [{ path: 'environment', message: 'unknown environment' }] });
    }
    const id = input.resourceId ?? resourceId.environment(input.environment);
    if (!(id === resourceId.environment(input.environment) || id.startsWith(`service/${input.environment}/`))) {
      throw new InputError('SLW_ERR_IAC_OVERRIDE_INVALID', `resourceId: "${id}" is not env/${input.environment} or a service of it`, { issues: [{ path: 'resourceId', message: 'expected env/<env> or service/<env>/<name>' }] });
    }
    const now = this.#clock.now();
    const o = this.#o.store.insertOverride({ environment: input.environment, resourceId: id, reason: input.reason, by: input.by, createdAtMs: now, expiresAtMs: now + (input.durationMs ?? DEFAULT_OVERRIDE_MS) });
    this.#o.events.append({ type: 'iac.override.recorded', subject: `iac-drift/${o.environment}`, data: { overrideId: o.id, environment: o.environment, resourceId: o.resourceId, reason: o.reason, by: o.by, expiresAt: new Date(o.expiresAtMs).toISOString() } });
    return o;
  }

  /** Ends an override before it expires. */
  clearOverride(id: number): Override | undefined {
    const o = this.#o.store.endOverride(id, this.#clock.now());
    if (o) this.#o.events.append({ type: 'iac.override.ended', subject: `iac-drift/${o.environment}`, data: { overrideId: o.id, environment: o.environment, resourceId: o.resourceId, how: 'cleared' } });
    return o;
  }

  /** Open overrides, after ending the expired ones (`iac.override.ended`). */
  overrides(): Override[] {
    return this.#liveOverrides();
  }

  #liveOverrides(): Override[] {
    const now = this.#clock.now();
    const open = this.#o.store.openOverrides();
    for (const o of open.filter((x) => x.expiresAtMs <= now)) {
      this.#o.store.endOverride(o.id, now);
      this.#o.events.append({ type: 'iac.override.ended', subject: `iac-drift/${o.environment}`, data: { overrideId: o.id, environment: o.environment, resourceId: o.resourceId, how: 'expired' } });
    }
    return open.filter((x) => x.expiresAtMs > now);
  }

  #report(environment: string, drifts: readonly Drift[]): void {
    const before = this.#reported.get(environment) ?? new Set<string>();
    const now = new Set(drifts.map(key));
    const added = drifts.filter((d) => !before.has(key(d)));
    if (added.length > 0) {
      this.#o.events.append({ type: 'iac.drift.detected', subject: `iac-drift/${environment}`, data: { environment, drifts: added.map((d) => ({ kind: d.kind, resourceId: d.resourceId, message: d.message, expected: d.expected, actual: d.actual })) } });
    }
    for (const k of before) {
      if (now.has(k)) continue;
      const [kind, id] = k.split(' ');
      this.#o.events.append({ type: 'iac.drift.resolved', subject: `iac-drift/${environment}`, data: { environment, kind: kind!, resourceId: id! } });
    }
    this.#reported.set(environment, now);
  }

  async #heal(d: Drift): Promise<void> {
    const [, environment, service] = d.resourceId.split('/') as [string, string, string];
    let action: string;
    try {
      switch (d.kind) {
        case 'traffic': {
          const weights = d.expected as Record<string, number>;
          await this.#o.system.setWeights(environment, service, weights);
          action = `weights set back to ${Object.entries(weights).map(([r, w]) => `${r} ${w}%`).join(', ')}`;
          break;
        }
        case 'count': {
          const { revision, desiredCount } = d.expected as { revision: string; desiredCount: number };
          await this.#o.system.scale(environment, service, revision, desiredCount);
          action = `${revision} scaled back to ${desiredCount}`;
          break;
        }
        case 'task-set': {
          const { revision } = d.actual as { revision: string };
          await this.#o.system.stopRevision(environment, service, revision);
          action = `${revision} stopped`;
          break;
        }
        case 'router':
          await this.#o.system.refreshRouting();
          action = 'routing table pushed again';
          break;
        default:
          return;
      }
    } catch (err) {
      this.#o.logger.warn('self-heal failed', { drift: d.message, error: (err as Error).message });
      return;
    }
    this.#o.events.append({ type: 'iac.drift.healed', subject: `iac-drift/${environment}`, data: { environment, drift: { kind: d.kind, resourceId: d.resourceId, message: d.message, expected: d.expected, actual: d.actual }, action } });
  }
}

/** The drifts of one service: what its applied definition and its last deployment say against what runs. */
export function driftsOf(environment: string, def: ResolvedService, s: ObservedService): Omit<Drift, 'override'>[] {
  if (s.deploying) return [];
  const id = resourceId.service(environment, s.name);
  const out: Omit<Drift, 'override'>[] = [];
  const weighted = s.revisions.filter((r) => r.weightPercent > 0);
  const expected = s.expectedRevision;
  if (expected !== null && s.revisions.some((r) => r.revision === expected) && !(weighted.length === 1 && weighted[0]!.revision === expected)) {
    out.push({
      kind: 'traffic',
      environment,
      resourceId: id,
      message: `${s.name} in ${environment} serves ${weighted.map((r) => `${r.revision} ${r.weightPercent}%`).join(', ') || 'nothing'}; its last deployment left ${expected} at 100%`,
      expected: { [expected]: 100 },
      actual: Object.fromEntries(weighted.map((r) => [r.revision, r.weightPercent])),
      healable: true,
    });
  }
  const serving = weighted.length === 1 ? weighted[0]! : undefined;
  if (serving) {
    // Scheduled actions move the range at run time (the autoscaler keeps where): any range they can set is not drift.
    const schedules = def.scaling.schedules ?? [];
    const min = Math.min(def.scaling.min, ...schedules.map((x) => x.minTasks ?? def.scaling.min));
    const max = Math.max(def.scaling.max, ...schedules.map((x) => Math.max(x.maxTasks ?? 0, x.minTasks ?? 0)));
    const tracks = isAutoscaled(def.scaling);
    // With autoscaling the autoscaler owns the count inside the range; without, the count is the minimum.
    const want = tracks ? Math.min(Math.max(serving.desiredCount, min), max) : min;
    if (serving.desiredCount !== want) {
      out.push({
        kind: 'count',
        environment,
        resourceId: id,
        message: `${s.name} in ${environment} runs ${serving.desiredCount} task(s) of ${serving.revision}; the model says ${tracks ? `${min} to ${max}` : String(min)}`,
        expected: { revision: serving.revision, desiredCount: want },
        actual: { revision: serving.revision, desiredCount: serving.desiredCount },
        healable: true,
      });
    }
    for (const [name, version] of Object.entries(s.currentSecrets)) {
      const pinned = serving.secrets[name];
      if (pinned !== undefined && pinned < version) {
        out.push({ kind: 'secret', environment, resourceId: id, message: `${s.name} in ${environment} runs secret ${name} version ${pinned}; the store has version ${version} (a deployment rotates it)`, expected: { [name]: version }, actual: { [name]: pinned }, healable: false });
      }
    }
  }
  for (const r of s.revisions) {
    if (r.weightPercent > 0 || r.desiredCount === 0 || r.revision === expected) continue;
    if (weighted.length === 0) continue;
    out.push({ kind: 'task-set', environment, resourceId: id, message: `${s.name} in ${environment} keeps ${r.desiredCount} task(s) of ${r.revision}, which serves nothing`, expected: null, actual: { revision: r.revision, desiredCount: r.desiredCount }, healable: true });
  }
  if (s.routerMismatch !== null) {
    out.push({ kind: 'router', environment, resourceId: id, message: `the router serves ${s.name} in ${environment} with other weights than slipway set`, expected: Object.fromEntries(weighted.map((r) => [r.revision, r.weightPercent])), actual: s.routerMismatch, healable: true });
  }
  return out;
}

import type { Db } from '../../core/index.js';

/** A service's task range as its scheduled actions last set it (per environment). */
export interface ScheduledBounds {
  /** Set by the last scheduled action that gave a minimum; undefined: the model's `min`. */
  readonly minTasks: number | undefined;
  /** Likewise for the maximum. */
  readonly maxTasks: number | undefined;
  /** The scheduled action that last changed the range, if any. */
  readonly schedule: string | undefined;
  readonly changedAtMs: number | undefined;
  /** Runs up to this time have been applied; later ones are still to come. */
  readonly checkedAtMs: number;
}

/** What the Autoscaler remembers across restarts: scheduled ranges and when each policy last scaled. */
export interface ScalingStateStore {
  bounds(environment: string, service: string): ScheduledBounds | undefined;
  setBounds(environment: string, service: string, bounds: ScheduledBounds): void;
  /** When the policy (an alarm action on a service) last scaled; undefined when never. */
  lastActivity(policy: string): number | undefined;
  recordActivity(policy: string, atMs: number): void;
}

interface BoundsRow {
  min_tasks: number | null;
  max_tasks: number | null;
  schedule: string | null;
  changed_at_ms: number | null;
  checked_at_ms: number;
}

/** The store in `runtime_scaling_bounds` and `runtime_scaling_activity`. */
export function sqliteScalingState(db: Db): ScalingStateStore {
  return {
    bounds(environment, service) {
      const r = db.prepare<[string, string], BoundsRow>('SELECT min_tasks, max_tasks, schedule, changed_at_ms, checked_at_ms FROM runtime_scaling_bounds WHERE environment = ? AND service = ?').get(environment, service);
      return r === undefined ? undefined : { minTasks: r.min_tasks ?? undefined, maxTasks: r.max_tasks ?? undefined, schedule: r.schedule ?? undefined, changedAtMs: r.changed_at_ms ?? undefined, checkedAtMs: r.checked_at_ms };
    },
    setBounds(environment, service, b) {
      db.prepare(
        `INSERT INTO runtime_scaling_bounds (environment, service, min_tasks, max_tasks, schedule, changed_at_ms, checked_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (environment, service) DO UPDATE SET min_tasks = excluded.min_tasks, max_tasks = excluded.max_tasks, schedule = excluded.schedule,
           changed_at_ms = excluded.changed_at_ms, checked_at_ms = excluded.checked_at_ms`,
      ).run(environment, service, b.minTasks ?? null, b.maxTasks ?? null, b.schedule ?? null, b.changedAtMs ?? null, b.checkedAtMs);
    },
    lastActivity(policy) {
      return db.prepare<[string], { at_ms: number }>('SELECT at_ms FROM runtime_scaling_activity WHERE policy = ?').get(policy)?.at_ms;
    },
    recordActivity(policy, atMs) {
      db.prepare('INSERT INTO runtime_scaling_activity (policy, at_ms) VALUES (?, ?) ON CONFLICT (policy) DO UPDATE SET at_ms = excluded.at_ms').run(policy, atMs);
    },
  };
}

/** The same in memory, for an Autoscaler without a database (it forgets on restart). */
export function memoryScalingState(): ScalingStateStore {
  const bounds = new Map<string, ScheduledBounds>();
  const activity = new Map<string, number>();
  return {
    bounds: (e, s) => bounds.get(JSON.stringify([e, s])),
    setBounds: (e, s, b) => void bounds.set(JSON.stringify([e, s]), b),
    lastActivity: (p) => activity.get(p),
    recordActivity: (p, t) => void activity.set(p, t),
  };
}

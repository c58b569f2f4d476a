import type { SlipwayEvent } from '../../core/index.js';
import type { ChangeKind } from '../../shared/index.js';
import { deploymentIdOf, str } from '../event-fields.js';
import { collectFlagChanges } from './flag-change.js';

export type { ChangeKind };

/** Where a deployment stood at one moment: its step and its traffic weights (revision → percent). */
export interface DeploymentSample {
  readonly timeMs: number;
  /** Zero-based index of the plan step it was on. */
  readonly stepIndex: number | null;
  /** Number of steps of its plan, when known. */
  readonly steps: number | null;
  readonly weights: Readonly<Record<string, number>> | null;
}

/** A deployment, as its `deployment.*` events in the log tell it. */
export interface DeploymentChange {
  readonly kind: Extract<ChangeKind, 'deployment'>;
  /** The event subject it is known by: `deployment/<id>`. */
  readonly ref: string;
  readonly deploymentId: number;
  readonly service: string;
  readonly environment: string;
  readonly fromRevision: string | null;
  readonly toRevision: string | null;
  /** The strategy, from `deployment.started` (`Canary`, `AllAtOnce`, …). */
  readonly strategy: string | null;
  /** Its first event (`deployment.created` or `deployment.started`). */
  readonly startedAtMs: number;
  /** The first traffic shift that sent requests to the new revision. */
  readonly firstShiftAtMs: number | null;
  /** When it ended (succeeded, rolled back, failed, stopped); null while in flight. */
  readonly endedAtMs: number | null;
  /** Its last `deployment.*` event type, e.g. `deployment.rolled_back`. */
  readonly lastType: string;
  /** Alarms named by its `deployment.rollback.started` (the alarms that rolled it back). */
  readonly rolledBackBy: readonly string[];
  readonly rollbackStartedAtMs: number | null;
  /** When traffic was back on the old revision (the rollback's traffic shift, else its completion). */
  readonly restoredAtMs: number | null;
  /** Its step and weights after each event, oldest first. */
  readonly samples: readonly DeploymentSample[];
}

/**
 * A flag change, as its events tell it: a flag rollout (`flag.rollout.*`, subject `flag-rollout/<id>`),
 * or a change applied at once (`flag.changed` of an update, an enable or a disable; not seeding, and
 * not the version a rollout writes when it succeeds, which is part of that rollout).
 */
export interface FlagChange {
  readonly kind: Extract<ChangeKind, 'flag'>;
  /** `flag-rollout/<id>`, or `flag/<environment>/<key>@<version>` for a change applied at once. */
  readonly ref: string;
  /** The rollout's id; null for a change applied at once. */
  readonly rolloutId: number | null;
  readonly key: string;
  readonly environment: string;
  /** Who made it. */
  readonly actor: string;
  /** The version served before. */
  readonly fromVersion: number | null;
  /** The version it wrote (a rollout: when it succeeded); null otherwise. */
  readonly toVersion: number | null;
  /** A rollout's strategy (`Canary`, `AllAtOnce`, …); null for a change applied at once. */
  readonly strategy: string | null;
  readonly startedAtMs: number;
  /** When contexts were first served the new definition. */
  readonly firstShiftAtMs: number | null;
  readonly endedAtMs: number | null;
  readonly lastType: string;
  /** Alarms named by its `flag.rollout.rolled_back` (the alarms that reverted it). */
  readonly rolledBackBy: readonly string[];
  readonly rollbackStartedAtMs: number | null;
  /** When the previous definition was served again. */
  readonly restoredAtMs: number | null;
  /** Its step and share after each event (`weights`: `{ "new definition": percent }`). */
  readonly samples: readonly DeploymentSample[];
}

/** A change to what serves traffic: the candidates for an incident's cause, each with its `kind`. */
export type Change = DeploymentChange | FlagChange;

/** The service a change is of; null for a flag change (flags belong to an environment, not a service). */
export function serviceOf(c: Change): string | null {
  return c.kind === 'deployment' ? c.service : null;
}

/** Its deployment id; null for a flag change. */
export function deploymentIdOfChange(c: Change): number | null {
  return c.kind === 'deployment' ? c.deploymentId : null;
}

/** A short name: `deployment 14`, `flag rollout 3`, `the change of flag newCheckout`. */
export function changeName(c: Change): string {
  if (c.kind === 'deployment') return `deployment ${c.deploymentId}`;
  return c.rolloutId === null ? `the change of flag ${c.key}` : `flag rollout ${c.rolloutId}`;
}

const ENDED = new Set(['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed', 'deployment.stopped']);

type Draft = { -readonly [K in keyof DeploymentChange]: DeploymentChange[K] };

/**
 * Gathers the changes the events tell of (pure), oldest first: deployments ({@link collectDeployments})
 * and flag changes ({@link collectFlagChanges}).
 */
export function collectChanges(events: readonly SlipwayEvent[]): Change[] {
  return [...collectDeployments(events), ...collectFlagChanges(events)].sort((a, b) => a.startedAtMs - b.startedAtMs || a.ref.localeCompare(b.ref));
}

/**
 * Gathers the deployments the events tell of (pure), oldest first. Rollback deployments are left out: they
 * undo a change, they are not one.
 */
export function collectDeployments(events: readonly SlipwayEvent[]): DeploymentChange[] {
  const byId = new Map<number, Draft>();
  const rollbacks = new Set<number>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (!e.type.startsWith('deployment.')) continue;
    const id = deploymentIdOf(e);
    if (id === undefined) continue;
    if (e.data.kind === 'Rollback') rollbacks.add(id);
    let d = byId.get(id);
    if (d === undefined) {
      const service = str(e, 'service');
      const environment = str(e, 'environment');
      if (service === undefined || environment === undefined) continue;
      d = { kind: 'deployment', ref: `deployment/${id}`, deploymentId: id, service, environment, fromRevision: null, toRevision: null, strategy: null, startedAtMs: e.timeMs, firstShiftAtMs: null, endedAtMs: null, lastType: e.type, rolledBackBy: [], rollbackStartedAtMs: null, restoredAtMs: null, samples: [] };
      byId.set(id, d);
    }
    observe(d, e);
  }
  return [...byId.values()].filter((d) => !rollbacks.has(d.deploymentId)).sort((a, b) => a.startedAtMs - b.startedAtMs || a.deploymentId - b.deploymentId);
}

function observe(d: Draft, e: SlipwayEvent): void {
  d.lastType = e.type;
  d.fromRevision = str(e, 'fromRevision') ?? d.fromRevision;
  d.toRevision = str(e, 'toRevision') ?? d.toRevision;
  if (e.type === 'deployment.started') d.strategy = str(e, 'strategy') ?? d.strategy;
  const weights = weightsOf(e.data.to) ?? weightsOf(e.data.weights);
  const plan = Array.isArray(e.data.plan) ? e.data.plan.length : (d.samples.at(-1)?.steps ?? null);
  d.samples = [...d.samples, { timeMs: e.timeMs, stepIndex: typeof e.data.stepIndex === 'number' ? e.data.stepIndex : null, steps: plan, weights }];
  const rollingBack = d.rollbackStartedAtMs !== null;
  if (e.type === 'deployment.traffic.shifted' && !rollingBack && d.firstShiftAtMs === null && d.toRevision !== null && (weightsOf(e.data.to)?.[d.toRevision] ?? 0) > 0) d.firstShiftAtMs = e.timeMs;
  if (e.type === 'deployment.rollback.started') {
    d.rollbackStartedAtMs = e.timeMs;
    const alarms = e.data.alarms;
    if (Array.isArray(alarms)) d.rolledBackBy = alarms.filter((a): a is string => typeof a === 'string');
  }
  if (e.type === 'deployment.traffic.shifted' && rollingBack && d.restoredAtMs === null) {
    d.restoredAtMs = typeof e.data.trafficRestoredAtMs === 'number' ? e.data.trafficRestoredAtMs : e.timeMs;
  }
  if (ENDED.has(e.type)) {
    d.endedAtMs = e.timeMs;
    if (e.type === 'deployment.rolled_back') d.restoredAtMs ??= e.timeMs;
  }
}

/** Where `d` stood at `atMs`: its last sample at or before then, else its first. */
export function sampleAt(d: Change, atMs: number): DeploymentSample | undefined {
  let found = d.samples[0];
  for (const s of d.samples) if (s.timeMs <= atMs) found = s;
  return found;
}

/** Whether `d` was under way at `atMs` (started, not ended). */
export function inFlightAt(d: Change, atMs: number): boolean {
  return d.startedAtMs <= atMs && (d.endedAtMs === null || d.endedAtMs >= atMs);
}

/** One line naming a change: `deployment 14 of payments in production (abc → def)`, `flag rollout 3 of flag newCheckout in production (version 2 → a new definition, by ana)`. */
export function describeChange(c: Change): string {
  if (c.kind === 'deployment') return `deployment ${c.deploymentId} of ${c.service} in ${c.environment} (${c.fromRevision ?? '∅'} → ${c.toRevision ?? '?'})`;
  const to = c.toVersion === null ? 'a new definition' : `version ${c.toVersion}`;
  return `${c.rolloutId === null ? 'a change' : `flag rollout ${c.rolloutId}`} of flag ${c.key} in ${c.environment} (version ${c.fromVersion ?? '∅'} → ${to}, by ${c.actor})`;
}

function weightsOf(v: unknown): Record<string, number> | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v as Record<string, unknown>)) if (typeof n === 'number') out[k] = n;
  return out;
}

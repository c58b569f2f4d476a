import type { SlipwayEvent } from '../../core/index.js';
import { str } from '../event-fields.js';
import type { DeploymentSample, FlagChange } from './change.js';

type Draft = { -readonly [K in keyof FlagChange]: FlagChange[K] };

const NEW = 'new definition';
const ENDED = new Set(['flag.rollout.succeeded', 'flag.rollout.rolled_back']);
/** `flag.changed` kinds that change what is served (seeding stores what the model says; it changes nothing served before). */
const APPLIED = new Set(['Created', 'Updated', 'Enabled', 'Disabled']);

const num = (e: SlipwayEvent, field: string): number | null => (typeof e.data[field] === 'number' ? (e.data[field] as number) : null);

/**
 * Gathers the flag changes the events tell of (pure), oldest first: each flag rollout from its
 * `flag.rollout.*` events (rolled back by the alarms its `rolled_back` names), and each flag change
 * applied at once from its `flag.changed` (not seeding, and not the version a succeeded rollout
 * wrote: that is the rollout's).
 */
export function collectFlagChanges(events: readonly SlipwayEvent[]): FlagChange[] {
  const rollouts = new Map<number, Draft>();
  const applied: FlagChange[] = [];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.type === 'flag.changed') {
      const change = str(e, 'change');
      const key = str(e, 'key');
      const environment = str(e, 'environment');
      if (change === undefined || !APPLIED.has(change) || key === undefined || environment === undefined || e.data.rolloutId !== undefined) continue;
      const version = num(e, 'version');
      applied.push({
        kind: 'flag', ref: `flag/${environment}/${key}@${version ?? '?'}`, rolloutId: null, key, environment, actor: str(e, 'actor') ?? '?', fromVersion: num(e, 'previousVersion'), toVersion: version,
        strategy: null, startedAtMs: e.timeMs, firstShiftAtMs: e.timeMs, endedAtMs: e.timeMs, lastType: e.type, rolledBackBy: [], rollbackStartedAtMs: null, restoredAtMs: null,
        samples: [{ timeMs: e.timeMs, stepIndex: null, steps: null, weights: { [NEW]: 100 } }],
      });
      continue;
    }
    if (!e.type.startsWith('flag.rollout.')) continue;
    const id = num(e, 'rolloutId');
    const key = str(e, 'key');
    const environment = str(e, 'environment');
    if (id === null || key === undefined || environment === undefined) continue;
    let d = rollouts.get(id);
    if (d === undefined) {
      d = { kind: 'flag', ref: `flag-rollout/${id}`, rolloutId: id, key, environment, actor: str(e, 'actor') ?? '?', fromVersion: num(e, 'fromVersion'), toVersion: null, strategy: null, startedAtMs: e.timeMs, firstShiftAtMs: null, endedAtMs: null, lastType: e.type, rolledBackBy: [], rollbackStartedAtMs: null, restoredAtMs: null, samples: [] };
      rollouts.set(id, d);
    }
    observe(d, e);
  }
  return [...rollouts.values(), ...applied].sort((a, b) => a.startedAtMs - b.startedAtMs || a.ref.localeCompare(b.ref));
}

function observe(d: Draft, e: SlipwayEvent): void {
  d.lastType = e.type;
  // A revert is recorded at the share the alarm found (`reachedPercent`): it is where the rollout stood when the alarm fired.
  const percent = e.type === 'flag.rollout.rolled_back' ? (num(e, 'reachedPercent') ?? num(e, 'percent')) : num(e, 'percent');
  const plan = Array.isArray(e.data.plan) ? e.data.plan.length : (d.samples.at(-1)?.steps ?? null);
  d.samples = [...d.samples, { timeMs: e.timeMs, stepIndex: num(e, 'stepIndex'), steps: plan, weights: percent === null ? null : { [NEW]: percent } } satisfies DeploymentSample];
  if (e.type === 'flag.rollout.started') {
    d.strategy = str(e, 'strategy') ?? null;
    if ((percent ?? 0) > 0) d.firstShiftAtMs = e.timeMs;
  }
  if (e.type === 'flag.rollout.rolled_back') {
    // The revert is one write: it starts and restores at once.
    d.rollbackStartedAtMs = e.timeMs;
    d.restoredAtMs = num(e, 'revertedAtMs') ?? e.timeMs;
    const alarms = e.data.alarms;
    if (Array.isArray(alarms)) d.rolledBackBy = alarms.filter((a): a is string => typeof a === 'string');
  }
  if (e.type === 'flag.rollout.succeeded') d.toVersion = num(e, 'version');
  if (ENDED.has(e.type)) d.endedAtMs = e.timeMs;
}

import { flagDefinitionDto } from '../../flags/index.js';
import type { FlagRolloutDto } from '../../shared/index.js';
import type { FlagRollout } from './model.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A flag rollout as the API shows it. */
export function flagRolloutDto(r: FlagRollout): FlagRolloutDto {
  return {
    id: r.id,
    environment: r.environment,
    key: r.key,
    state: r.state,
    strategy: r.strategy,
    plan: r.plan.map((s) => ({ percent: s.percent, bakeMs: s.bakeMs })),
    stepIndex: r.stepIndex,
    percent: r.percent,
    fromVersion: r.fromVersion,
    toVersion: r.toVersion,
    from: flagDefinitionDto(r.from),
    to: flagDefinitionDto(r.to),
    watchedAlarms: [...r.watchedAlarms],
    actor: r.actor,
    rollback: r.rollback === null ? null : { trigger: r.rollback.trigger, alarms: [...r.rollback.alarms], reason: r.rollback.reason, revertMs: r.rollback.revertMs, revertedAt: iso(r.rollback.revertedAtMs) },
    createdAt: iso(r.createdAtMs),
    updatedAt: iso(r.updatedAtMs),
    finishedAt: r.finishedAtMs === null ? null : iso(r.finishedAtMs),
  };
}

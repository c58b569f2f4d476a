import type { AlsoChangedDto, ChangeDto, LikelyCauseDto } from '../../shared/index.js';
import { describeChange, type Change } from './change.js';
import type { AlsoChanged, LikelyCause } from './find-likely-cause.js';

/** The API form of a change. */
export function changeDto(c: Change): ChangeDto {
  const at = { kind: c.kind, ref: c.ref, environment: c.environment, startedAtMs: c.startedAtMs, endedAtMs: c.endedAtMs, summary: describeChange(c) };
  if (c.kind === 'deployment') return { ...at, deploymentId: c.deploymentId, service: c.service, fromRevision: c.fromRevision, toRevision: c.toRevision };
  // A flag change names versions where a deployment names revisions.
  const version = (v: number | null): string | null => (v === null ? null : `v${v}`);
  return { ...at, deploymentId: null, service: null, fromRevision: version(c.fromVersion), toRevision: version(c.toVersion), flagKey: c.key, ...(c.rolloutId === null ? {} : { rolloutId: c.rolloutId }) };
}

/** The API form of a likely cause. */
export function likelyCauseDto(c: LikelyCause): LikelyCauseDto {
  return { ...changeDto(c.change), rule: c.rule, reason: c.reason };
}

/** The API form of an "also changed" entry. */
export function alsoChangedDto(a: AlsoChanged): AlsoChangedDto {
  return { ...changeDto(a.change), sameEnvironment: a.sameEnvironment, beforeTriggerMs: a.beforeTriggerMs };
}

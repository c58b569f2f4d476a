import type { AlsoChangedDto, ChangeDto, LikelyCauseDto } from '../../shared/index.js';
import { describeChange, type Change } from './change.js';
import type { AlsoChanged, LikelyCause } from './find-likely-cause.js';

/** The API form of a change. */
export function changeDto(c: Change): ChangeDto {
  return { kind: c.kind, ref: c.ref, deploymentId: c.deploymentId, service: c.service, environment: c.environment, fromRevision: c.fromRevision, toRevision: c.toRevision, startedAtMs: c.startedAtMs, endedAtMs: c.endedAtMs, summary: describeChange(c) };
}

/** The API form of a likely cause. */
export function likelyCauseDto(c: LikelyCause): LikelyCauseDto {
  return { ...changeDto(c.change), rule: c.rule, reason: c.reason };
}

/** The API form of an "also changed" entry. */
export function alsoChangedDto(a: AlsoChanged): AlsoChangedDto {
  return { ...changeDto(a.change), sameEnvironment: a.sameEnvironment, beforeTriggerMs: a.beforeTriggerMs };
}

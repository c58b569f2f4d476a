import { describe, expect, it } from 'vitest';
import type { DeploymentStepStatus } from '../shared/index.js';
import { toDeploymentDetailDto, toDeploymentDto } from './deployment-dto.js';
import type { Deployment, DeploymentState, StepRecord } from './model.js';

const plan: Deployment['plan'] = [
  { type: 'start', desiredCount: 2 },
  { type: 'traffic', newPercent: 25 },
  { type: 'wait', durationMs: 30_000, analysis: true, phase: 'InProgress', purpose: 'interval' },
  { type: 'traffic', newPercent: 100 },
];

function deployment(state: DeploymentState, stepHistory: StepRecord[]): Deployment {
  return {
    id: 7,
    kind: 'Deploy',
    service: 'gateway',
    environment: 'production',
    fromRevision: 'old',
    fromSourceDir: '/srv/old',
    fromEnv: { API_KEY: 'old-secret' },
    toRevision: 'new',
    sourceDir: '/srv/new',
    env: { API_KEY: 'new-secret' },
    strategy: { kind: 'Canary', codeDeployName: undefined, steps: [25, 100], intervalMs: 30_000, analysis: undefined },
    analysis: undefined,
    desiredCount: 2,
    plan,
    state,
    stepIndex: stepHistory.length,
    stepActed: true,
    stepStartedAtMs: null,
    weights: { old: 75, new: 25 },
    pausedReason: null,
    pausedBy: null,
    stepHistory,
    message: null,
    rollback: null,
    analysisRuns: [],
    hooks: [],
    baseline: { new: { requestCount: 3, target5xxCount: 0, elb5xxCount: 0 } },
    baselineAtMs: 5,
    failedRuns: 0,
    inconclusiveRuns: 0,
    rollbackOf: null,
    createdAtMs: 1,
    updatedAtMs: 2,
    finishedAtMs: null,
  };
}

const done = (index: number): StepRecord => ({ index, type: plan[index]!.type, startedAtMs: 10 + index, completedAtMs: 11 + index });
const running = (index: number): StepRecord => ({ index, type: plan[index]!.type, startedAtMs: 10 + index, completedAtMs: null });

describe('toDeploymentDto', () => {
  it.each<[string, DeploymentState, StepRecord[], DeploymentStepStatus[]]>([
    ['a deployment under way', 'InProgress', [done(0), done(1), running(2)], ['Succeeded', 'Succeeded', 'InProgress', 'Pending']],
    ['a paused one', 'Paused', [done(0), running(1)], ['Succeeded', 'Paused', 'Pending', 'Pending']],
    ['one rolled back mid-wait', 'RolledBack', [done(0), done(1), running(2)], ['Succeeded', 'Succeeded', 'Stopped', 'Skipped']],
    ['one promoted past its waits', 'Succeeded', [done(0), done(1), done(3)], ['Succeeded', 'Succeeded', 'Skipped', 'Succeeded']],
  ])('gives each step its status: %s', (_what, state, history, statuses) => {
    // GIVEN a deployment in `state` with `history` WHEN it is mapped THEN every step of the plan has the status the history implies
    expect(toDeploymentDto(deployment(state, history)).steps.map((s) => s.status)).toEqual(statuses);
  });

  it('describes each step and carries a traffic step’s weight', () => {
    // GIVEN the canary plan WHEN mapped THEN each step reads as one human line and only traffic steps have a weight
    const { steps } = toDeploymentDto(deployment('InProgress', [running(0)]));
    expect(steps.map((s) => [s.description, s.weightPercent])).toEqual([
      ['Start 2 task(s) of the new revision', null],
      ['Shift 25% to the new revision', 25],
      ['Wait 30 s with analysis', null],
      ['Shift 100% to the new revision', 100],
    ]);
    expect(steps[0]).toMatchObject({ index: 0, startedAtMs: 10, completedAtMs: null });
  });

  it('leaves the tasks’ environment, the source directories and the reconciler’s bookkeeping out', () => {
    // GIVEN a deployment whose tasks get a secret through env WHEN it is mapped (with its log) THEN none of the internal fields is in the answer
    const dto = toDeploymentDetailDto({ ...deployment('InProgress', []), logs: [{ seq: 1, timeMs: 3, source: 'hook:BeforeInstall', text: 'ok\n' }] });
    const json = JSON.stringify(dto);
    expect(json).not.toContain('old-secret');
    expect(json).not.toContain('new-secret');
    expect(json).not.toContain('/srv/');
    for (const key of ['env', 'fromEnv', 'sourceDir', 'fromSourceDir', 'baseline', 'baselineAtMs', 'stepActed', 'failedRuns', 'inconclusiveRuns', 'analysis']) expect(dto).not.toHaveProperty(key);
    expect(dto).toMatchObject({ id: 7, fromRevision: 'old', toRevision: 'new', state: 'InProgress', logs: [{ source: 'hook:BeforeInstall', text: 'ok\n' }] });
  });

  it('shows the secret versions of both revisions, names and numbers only', () => {
    // GIVEN a rotation's deployment WHEN mapped THEN its pins are in the answer; a record from before pins shows none
    const dto = toDeploymentDetailDto({ ...deployment('InProgress', []), fromSecrets: { API_KEY: 1 }, secrets: { API_KEY: 2 }, logs: [] });
    expect(dto).toMatchObject({ fromSecrets: { API_KEY: 1 }, secrets: { API_KEY: 2 } });
    expect(toDeploymentDetailDto({ ...deployment('InProgress', []), logs: [] })).toMatchObject({ fromSecrets: {}, secrets: {} });
  });
});

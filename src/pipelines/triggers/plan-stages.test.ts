import { describe, expect, it } from 'vitest';
import type { ResolvedAction, ResolvedPipeline, ResolvedStage } from '../../shared/index.js';
import { planStages } from './plan-stages.js';
import { parseRef, refMatchesTrigger } from './ref-filter.js';

const act = (a: Partial<ResolvedAction> & Pick<ResolvedAction, 'type'>): ResolvedAction => ({ name: a.type, runOrder: 1, timeoutMs: 1000, retries: 0, ...a }) as ResolvedAction;
const stage = (name: string, ...actions: ResolvedAction[]): ResolvedStage => ({ name, actions, beforeEntry: undefined, onFailure: { result: 'FAIL', retries: 0 } });
const build = stage('Build', act({ type: 'build', buildspec: 'buildspec.yml' }));
const test = stage('Test', act({ type: 'invoke', command: 'true' }));
const staging = stage('Staging', act({ type: 'deploy', environment: 'staging', service: undefined }));
const approve = stage('Approve', act({ type: 'approval' }));
const production = stage('Production', act({ type: 'deploy', environment: 'production', service: undefined }));

const pipeline = (preset: 'trunk' | 'gitflow' | undefined, stages: ResolvedStage[], branches: string[] = ['main', 'develop', 'release/*', 'hotfix/*'], tags: string[] = ['v*']): ResolvedPipeline => ({
  trigger: { branches, tags, preset, pollIntervalMs: 5000 },
  executionMode: 'SUPERSEDED',
  stages,
});

describe('refMatchesTrigger', () => {
  const p = pipeline('gitflow', [build]);
  const cases: [string, boolean][] = [
    ['refs/heads/main', true],
    ['refs/heads/develop', true],
    ['refs/heads/release/1.2', true],
    ['refs/heads/release/1/2', false],
    ['refs/heads/hotfix/urgent', true],
    ['refs/heads/feature/x', false],
    ['refs/heads/mainline', false],
    ['refs/tags/v1.0.0', true],
    ['refs/tags/release-1', false],
  ];
  for (const [ref, expected] of cases) {
    it(`${ref} ${expected ? 'starts' : 'does not start'} a run`, () => {
      // GIVEN the GitFlow branches and a v* tag filter WHEN a ref moves THEN it matches or not
      expect(refMatchesTrigger(p.trigger, parseRef(ref)!)).toBe(expected);
    });
  }
  it('ignores refs that are neither branches nor tags', () => {
    expect(parseRef('refs/notes/commits')).toBeUndefined();
  });
});

describe('planStages', () => {
  const all = [build, test, staging, approve, production];
  const names = (p: ResolvedPipeline, ref: string | undefined) => planStages(p, ref === undefined ? undefined : parseRef(ref)).map((s) => s.name);
  const cases: { name: string; preset: 'trunk' | 'gitflow' | undefined; stages: ResolvedStage[]; ref: string | undefined; expected: string[] }[] = [
    { name: 'trunk: main runs every stage', preset: 'trunk', stages: all, ref: 'refs/heads/main', expected: ['Build', 'Test', 'Staging', 'Approve', 'Production'] },
    { name: 'gitflow: develop stops after the staging deploy', preset: 'gitflow', stages: all, ref: 'refs/heads/develop', expected: ['Build', 'Test', 'Staging'] },
    { name: 'gitflow: develop without a staging environment stops after the first deploy', preset: 'gitflow', stages: [build, production, approve], ref: 'refs/heads/develop', expected: ['Build', 'Production'] },
    { name: 'gitflow: release/* runs every stage', preset: 'gitflow', stages: all, ref: 'refs/heads/release/2.0', expected: ['Build', 'Test', 'Staging', 'Approve', 'Production'] },
    { name: 'gitflow: main runs every stage', preset: 'gitflow', stages: all, ref: 'refs/heads/main', expected: ['Build', 'Test', 'Staging', 'Approve', 'Production'] },
    { name: 'gitflow: hotfix/* keeps an existing approval', preset: 'gitflow', stages: all, ref: 'refs/heads/hotfix/1', expected: ['Build', 'Test', 'Staging', 'Approve', 'Production'] },
    { name: 'gitflow: hotfix/* adds an approval before production', preset: 'gitflow', stages: [build, staging, production], ref: 'refs/heads/hotfix/1', expected: ['Build', 'Staging', 'HotfixApproval', 'Production'] },
    { name: 'gitflow: main without approval gets none', preset: 'gitflow', stages: [build, staging, production], ref: 'refs/heads/main', expected: ['Build', 'Staging', 'Production'] },
    { name: 'gitflow: a tag runs every stage', preset: 'gitflow', stages: all, ref: 'refs/tags/v1', expected: ['Build', 'Test', 'Staging', 'Approve', 'Production'] },
    { name: 'custom branches: develop runs every stage', preset: undefined, stages: all, ref: 'refs/heads/develop', expected: ['Build', 'Test', 'Staging', 'Approve', 'Production'] },
    { name: 'a manual run without a ref runs every stage', preset: 'gitflow', stages: all, ref: undefined, expected: ['Build', 'Test', 'Staging', 'Approve', 'Production'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN a pipeline with a preset WHEN a run is planned for a ref THEN it has these stages
      expect(names(pipeline(c.preset, c.stages), c.ref)).toEqual(c.expected);
    });
  }
  it('marks the added approval stage as synthetic with a 7-day timeout', () => {
    const [, , hotfix] = planStages(pipeline('gitflow', [build, staging, production]), parseRef('refs/heads/hotfix/x'));
    expect(hotfix).toMatchObject({ synthetic: 'hotfix-approval', actions: [{ type: 'approval', timeoutMs: 604_800_000 }] });
  });
});

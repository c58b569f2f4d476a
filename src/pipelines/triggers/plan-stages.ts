import type { ResolvedPipeline, ResolvedStage } from '../../shared/index.js';
import type { PlannedStage } from '../engine/model.js';
import { globMatcher } from '../build/glob.js';
import type { SourceRef } from './ref-filter.js';

/** The stage GitFlow adds before production for `hotfix/*` when the pipeline has no approval there. */
export const HOTFIX_APPROVAL_STAGE = 'HotfixApproval';

/** Seven days, an approval action's default timeout. */
const APPROVAL_TIMEOUT_MS = 7 * 24 * 3_600_000;

const hasDeploy = (s: ResolvedStage, environment?: string) => s.actions.some((a) => a.type === 'deploy' && (environment === undefined || a.environment === environment));
const hasApproval = (s: ResolvedStage) => s.actions.some((a) => a.type === 'approval');

/**
 * The stages a run of `ref` goes through. With the `gitflow` preset:
 * `develop` runs up to and including the first staging deploy (the first stage deploying to
 * an environment named `staging`, else the first stage with a deploy action); `release/*` and
 * `main` run every stage; `hotfix/*` runs every stage with an approval before the last deploy
 * stage (added as `HotfixApproval` when no approval precedes it). Tags, the `trunk` preset and
 * custom branch lists run every stage.
 */
export function planStages(pipeline: ResolvedPipeline, ref: SourceRef | undefined): PlannedStage[] {
  const stages: PlannedStage[] = [...pipeline.stages];
  if (pipeline.trigger.preset !== 'gitflow' || ref?.kind !== 'branch') return stages;
  if (ref.name === 'develop') {
    let until = stages.findIndex((s) => hasDeploy(s, 'staging'));
    if (until < 0) until = stages.findIndex((s) => hasDeploy(s));
    return until < 0 ? stages : stages.slice(0, until + 1);
  }
  if (globMatcher('hotfix/**').test(ref.name)) {
    const last = stages.map((s) => hasDeploy(s)).lastIndexOf(true);
    if (last < 0 || stages.slice(0, last).some(hasApproval)) return stages;
    const approval: PlannedStage = {
      name: HOTFIX_APPROVAL_STAGE,
      actions: [{ type: 'approval', name: 'approval', runOrder: 1, timeoutMs: APPROVAL_TIMEOUT_MS, retries: 0 }],
      beforeEntry: undefined,
      onFailure: { result: 'FAIL', retries: 0 },
      synthetic: 'hotfix-approval',
    };
    return [...stages.slice(0, last), approval, ...stages.slice(last)];
  }
  return stages;
}

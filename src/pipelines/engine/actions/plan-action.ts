import fs from 'node:fs';
import path from 'node:path';
import { materializeSource } from './materialize-source.js';
import type { ActionExecutor } from './action-context.js';

/**
 * A plan action: the change set that the commit's app model makes to the live system, as
 * `slipway plan` prints it. The plan is stored (its id in the output) and the deploy actions of the
 * run apply exactly it; an invalid model or a destructive plan without `allowDestroy` fails the
 * action, so nothing is applied. Without a planner (no running system) the action fails.
 */
export const executePlan: ActionExecutor = async (ctx) => {
  const { services, run, action } = ctx;
  if (services.planner === undefined) return { status: 'Failed', reason: 'no planner: the control plane runs no app' };
  const sourceDir = await materializeSource(services, run.artifact, run.commitSha);
  const approvalFollows = run.plan.slice(run.position.stageIndex + 1).some((st) => st.actions.some((a) => a.type === 'approval'));
  const result = await services.planner.plan({ sourceDir, runId: run.id, commitSha: run.commitSha, allowDestroy: action.configuration.allowDestroy === true, approvalFollows });
  for (const line of result.lines) ctx.log(line, 'system');
  const output = {
    ...(result.planId !== undefined ? { planId: result.planId } : {}),
    ...(result.summary ? { summary: { ...result.summary } } : {}),
    ...(result.changeSet !== undefined ? { plan: result.changeSet } : {}),
  };
  // The change set is also an artifact of the run (`<app>/plan`, tagged with the commit), as CodePipeline passes a change set's template on.
  if (result.changeSet !== undefined) {
    fs.mkdirSync(services.workspacesDir, { recursive: true });
    const dir = fs.mkdtempSync(path.join(services.workspacesDir, `plan-r${run.id}-`));
    try {
      fs.writeFileSync(path.join(dir, 'plan.json'), `${JSON.stringify({ planId: result.planId, commit: run.commitSha, runId: run.id, changeSet: result.changeSet }, null, 2)}\n`);
      fs.writeFileSync(path.join(dir, 'plan.txt'), `${result.lines.join('\n')}\n`);
      const stored = await services.artifacts.putDirectory(dir, ['plan.json', 'plan.txt'], { service: `${services.app.name}/plan`, commitSha: run.commitSha, buildNumber: action.id });
      ctx.log(`plan artifact ${stored.digest}`, 'system');
      Object.assign(output, { planArtifact: stored.digest });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (result.status === 'Succeeded') return { status: 'Succeeded', output };
  return { status: 'Failed', reason: result.message ?? 'the plan failed', output };
};

import fs from 'node:fs';
import type { ActionServices } from './actions/action-context.js';
import { materializeSource } from './actions/materialize-source.js';
import type { RunRecord } from './model.js';
import type { RunEventData, RunEventType } from './run-events.js';
import type { RunStore } from './run-store.js';

/** What {@link rollbackStage} needs. */
export interface RollbackInput {
  readonly store: RunStore;
  readonly services: ActionServices;
  readonly run: RunRecord;
  readonly stageIndex: number;
  emit<T extends RunEventType>(type: T, data: RunEventData<T>): void;
  log(line: string): void;
}

/**
 * A stage's onFailure ROLLBACK: each of its deploy actions redeploys the
 * revision of the newest Succeeded run of the same stage and action.
 * Returns one line saying what happened, for the stage's reason.
 */
export async function rollbackStage(input: RollbackInput): Promise<string> {
  const { store, services, run, stageIndex } = input;
  const stage = run.plan[stageIndex]!;
  const notes: string[] = [];
  for (const action of store.actions(run.id, stageIndex).filter((a) => a.type === 'deploy')) {
    const previous = store.lastSucceededDeploy(stage.name, action.name, run.id);
    if (previous === undefined) {
      notes.push(`${action.name}: nothing to roll back to`);
      continue;
    }
    const out = previous.output as { revision?: string; sourceDir?: string; artifact?: string | null; environment?: string; service?: string | null };
    const prevRun = store.getRun(previous.runId);
    const sourceDir = out.sourceDir && fs.existsSync(out.sourceDir) ? out.sourceDir : await materializeSource(services, out.artifact ?? undefined, prevRun.commitSha);
    const revision = out.revision ?? prevRun.commitSha.slice(0, 12);
    const environment = out.environment ?? String(action.configuration.environment);
    input.log(`rolling back ${environment} to ${revision} (run ${prevRun.id})`);
    try {
      const result = await services.deployer.deploy({
        environment,
        service: out.service ?? undefined,
        revision,
        sourceDir,
        runId: run.id,
        actionId: action.id,
        attempt: action.attempt,
        commitSha: prevRun.commitSha,
        artifact: out.artifact ?? undefined,
        images: prevRun.images,
        rollback: true,
        resumed: false,
        signal: new AbortController().signal,
      });
      input.emit('pipeline.stage.rolled_back', { stage: stage.name, action: action.name, environment, toRevision: revision, toRunId: prevRun.id, result: result.status, deploymentIds: [...result.deploymentIds] });
      notes.push(`${action.name}: rolled back to ${revision} (${result.status})`);
    } catch (err) {
      notes.push(`${action.name}: rollback to ${revision} failed: ${(err as Error).message}`);
    }
  }
  return notes.join('; ') || 'nothing to roll back';
}

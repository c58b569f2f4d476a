import type { SlipwayEvent } from '../../core/index.js';
import { str } from '../event-fields.js';
import type { Change } from './change.js';

/** The pipeline run that deployed a change, as its events tell it. */
export interface PipelineLink {
  readonly runId: number;
  readonly commitSha: string;
  /** The commit's subject line, when the run recorded it. */
  readonly commitSubject: string | null;
  readonly branch: string | null;
  readonly startedAtMs: number;
  /** `Stage › action` of each action that succeeded before the change started, in order. */
  readonly passed: readonly string[];
}

/**
 * The pipeline run whose commit is the change's revision (the deploy action deploys a run's commit as
 * its first 12 hex digits): the latest `pipeline.run.started` before the change with a matching
 * `commitSha`, and the actions it passed before then (pure; `events` are the runs' events).
 */
export function findPipelineRun(events: readonly SlipwayEvent[], change: Change): PipelineLink | undefined {
  if (change.kind !== 'deployment') return undefined;
  const revision = change.toRevision;
  if (revision === null || revision.length < 7) return undefined;
  let run: SlipwayEvent | undefined;
  for (const e of events) {
    if (e.type !== 'pipeline.run.started' || e.timeMs > change.startedAtMs) continue;
    const sha = str(e, 'commitSha');
    if (sha !== undefined && sha.startsWith(revision) && (run === undefined || e.seq > run.seq)) run = e;
  }
  if (run === undefined) return undefined;
  const runId = typeof run.data.runId === 'number' ? run.data.runId : Number(run.subject.replace(/^pipeline-run\//, ''));
  const subject = `pipeline-run/${runId}`;
  const passed = events
    .filter((e) => e.subject === subject && e.type === 'pipeline.action.succeeded' && e.timeMs <= change.startedAtMs)
    .sort((a, b) => a.seq - b.seq)
    .map((e) => `${str(e, 'stage') ?? '?'} › ${str(e, 'action') ?? '?'}`);
  const message = str(run, 'commitMessage');
  return { runId, commitSha: str(run, 'commitSha')!, commitSubject: message === undefined ? null : message.split('\n')[0]!, branch: str(run, 'branch') ?? null, startedAtMs: run.timeMs, passed };
}

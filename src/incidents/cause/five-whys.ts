import type { Incident } from '../model.js';
import type { AlarmLink } from './alarm-link.js';
import { describeChange, sampleAt } from './change.js';
import type { LikelyCause } from './find-likely-cause.js';
import type { PipelineLink } from './pipeline-link.js';

/** The chain from an incident back to the change and the process behind it. */
export interface CausalChain {
  readonly alarm: AlarmLink | undefined;
  readonly cause: LikelyCause | undefined;
  readonly pipeline: PipelineLink | undefined;
}

/** The blank a person fills in. */
export const BLANK = '_…_';

/**
 * The Five Whys of a postmortem draft, from the causal chain (pure): 1 the alarm (what it measured, its
 * threshold), 2 the change it named (service, environment, revisions, step and weights when it fired),
 * 3 the commit, 4 the pipeline run and the checks it passed, 5 left to the reviewers. A missing link is
 * said, with a blank to fill.
 */
export function fiveWhys(incident: Incident, where: string, chain: CausalChain): string[] {
  const answers = [whyAlarm(incident, where, chain.alarm), whyChange(incident, chain.cause), whyCommit(chain), whyPipeline(chain), BLANK];
  const questions = ['Why did the incident happen?', 'Why did that happen?', 'Why was that change made?', 'Why was it not caught before it reached users?', 'Why did our process allow that?'];
  return questions.map((q, n) => `${n + 1}. **${q}** ${answers[n]}`);
}

function whyAlarm(i: Incident, where: string, alarm: AlarmLink | undefined): string {
  if (alarm === undefined) return `${where} misbehaved (${i.title}). ${BLANK}`;
  const measured = alarm.measures === null ? '' : ` It measures ${alarm.measures}.`;
  const reason = alarm.reason === null ? '' : ` Its evaluation: ${alarm.reason}`;
  return `Alarm \`${alarm.name}\` went to ALARM on ${where}.${measured}${reason}`;
}

function whyChange(i: Incident, cause: LikelyCause | undefined): string {
  if (cause === undefined) return `No change in the event log is named as the cause (no deployment of the affected environment before the trigger). ${BLANK}`;
  const c = cause.change;
  const s = sampleAt(c, i.triggeredAtMs);
  const step = s?.stepIndex === null || s?.stepIndex === undefined ? '' : `step ${s.stepIndex + 1}${s.steps === null ? '' : ` of ${s.steps}`}`;
  const weights = s?.weights === null || s?.weights === undefined ? '' : Object.entries(s.weights).map(([rev, pct]) => `${rev} ${pct}%`).join(', ');
  const share = c.kind === 'flag' ? Object.values(s?.weights ?? {})[0] : undefined;
  const served = c.kind === 'flag' ? (share === undefined ? '' : `the new definition served to ${share}% of contexts`) : weights === '' ? '' : `traffic ${weights}`;
  const at = [step, served].filter((x) => x !== '').join(', ');
  return `${describeChange(c)}${c.strategy === null ? '' : `, ${c.strategy}`}${at === '' ? '' : `, was at ${at} when the alarm fired`} — ${cause.reason}.`;
}

function whyCommit(chain: CausalChain): string {
  const c = chain.cause?.change;
  if (c === undefined) return BLANK;
  const p = chain.pipeline;
  if (p === undefined && c.kind === 'flag') return `Flag ${c.key} was changed by ${c.actor} through the API or the CLI, not by a commit. ${BLANK}`;
  if (p === undefined) return `Revision ${c.kind === 'deployment' ? (c.toRevision ?? '?') : '?'} of ${c.kind === 'deployment' ? c.service : '?'} matches no pipeline run's commit in the event log (deployed by hand?). ${BLANK}`;
  return `It deployed commit ${p.commitSha.slice(0, 12)}${p.commitSubject === null ? ' (its subject was not recorded)' : ` "${p.commitSubject}"`}${p.branch === null ? '' : ` on ${p.branch}`}. ${BLANK}`;
}

function whyPipeline(chain: CausalChain): string {
  if (chain.cause === undefined) return BLANK;
  const p = chain.pipeline;
  if (p === undefined) return `No pipeline run is linked to the change, so no checks are known to have run. ${BLANK}`;
  const passed = p.passed.length === 0 ? 'no action succeeded before it deployed' : `it passed ${p.passed.join(', ')} before deploying`;
  return `Pipeline run ${p.runId} built it: ${passed}; none of those checks caught the failure. ${BLANK}`;
}

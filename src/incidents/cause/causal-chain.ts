import type { SlipwayEvent } from '../../core/index.js';
import type { CausalLinkDto } from '../../shared/index.js';
import { str } from '../event-fields.js';
import { changeName, describeChange } from './change.js';
import type { LikelyCause } from './find-likely-cause.js';
import type { PipelineLink } from './pipeline-link.js';

/** The facts a causal chain is drawn from, each an event of the log (or absent). */
export interface CausalChainFacts {
  readonly cause: LikelyCause | undefined;
  readonly pipeline: PipelineLink | undefined;
  /** The run's events (`pipeline.run.started` first), as the cause analysis read them. */
  readonly runs: readonly SlipwayEvent[];
  /** `artifact.stored` events before the change (the one of its service and commit is the link). */
  readonly artifacts: readonly SlipwayEvent[];
  /** The cause's own `deployment.*` events. */
  readonly causeEvents: readonly SlipwayEvent[];
  /** The alarm event that opened the incident. */
  readonly trigger: SlipwayEvent | undefined;
  /** The incident's `incident.opened` event. */
  readonly opened: SlipwayEvent | undefined;
  readonly triggeredAtMs: number;
}

/**
 * An incident's causal chain, commit → artifact → deployment step → alarm → rollback → incident (pure):
 * one link per fact the event log holds, each with the event that shows it. Without a likely cause only
 * the alarm and the incident are left; a link with no event is left out rather than guessed.
 */
export function causalChain(f: CausalChainFacts): CausalLinkDto[] {
  const links: CausalLinkDto[] = [];
  const link = (kind: CausalLinkDto['kind'], e: SlipwayEvent | undefined, summary: (e: SlipwayEvent) => string) => {
    if (e !== undefined) links.push({ kind, summary: summary(e), seq: e.seq, timeMs: e.timeMs, subject: e.subject });
  };
  const change = f.cause?.change;
  const p = f.pipeline;
  if (change !== undefined && p !== undefined) {
    const started = f.runs.find((e) => e.type === 'pipeline.run.started' && e.subject === `pipeline-run/${p.runId}`);
    link('commit', started, () => `commit ${p.commitSha.slice(0, 12)}${p.commitSubject === null ? '' : ` "${p.commitSubject}"`}${p.branch === null ? '' : ` on ${p.branch}`} (pipeline run ${p.runId})`);
  }
  if (change?.kind === 'deployment' && change.toRevision !== null) {
    const revision = change.toRevision;
    const artifact = [...f.artifacts].reverse().find((e) => e.type === 'artifact.stored' && e.timeMs <= change.startedAtMs && str(e, 'service') === change.service && (str(e, 'commitSha')?.startsWith(revision) ?? false));
    link('artifact', artifact, (e) => `artifact ${(str(e, 'digest') ?? '').replace(/^sha256:/, '').slice(0, 12)} of ${change.service}`);
  }
  if (change !== undefined) {
    const before = f.causeEvents.filter((e) => (e.type.startsWith('deployment.') || e.type.startsWith('flag.rollout.')) && e.type !== 'deployment.rollback.started' && e.type !== 'flag.rollout.rolled_back' && e.timeMs <= f.triggeredAtMs);
    const at = before.at(-1) ?? f.causeEvents[0];
    const stepIndex = typeof at?.data.stepIndex === 'number' ? at.data.stepIndex : null;
    const steps = Math.max(0, ...change.samples.map((x) => x.steps ?? 0));
    const weights = Object.entries(weightsOf(at?.data.to) ?? weightsOf(at?.data.weights) ?? (typeof at?.data.percent === 'number' ? { 'new definition': at.data.percent } : {}));
    // A finished deployment's index is past its last step.
    const step = stepIndex === null ? '' : steps > 0 && stepIndex >= steps ? `, all ${steps} steps done` : `, step ${stepIndex + 1}${steps === 0 ? '' : ` of ${steps}`}`;
    const traffic = weights.length === 0 ? '' : `, traffic ${weights.map(([rev, pct]) => `${rev} ${pct}%`).join(', ')}`;
    link('deployment', at, () => `${describeChange(change)}${step}${traffic} — ${f.cause!.reason}`);
  }
  link('alarm', f.trigger, (e) => `alarm ${str(e, 'alarm') ?? e.subject.replace(/^alarm\//, '')} → ${str(e, 'newState') ?? 'ALARM'}${str(e, 'reason') === undefined ? '' : `: ${str(e, 'reason')}`}`);
  if (change !== undefined) {
    const rollback = f.causeEvents.find((e) => e.type === 'deployment.rollback.started' || e.type === 'flag.rollout.rolled_back');
    const alarms = Array.isArray(rollback?.data.alarms) ? rollback.data.alarms.filter((a) => typeof a === 'string') : [];
    const by = alarms.length === 0 ? '' : ` by ${alarms.join(', ')}`;
    link('rollback', rollback, () =>
      change.kind === 'deployment' ? `deployment ${change.deploymentId} rolled back${by}${change.fromRevision === null ? '' : ` to ${change.fromRevision}`}` : `${changeName(change)} reverted${by}: flag ${change.key} back on version ${change.fromVersion ?? '?'}`,
    );
  }
  link('incident', f.opened, (e) => `incident ${String(e.data.incidentId)} opened: ${str(e, 'title') ?? ''}`);
  return links;
}

function weightsOf(v: unknown): Record<string, number> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const entries = Object.entries(v as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number');
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

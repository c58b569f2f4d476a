import type { EventLog, SlipwayEvent } from '../../core/index.js';
import type { ResolvedApp } from '../../shared/index.js';
import { deploymentIdOf } from '../event-fields.js';
import type { ImpactScope, MetricSource } from '../impact.js';
import type { Incident } from '../model.js';
import { readEvents } from '../read-events.js';
import { alarmLink } from './alarm-link.js';
import { collectChanges, serviceOf, type Change } from './change.js';
import { findLikelyCause, rolledBackBy, type CauseVerdict, type RevisionErrorRates } from './find-likely-cause.js';
import type { CausalChain } from './five-whys.js';
import { impactWindow } from './impact-window.js';
import { findPipelineRun } from './pipeline-link.js';
import { revisionErrorRates } from './revision-error-rates.js';
import { rollbackEnvironments } from './rollback-environments.js';

/** What {@link analyseCause} reads from. */
export interface CauseSources {
  readonly events: EventLog;
  readonly app: ResolvedApp | undefined;
  readonly metrics: MetricSource | undefined;
  /** How far before the trigger changes count. */
  readonly windowMs: number;
  readonly nowMs: number;
}

/** An incident's cause, the chain behind it and where its impact is counted. */
export interface CauseAnalysis {
  readonly verdict: CauseVerdict;
  readonly chain: CausalChain;
  readonly impact: ImpactScope;
  /** The events the chain rests on: the alarm event that opened the incident, and the run of the cause's commit with the actions it passed. */
  readonly evidence: { readonly trigger: SlipwayEvent | undefined; readonly runs: readonly SlipwayEvent[] };
}

/** How far back a deployment still under way at the trigger may have started. */
const IN_FLIGHT_LOOKBACK_MS = 6 * 3_600_000;
/** How long before a deployment the pipeline run that made it may have started (approvals wait). */
const PIPELINE_LOOKBACK_MS = 7 * 24 * 3_600_000;

/**
 * Reads the facts about an incident from the event log — the alarm event that opened it, the deployments
 * around it with their rollbacks, the pipeline run of the causing revision — and decides its likely cause
 * ({@link findLikelyCause}), the causal chain for the Five Whys, and the impact window.
 */
export function analyseCause(incident: Incident, s: CauseSources): CauseAnalysis {
  const endMs = incident.resolvedAtMs ?? s.nowMs;
  const range = { sinceMs: incident.triggeredAtMs - Math.max(s.windowMs, IN_FLIGHT_LOOKBACK_MS), untilMs: endMs + 1 };
  // Flag changes are changes too: a flag rollout reverted by the alarm is named like a deployment rolled back by it.
  const deployments = [...readEvents(s.events, { type: 'deployment', ...range }), ...readEvents(s.events, { type: 'flag', ...range })];
  const trigger = incident.triggerSeq === null ? undefined : s.events.list({ afterSeq: incident.triggerSeq - 1, limit: 1 }).find((e) => e.seq === incident.triggerSeq);
  const changes = collectChanges(deployments);
  const named = trigger === undefined ? undefined : deploymentIdOf(trigger);
  const facts = {
    alarm: incident.alarm,
    service: incident.service,
    environment: incident.environment,
    rollbackEnvironments: incident.alarm === null ? [] : rollbackEnvironments(s.app, incident.alarm),
    triggeredAtMs: incident.triggeredAtMs,
    // The incident's own deploymentId may be an inference made at opening; only the event is the alarm's word.
    namedByAlarm: named ?? null,
    namedByHand: incident.source === 'manual' ? incident.deploymentId : null,
    windowMs: s.windowMs,
    changes,
  };
  let verdict = findLikelyCause(facts);
  // Several deployments rolled back by the same alarm: ask telemetry which new revision answered worse.
  const rolled = incident.alarm === null ? [] : rolledBackBy(changes, incident.alarm, incident.triggeredAtMs);
  if (rolled.length > 1 && s.metrics !== undefined) {
    const rates = new Map<number, RevisionErrorRates>();
    for (const c of rolled) {
      if (c.kind !== 'deployment') continue;
      const r = revisionErrorRates(s.metrics, c, endMs);
      if (r !== undefined) rates.set(c.deploymentId, r);
    }
    verdict = findLikelyCause({ ...facts, errorRates: rates });
  }
  const change = verdict.cause?.change;
  const runs = change === undefined ? [] : pipelineEvents(s.events, change);
  const chain: CausalChain = {
    alarm: incident.alarm === null ? undefined : alarmLink(incident.alarm, trigger, s.app?.alarms[incident.alarm]),
    cause: verdict.cause,
    pipeline: change === undefined ? undefined : findPipelineRun(runs, change),
  };
  const window = impactWindow(incident, verdict.cause, s.nowMs);
  return { verdict, chain, evidence: { trigger, runs }, impact: { window, service: incident.service ?? (change === undefined ? null : serviceOf(change)), environment: incident.environment ?? verdict.environment } };
}

/** The runs of `change`'s commit started before it, and the actions they passed (what {@link findPipelineRun} reads). */
function pipelineEvents(events: EventLog, change: Change): SlipwayEvent[] {
  // A flag change has no commit: it was made through the API or the CLI.
  if (change.kind !== 'deployment') return [];
  const revision = change.toRevision;
  if (revision === null) return [];
  const untilMs = change.startedAtMs + 1;
  const started = readEvents(events, { type: 'pipeline.run.started', sinceMs: change.startedAtMs - PIPELINE_LOOKBACK_MS, untilMs }).filter((e) => typeof e.data.commitSha === 'string' && e.data.commitSha.startsWith(revision));
  const last = started.at(-1);
  return last === undefined ? [] : [last, ...readEvents(events, { subject: last.subject, type: 'pipeline.action.succeeded', untilMs })];
}

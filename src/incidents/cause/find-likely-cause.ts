import { formatDuration, type CauseRule } from '../../shared/index.js';
import { changeName, deploymentIdOfChange, inFlightAt, serviceOf, type Change } from './change.js';

export type { CauseRule };

/** How long before the alarm event a rollback it caused may be recorded (the engine can see the state first). */
const ROLLBACK_SLACK_MS = 60_000;

/** How a change's new and old revisions answered: 5xx per request, 0–1. */
export interface RevisionErrorRates {
  readonly newRate: number;
  readonly oldRate: number;
}

/** What the likely cause is decided from (all facts from the event log, and telemetry for a tie). */
export interface CauseFacts {
  /** The alarm that opened the incident, if one did. */
  readonly alarm: string | null;
  /** The service the alarm (or the incident) watches. */
  readonly service: string | null;
  /** The environment the alarm watches; null when it watches every environment. */
  readonly environment: string | null;
  /** Environments whose `rollbackOn` lists the alarm: where it watches when it names none. */
  readonly rollbackEnvironments: readonly string[];
  readonly triggeredAtMs: number;
  /** The deployment the alarm's evaluation named (`alarm.state.changed` `deploymentId`). */
  readonly namedByAlarm: number | null;
  /** The deployment a person named when opening the incident by hand. */
  readonly namedByHand: number | null;
  /** How far before the trigger a change counts (fallback and "also changed"). */
  readonly windowMs: number;
  readonly changes: readonly Change[];
  /** Error rates of the new and old revisions, per deployment id, to tell apart several the alarm rolled back. */
  readonly errorRates?: ReadonlyMap<number, RevisionErrorRates>;
}

/** The change found to have caused an incident, with the rule and the facts that named it. */
export interface LikelyCause {
  readonly change: Change;
  readonly rule: CauseRule;
  readonly reason: string;
}

/** Another change in the window, not the cause. */
export interface AlsoChanged {
  readonly change: Change;
  /** Whether it is in the environment the cause (or the alarm) is in. */
  readonly sameEnvironment: boolean;
  /** Its start relative to the trigger: positive before it, negative after. */
  readonly beforeTriggerMs: number;
}

/** The verdict of {@link findLikelyCause}. */
export interface CauseVerdict {
  readonly cause: LikelyCause | undefined;
  /** The environment the incident is about: the alarm's, else the cause's. */
  readonly environment: string | null;
  readonly alsoChanged: readonly AlsoChanged[];
}

/**
 * Picks the change the facts name as an incident's cause (pure). In order: the deployment(s) whose rollback
 * the alarm started — several are told apart by how much worse their new revision answered than the old,
 * then by the alarm's own naming, then by the alarm's service; the deployment the alarm's evaluation (or a
 * person) named; the deployment of the alarm's service under way at the trigger, else its latest; only then,
 * as a guess the reason admits, the latest deployment in the alarm's environment. Every other change in the
 * window is "also changed", same environment first, then by closeness to the trigger.
 */
export function findLikelyCause(f: CauseFacts): CauseVerdict {
  const envs = f.environment !== null ? [f.environment] : f.rollbackEnvironments;
  const inEnv = (c: Change): boolean => envs.length === 0 || envs.includes(c.environment);
  const before = f.changes.filter((c) => c.startedAtMs <= f.triggeredAtMs);
  const recent = before.filter((c) => f.triggeredAtMs - c.startedAtMs <= f.windowMs || inFlightAt(c, f.triggeredAtMs));
  const cause = byRollback(f, before.filter(inEnv)) ?? byName(f, before) ?? byService(f, recent.filter(inEnv)) ?? byEnvironment(f, recent.filter(inEnv), envs);
  const environment = f.environment ?? cause?.change.environment ?? (envs.length === 1 ? envs[0]! : null);
  const alsoChanged = f.changes
    .filter((c) => c !== cause?.change && Math.abs(f.triggeredAtMs - c.startedAtMs) <= f.windowMs && c.startedAtMs <= (cause?.change.restoredAtMs ?? f.triggeredAtMs))
    .map((c) => ({ change: c, sameEnvironment: environment === null || c.environment === environment, beforeTriggerMs: f.triggeredAtMs - c.startedAtMs }))
    .sort((a, b) => Number(b.sameEnvironment) - Number(a.sameEnvironment) || Math.abs(a.beforeTriggerMs) - Math.abs(b.beforeTriggerMs) || a.change.ref.localeCompare(b.change.ref));
  return { cause, environment, alsoChanged };
}

/**
 * The changes whose rollback `alarm` started at this firing (at `triggeredAtMs`, or up to a minute
 * before its event): a rollback the same alarm started for an earlier incident is history.
 */
export function rolledBackBy(changes: readonly Change[], alarm: string, triggeredAtMs: number): Change[] {
  return changes.filter((c) => c.startedAtMs <= triggeredAtMs && c.rolledBackBy.includes(alarm) && c.rollbackStartedAtMs !== null && c.rollbackStartedAtMs >= triggeredAtMs - ROLLBACK_SLACK_MS);
}

function byRollback(f: CauseFacts, changes: readonly Change[]): LikelyCause | undefined {
  if (f.alarm === null) return undefined;
  const alarm = f.alarm;
  const rolled = rolledBackBy(changes, alarm, f.triggeredAtMs);
  if (rolled.length === 0) return undefined;
  if (rolled.length === 1) {
    const c = rolled[0]!;
    const by = c.kind === 'flag' ? 'its flag.rollout.rolled_back names the alarm' : 'its deployment.rollback.started names the alarm';
    return { change: c, rule: 'rolled-back-by-alarm', reason: `alarm ${alarm} ${c.kind === 'flag' ? 'reverted it' : 'rolled it back'} (${by})` };
  }
  const allDeployments = rolled.every((c) => c.kind === 'deployment');
  const others = `alarm ${alarm} rolled back ${rolled.length} ${allDeployments ? 'deployments' : 'changes'} (${rolled.map((c) => (allDeployments ? String(deploymentIdOfChange(c)) : changeName(c))).join(', ')})`;
  const worse = rolled
    .map((c) => ({ c, r: c.kind === 'deployment' ? f.errorRates?.get(c.deploymentId) : undefined }))
    .filter((x): x is { c: Change & { kind: 'deployment' }; r: RevisionErrorRates } => x.r !== undefined && x.r.newRate > x.r.oldRate)
    .sort((a, b) => b.r.newRate - b.r.oldRate - (a.r.newRate - a.r.oldRate));
  if (worse.length > 0) {
    const { c, r } = worse[0]!;
    return { change: c, rule: 'rolled-back-by-alarm', reason: `${others}; the new revision ${c.toRevision ?? '?'} of ${c.service} answered ${pct(r.newRate)} of its requests with 5xx against ${pct(r.oldRate)} for ${c.fromRevision ?? 'the old one'}` };
  }
  const named = rolled.find((c) => f.namedByAlarm !== null && deploymentIdOfChange(c) === f.namedByAlarm);
  if (named !== undefined) return { change: named, rule: 'rolled-back-by-alarm', reason: `${others}; its evaluation named ${changeName(named)}` };
  const own = rolled.filter((c) => serviceOf(c) !== null && serviceOf(c) === f.service).at(-1);
  if (own !== undefined) return { change: own, rule: 'rolled-back-by-alarm', reason: `${others}; ${changeName(own)} is of ${serviceOf(own)}, the service it watches` };
  const last = rolled.at(-1)!;
  return { change: last, rule: 'rolled-back-by-alarm', reason: `${others}; ${changeName(last)} started last` };
}

function byName(f: CauseFacts, changes: readonly Change[]): LikelyCause | undefined {
  const alarmNamed = f.namedByAlarm === null ? undefined : changes.find((c) => deploymentIdOfChange(c) === f.namedByAlarm);
  if (alarmNamed !== undefined) return { change: alarmNamed, rule: 'named-by-alarm', reason: `alarm ${f.alarm ?? '?'} changed state during ${changeName(alarmNamed)} and its evaluation named it` };
  const handNamed = f.namedByHand === null ? undefined : changes.find((c) => deploymentIdOfChange(c) === f.namedByHand);
  if (handNamed !== undefined) return { change: handNamed, rule: 'named-by-hand', reason: `the incident was opened naming ${changeName(handNamed)}` };
  return undefined;
}

/**
 * A deployment of the alarm's service under way at the trigger; else a flag rollout under way in the
 * alarm's environment (a flag is served to every service there); else the service's latest deployment.
 */
function byService(f: CauseFacts, changes: readonly Change[]): LikelyCause | undefined {
  const when = f.alarm === null ? 'the incident opened' : `alarm ${f.alarm} fired`;
  const own = f.service === null ? [] : changes.filter((c) => serviceOf(c) === f.service);
  const flying = own.filter((c) => inFlightAt(c, f.triggeredAtMs)).at(-1);
  if (flying !== undefined) return { change: flying, rule: 'in-flight', reason: `${changeName(flying)} of ${f.service} in ${flying.environment} was under way when ${when}` };
  const rollout = changes.filter((c) => c.kind === 'flag' && c.rolloutId !== null && inFlightAt(c, f.triggeredAtMs)).at(-1);
  if (rollout !== undefined) return { change: rollout, rule: 'in-flight', reason: `${changeName(rollout)} of flag ${rollout.kind === 'flag' ? rollout.key : '?'} in ${rollout.environment} was under way when ${when}` };
  const last = own.at(-1);
  if (last === undefined) return undefined;
  return { change: last, rule: 'latest-of-service', reason: `${changeName(last)} was the latest of ${f.service} in ${last.environment}, ${formatDuration(Math.max(0, f.triggeredAtMs - last.startedAtMs))} before the trigger` };
}

function byEnvironment(f: CauseFacts, changes: readonly Change[], envs: readonly string[]): LikelyCause | undefined {
  const last = changes.at(-1);
  if (last === undefined) return undefined;
  const where = envs.length === 0 ? 'any environment' : envs.join(', ');
  const what = last.kind === 'deployment' ? `deployment ${last.deploymentId} of ${last.service}` : `${changeName(last)} of flag ${last.key}`;
  return { change: last, rule: 'latest-in-environment', reason: `no event names the change behind ${f.alarm === null ? 'the incident' : `alarm ${f.alarm}`}; ${what} is only the most recent in ${where} before the trigger (${formatDuration(Math.max(0, f.triggeredAtMs - last.startedAtMs))})` };
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

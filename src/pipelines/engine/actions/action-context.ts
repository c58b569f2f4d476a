import type { Clock, Logger } from '../../../core/index.js';
import type { LocalRegistry } from '../../../images/index.js';
import type { ResolvedApp } from '../../../shared/index.js';
import type { ArtifactStore } from '../../artifacts/index.js';
import type { KnownSecret, SecretStore } from '../../secrets/index.js';
import type { SourceRepo } from '../../triggers/source-repo.js';
import type { LogStream } from '../log-store.js';
import type { ActionOutcome, ActionRecord, RunRecord } from '../model.js';
import type { ActionEventData, ActionEventType } from '../run-events.js';
import type { ActionPatch } from '../run-store.js';
import type { Deployer, Ingresses, Planner } from '../ports.js';

/** What every action executor may use. */
export interface ActionServices {
  readonly app: ResolvedApp;
  readonly repo: SourceRepo;
  /** `<data>/workspaces`: one fresh checkout per build or scan attempt. */
  readonly workspacesDir: string;
  /** `<data>/releases`: unpacked artifacts deploy actions hand to the deployer; they stay. */
  readonly releasesDir: string;
  readonly secrets: SecretStore;
  readonly artifacts: ArtifactStore;
  readonly deployer: Deployer;
  /** Plan actions go through it. @default none (plan actions fail) */
  readonly planner?: Planner;
  /** Load tests find the environments' ingress listeners through it. @default none (load tests fail) */
  readonly ingresses?: Ingresses;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Run `npm audit` in scan actions and over images' lockfiles. */
  readonly scanAudit: boolean;
  /**
   * The local registry: image actions build, scan and push through it, and build actions get the
   * `docker`/`aws` commands against it. @default none (image actions fail; builds get no shims)
   */
  readonly images?: LocalRegistry;
  /** Every secret value to mask, with its reference (all the store's secrets and their JSON fields, when it can list them). */
  secretValues(): Promise<KnownSecret[]>;
}

/** One attempt of one action. */
export interface ActionContext {
  readonly services: ActionServices;
  readonly run: RunRecord;
  /**
   * The action as stored for this attempt, except `configuration`: that one
   * has pipeline variables resolved to their real values, secrets included
   * (the stored one shows them as `***`). Never store or log it unmasked.
   */
  readonly action: ActionRecord;
  readonly attempt: number;
  /** The attempt was in flight when the previous control plane stopped. */
  readonly resumed: boolean;
  /** Aborted with reason `TimedOut`, `Stopped` (cancel) or `Closed` (the engine closes). */
  readonly signal: AbortSignal;
  /** The attempt's time limit. */
  readonly timeoutMs: number;
  /** Time left before the attempt times out. */
  readonly remainingMs: number;
  /** Stores one log line of the action (masked by the caller for process output). */
  log(line: string, stream?: LogStream): void;
  /** Appends an event about this run (subject `pipeline-run/<id>`; run, stage and action added to `data`). */
  emit<T extends ActionEventType>(type: T, data: ActionEventData<T>): void;
  /** Persists part of the action's state while it runs (e.g. an approval's Waiting). */
  update(patch: ActionPatch): ActionRecord;
}

/** Runs one attempt of an action type. Never throws for an expected failure: the outcome says it. */
export type ActionExecutor = (ctx: ActionContext) => Promise<ActionOutcome>;

/** The outcome of an attempt that ended because its signal was aborted. */
export function abortedOutcome(signal: AbortSignal, timeoutMs: number): ActionOutcome {
  return signal.reason === 'TimedOut'
    ? { status: 'Failed', reason: `the action did not finish within ${timeoutMs} ms` }
    : { status: 'Stopped', reason: signal.reason === 'Closed' ? 'the control plane stopped' : 'the run was stopped' };
}

import type { SlipwayEvent } from '../core/index.js';
import { DEPLOYMENT_EVENT_TYPES, DEPLOYMENT_FAILED, DEPLOYMENT_ROLLED_BACK, DEPLOYMENT_SUCCEEDED, payloadOfAny, type EventPayloads } from '../shared/index.js';
import type { DeploymentOutcome, DoraCommit } from './model.js';

/** A finished deployment read from the event log, before its commits are known. */
export interface DerivedDeployment {
  readonly id: string;
  readonly service: string;
  readonly environment: string;
  readonly status: DeploymentOutcome;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  /** The revision production served before; null for a first deployment. */
  readonly fromRevision: string | null;
  readonly toRevision: string;
  /** The commits the deployment's events listed (`data.commits`), if they did. */
  readonly commits: readonly DoraCommit[] | undefined;
}

const OUTCOME: Readonly<Record<string, DeploymentOutcome>> = {
  [DEPLOYMENT_SUCCEEDED]: 'Succeeded',
  [DEPLOYMENT_ROLLED_BACK]: 'RolledBack',
  [DEPLOYMENT_FAILED]: 'Failed',
};

type DeploymentPayload = EventPayloads[(typeof DEPLOYMENT_EVENT_TYPES)[number]];
type Read = { readonly e: SlipwayEvent; readonly p: DeploymentPayload };

/**
 * Finished deployments from `deployment.*` events (pure), read through the event catalog and grouped by
 * deployment id; events the catalog cannot read are skipped. Left out: deployments
 * not finished yet, those stopped by a user (`rolled_back` with state `Stopped`:
 * they never changed production), and rollback deployments (`kind: 'Rollback'`: they restore, they deliver
 * no change) and unchanged ones (`unchanged: true` on `deployment.succeeded`: the revision already
 * served everything). Started = `deployment.started` (else `created`, else the first event); finished = the
 * terminal event's time.
 */
export function deriveDeployments(events: readonly SlipwayEvent[]): DerivedDeployment[] {
  const groups = new Map<string, Read[]>();
  for (const e of events) {
    const p = payloadOfAny(e, DEPLOYMENT_EVENT_TYPES);
    if (p === undefined) continue;
    const id = String(p.deploymentId);
    const list = groups.get(id) ?? [];
    list.push({ e, p });
    groups.set(id, list);
  }
  const out: DerivedDeployment[] = [];
  for (const [id, list] of groups) {
    list.sort((a, b) => a.e.seq - b.e.seq);
    const terminal = list.findLast(({ e }) => OUTCOME[e.type] !== undefined);
    if (terminal === undefined) continue;
    if ((terminal.e.type === DEPLOYMENT_ROLLED_BACK && terminal.p.state === 'Stopped') || list.some(({ p }) => p.kind === 'Rollback' || ('unchanged' in p && p.unchanged === true))) continue;
    const last = terminal.p;
    const started = list.find(({ e }) => e.type === 'deployment.started') ?? list.find(({ e }) => e.type === 'deployment.created') ?? list[0]!;
    out.push({
      id,
      service: last.service,
      environment: last.environment,
      status: OUTCOME[terminal.e.type]!,
      startedAtMs: started.e.timeMs,
      finishedAtMs: terminal.e.timeMs,
      fromRevision: last.fromRevision,
      toRevision: last.toRevision,
      commits: list.find(({ p }) => p.commits !== undefined)?.p.commits?.map((c) => ({ sha: c.sha, committedAtMs: c.committedAtMs })),
    });
  }
  return out.sort((a, b) => a.finishedAtMs - b.finishedAtMs || a.id.localeCompare(b.id));
}

/** The deployment an event is about: `data.deploymentId` (the catalog reads the first version's `id`) or a `deployment/<id>` subject. */
export function deploymentIdOf(e: SlipwayEvent): string | undefined {
  const p = payloadOfAny(e, DEPLOYMENT_EVENT_TYPES);
  if (p !== undefined) return String(p.deploymentId);
  return /^deployment\/(.+)$/.exec(e.subject)?.[1];
}

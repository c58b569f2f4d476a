import type { SlipwayEvent } from '../core/index.js';
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

const OUTCOME: Readonly<Record<string, DeploymentOutcome | 'Stopped'>> = {
  'deployment.succeeded': 'Succeeded',
  'deployment.rolled_back': 'RolledBack',
  'deployment.failed': 'Failed',
  'deployment.stopped': 'Stopped',
};

/**
 * Finished deployments from `deployment.*` events (pure), grouped by deployment id. Left out: deployments
 * not finished yet, those stopped by a user (`deployment.stopped`, or `rolled_back` with state `Stopped`:
 * they never changed production), rollback deployments (`kind: 'Rollback'`: they restore, they deliver
 * no change) and unchanged ones (`unchanged: true` on `deployment.succeeded`). Started = `deployment.started` (else `created`, else the first event); finished = the
 * terminal event's time.
 */
export function deriveDeployments(events: readonly SlipwayEvent[]): DerivedDeployment[] {
  const groups = new Map<string, SlipwayEvent[]>();
  for (const e of events) {
    if (!e.type.startsWith('deployment.')) continue;
    const id = deploymentIdOf(e);
    if (id === undefined) continue;
    const list = groups.get(id) ?? [];
    list.push(e);
    groups.set(id, list);
  }
  const out: DerivedDeployment[] = [];
  for (const [id, list] of groups) {
    list.sort((a, b) => a.seq - b.seq);
    const terminal = list.findLast((e) => OUTCOME[e.type] !== undefined);
    if (terminal === undefined) continue;
    const outcome = terminal.type === 'deployment.rolled_back' && terminal.data.state === 'Stopped' ? 'Stopped' : OUTCOME[terminal.type]!;
    // Unchanged deployments (the revision already served everything) deliver nothing either.
    if (outcome === 'Stopped' || list.some((e) => e.data.kind === 'Rollback' || e.data.unchanged === true)) continue;
    const field = (key: string) => list.map((e) => e.data[key]).findLast((v): v is string => typeof v === 'string' && v !== '');
    const service = field('service');
    const environment = field('environment');
    const toRevision = field('toRevision');
    if (service === undefined || environment === undefined || toRevision === undefined) continue;
    const started = list.find((e) => e.type === 'deployment.started') ?? list.find((e) => e.type === 'deployment.created') ?? list[0]!;
    out.push({
      id,
      service,
      environment,
      status: outcome,
      startedAtMs: started.timeMs,
      finishedAtMs: terminal.timeMs,
      fromRevision: field('fromRevision') ?? null,
      toRevision,
      commits: commitsOf(list),
    });
  }
  return out.sort((a, b) => a.finishedAtMs - b.finishedAtMs || a.id.localeCompare(b.id));
}

function commitsOf(list: readonly SlipwayEvent[]): DoraCommit[] | undefined {
  for (const e of list) {
    const raw = e.data.commits;
    if (!Array.isArray(raw)) continue;
    return raw.flatMap((c: unknown) => {
      const { sha, committedAtMs } = (c ?? {}) as { sha?: unknown; committedAtMs?: unknown };
      return typeof sha === 'string' && typeof committedAtMs === 'number' && Number.isFinite(committedAtMs) ? [{ sha, committedAtMs }] : [];
    });
  }
  return undefined;
}

/** The deployment an event is about: `data.deploymentId`, `data.id` or a `deployment/<id>` subject. */
export function deploymentIdOf(e: SlipwayEvent): string | undefined {
  for (const v of [e.data.deploymentId, e.data.id]) {
    if ((typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '')) return String(v);
  }
  const m = /^deployment\/(.+)$/.exec(e.subject);
  return m?.[1];
}

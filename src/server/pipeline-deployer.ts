import { nextEvent, type EventLog } from '../core/index.js';
import { deploymentSubject, isTerminal, type Deployment, type DeploymentEngine } from '../deployments/index.js';
import type { Deployer, DeployRequest, DeployResult } from '../pipelines/index.js';
import { SlipwayError } from '../shared/index.js';
import { readImageDefinitions } from './image-definitions.js';
import { codeChangedSince, serviceRevisions, type ServiceRevisionOptions } from './service-revision.js';
import type { DeployPreparation } from './iac-wiring.js';

/** How one service's deployment ended for the action. */
interface DeployOutcome {
  readonly id: number;
  readonly service: string;
  readonly revision: string;
  readonly state: string;
  readonly reason: string | null;
  readonly unchanged: boolean;
}

/**
 * The pipeline's deploy action, carried out by the deployment engine: one
 * deployment per service (all of the app's when the action names none), with
 * the environment's strategy, waited on until each ends. Each service deploys
 * its own revision (the last commit that touched its inputs, see
 * {@link serviceRevisions}): a service the commit did not touch finds its
 * revision already serving, and its deployment is recorded as unchanged and
 * reported back as such. Idempotent for a resumed action: a deployment of the
 * same revision already started is waited on instead of started again.
 * Cancelling the run aborts (rolls back) them at once, whatever step they wait in; the control
 * plane stopping leaves them to be resumed.
 */
export function pipelineDeployer(engine: DeploymentEngine, events: EventLog, source: ServiceRevisionOptions, prepare?: (req: DeployRequest) => Promise<DeployPreparation>): Deployer {
  const { app } = source;
  return {
    async deploy(req: DeployRequest): Promise<DeployResult> {
      let prepared: DeployPreparation | undefined;
      if (prepare) {
        try {
          prepared = await prepare(req);
        } catch (err) {
          // Nothing was deployed: the model did not apply (invalid, stale plan, a change failed).
          return { status: 'Failed', deploymentIds: [], message: (err as Error).message };
        }
      }
      const services = req.service ? [req.service] : [...(prepared?.services ?? Object.keys(app.services))];
      const revisions = await serviceRevisions(source, req.commitSha, req.revision);
      const revisionOf = async (service: string): Promise<string> => {
        const next = revisions[service] ?? req.revision;
        if (!prepared || prepared.rolling.has(service) || req.rollback) return next;
        // The commit changed the app model but nothing of this service that needs new tasks:
        // when its code did not change either, it keeps serving its revision (an unchanged deployment).
        const serving = prepared.serving[service];
        const svc = app.services[service];
        if (serving === undefined || svc === undefined) return next;
        return (await codeChangedSince(source, svc, serving, req.commitSha)) ? next : serving;
      };
      const outcomes = await Promise.all(services.map(async (service) => deployOne(service, { ...req, revision: await revisionOf(service) })));
      const ids = outcomes.map((o) => String(o.id));
      const unchanged = outcomes.filter((o) => o.unchanged).map((o) => ({ service: o.service, revision: o.revision, reason: o.reason ?? 'unchanged' }));
      const extra = unchanged.length > 0 ? { unchanged } : {};
      const failed = outcomes.filter((o) => o.state !== 'Succeeded');
      if (failed.length === 0) return { status: 'Succeeded', deploymentIds: ids, ...extra };
      const rolledBack = failed.some((o) => o.state === 'RolledBack');
      return {
        status: rolledBack ? 'RolledBack' : 'Failed',
        deploymentIds: ids,
        ...extra,
        message: failed.map((o) => `${o.service}: deployment ${o.id} ${o.state}${o.reason ? ` (${o.reason})` : ''}`).join('; '),
      };
    },
  };

  async function deployOne(service: string, req: DeployRequest): Promise<DeployOutcome> {
    const existing = req.resumed
      ? engine.service.list({ service, environment: req.environment }).find((d) => d.toRevision === req.revision)
      : undefined;
    let id: number;
    if (existing) id = existing.id;
    else {
      // A revision that already serves everything is not refused: the service records an unchanged deployment that succeeds at once.
      try {
        // The run's image action pushed this digest; else a container build's artifact names the image of
        // each service it built, as ECS's deploy action reads it.
        const image = req.images?.[service] ?? readImageDefinitions(req.sourceDir)[service];
        const started = engine.service.start({ service, environment: req.environment, revision: req.revision, sourceDir: req.sourceDir, ...(image !== undefined ? { image } : {}) });
        // Only an unchanged deployment is finished the moment it is created.
        if (started.state === 'Succeeded') return { id: started.id, service, revision: req.revision, state: 'Succeeded', reason: started.message, unchanged: true };
        id = started.id;
      } catch (err) {
        if (err instanceof SlipwayError) return { id: 0, service, revision: req.revision, state: 'Failed', reason: err.message, unchanged: false };
        throw err;
      }
    }
    // The action's signal ends the wait, whenever it fired (also before this point: while the
    // source was unpacked or the model applied).
    let onAbort = (): void => undefined;
    const aborted = new Promise<void>((resolve) => (onAbort = resolve));
    req.signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Wake on the deployment's own events; a slow timer covers anything missed.
      for (;;) {
        const d = engine.service.get(id);
        if (isTerminal(d.state)) return { id, service, revision: req.revision, state: d.state, reason: d.rollback?.reason ?? d.message, unchanged: false };
        if (req.signal.aborted) return await stop(d, req.signal.reason);
        await Promise.race([nextEvent(events, (e) => e.subject === deploymentSubject(id), 1000), aborted]);
      }
    } finally {
      req.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The action ends before its deployment. The control plane stopping (`Closed`) leaves the
   * deployment as it is: the engine resumes it on the next start, and so does the resumed action.
   * A cancelled run (or a timed-out action) aborts it: the rollback is recorded before this
   * returns and the engine carries it out (after a crash too), so the caller does not wait for
   * bakes or for tasks to drain.
   */
  async function stop(d: Deployment, reason: unknown): Promise<DeployOutcome> {
    const base = { id: d.id, service: d.service, revision: d.toRevision, unchanged: false };
    if (reason === 'Closed') return { ...base, state: d.state, reason: 'the control plane stopped; the deployment resumes when it starts again' };
    const next = await engine.service.abort(d.id).catch(() => engine.service.get(d.id));
    return { ...base, state: next.state, reason: next.rollback?.reason ?? next.message };
  }
}

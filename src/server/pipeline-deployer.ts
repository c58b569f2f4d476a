import { nextEvent, type EventLog } from '../core/index.js';
import { deploymentSubject, isTerminal, type DeploymentEngine } from '../deployments/index.js';
import type { Deployer, DeployRequest, DeployResult } from '../pipelines/index.js';
import { SlipwayError } from '../shared/index.js';
import { serviceRevisions, type ServiceRevisionOptions } from './service-revision.js';

/**
 * The pipeline's deploy action, carried out by the deployment engine: one
 * deployment per service (all of the app's when the action names none), with
 * the environment's strategy, waited on until each ends. Each service deploys
 * its own revision (the last commit that touched its inputs, see
 * {@link serviceRevisions}): a service the commit did not touch finds its
 * revision already serving, and its deployment is recorded as unchanged and
 * reported back as such. Idempotent for a resumed action: a deployment of the
 * same revision already started is waited on instead of started again.
 * Cancelling the run aborts (rolls back) them.
 */
export function pipelineDeployer(engine: DeploymentEngine, events: EventLog, source: ServiceRevisionOptions): Deployer {
  const { app } = source;
  return {
    async deploy(req: DeployRequest): Promise<DeployResult> {
      const services = req.service ? [req.service] : Object.keys(app.services);
      const revisions = await serviceRevisions(source, req.commitSha, req.revision);
      const outcomes = await Promise.all(services.map((service) => deployOne(service, { ...req, revision: revisions[service] ?? req.revision })));
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

  async function deployOne(service: string, req: DeployRequest): Promise<{ id: number; service: string; revision: string; state: string; reason: string | null; unchanged: boolean }> {
    const existing = req.resumed
      ? engine.service.list({ service, environment: req.environment }).find((d) => d.toRevision === req.revision)
      : undefined;
    let id: number;
    if (existing) id = existing.id;
    else {
      // A revision that already serves everything is not refused: the service records an unchanged deployment that succeeds at once.
      try {
        const started = engine.service.start({ service, environment: req.environment, revision: req.revision, sourceDir: req.sourceDir });
        // Only an unchanged deployment is finished the moment it is created.
        if (started.state === 'Succeeded') return { id: started.id, service, revision: req.revision, state: 'Succeeded', reason: started.message, unchanged: true };
        id = started.id;
      } catch (err) {
        if (err instanceof SlipwayError) return { id: 0, service, revision: req.revision, state: 'Failed', reason: err.message, unchanged: false };
        throw err;
      }
    }
    const onAbort = () => void engine.service.abort(id).catch(() => undefined);
    req.signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Wake on the deployment's own events; a slow timer covers anything missed.
      for (;;) {
        const d = engine.service.get(id);
        if (isTerminal(d.state)) return { id, service, revision: req.revision, state: d.state, reason: d.rollback?.reason ?? d.message, unchanged: false };
        await nextEvent(events, (e) => e.subject === deploymentSubject(id), 1000);
      }
    } finally {
      req.signal.removeEventListener('abort', onAbort);
    }
  }
}

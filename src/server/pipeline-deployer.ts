import { nextEvent, type EventLog } from '../core/index.js';
import { deploymentSubject, isTerminal, type DeploymentEngine } from '../deployments/index.js';
import type { Deployer, DeployRequest, DeployResult } from '../pipelines/index.js';
import { SlipwayError, type ResolvedApp } from '../shared/index.js';

/**
 * The pipeline's deploy action, carried out by the deployment engine: one
 * deployment per service (all of the app's when the action names none), with
 * the environment's strategy, waited on until each ends. Idempotent for a
 * resumed action: a deployment of the same revision already started is waited
 * on instead of started again. Cancelling the run aborts (rolls back) them.
 */
export function pipelineDeployer(engine: DeploymentEngine, app: ResolvedApp, events: EventLog): Deployer {
  return {
    async deploy(req: DeployRequest): Promise<DeployResult> {
      const services = req.service ? [req.service] : Object.keys(app.services);
      const outcomes = await Promise.all(services.map((service) => deployOne(service, req)));
      const ids = outcomes.map((o) => String(o.id));
      const failed = outcomes.filter((o) => o.state !== 'Succeeded');
      if (failed.length === 0) return { status: 'Succeeded', deploymentIds: ids };
      const rolledBack = failed.some((o) => o.state === 'RolledBack');
      return {
        status: rolledBack ? 'RolledBack' : 'Failed',
        deploymentIds: ids,
        message: failed.map((o) => `${o.service}: deployment ${o.id} ${o.state}${o.reason ? ` (${o.reason})` : ''}`).join('; '),
      };
    },
  };

  async function deployOne(service: string, req: DeployRequest): Promise<{ id: number; service: string; state: string; reason: string | null }> {
    const existing = req.resumed
      ? engine.service.list({ service, environment: req.environment }).find((d) => d.toRevision === req.revision)
      : undefined;
    let id: number;
    if (existing) id = existing.id;
    else {
      // A revision that already serves everything is not refused: the service records an unchanged deployment that succeeds at once.
      try {
        id = engine.service.start({ service, environment: req.environment, revision: req.revision, sourceDir: req.sourceDir }).id;
      } catch (err) {
        if (err instanceof SlipwayError) return { id: 0, service, state: 'Failed', reason: err.message };
        throw err;
      }
    }
    const onAbort = () => void engine.service.abort(id).catch(() => undefined);
    req.signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Wake on the deployment's own events; a slow timer covers anything missed.
      for (;;) {
        const d = engine.service.get(id);
        if (isTerminal(d.state)) return { id, service, state: d.state, reason: d.rollback?.reason ?? d.message };
        await nextEvent(events, (e) => e.subject === deploymentSubject(id), 1000);
      }
    } finally {
      req.signal.removeEventListener('abort', onAbort);
    }
  }
}

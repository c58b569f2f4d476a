import type { EventPayloads } from '../../src/shared/index.js';

type DeploymentType = 'deployment.created' | 'deployment.started' | 'deployment.traffic.shifted' | 'deployment.succeeded' | 'deployment.rolled_back' | 'deployment.failed';

/** What each deployment type carries beyond the deployment's own fields, as the engine writes it. */
const EXTRA: { readonly [T in DeploymentType]: Omit<EventPayloads[T], keyof EventPayloads['deployment.succeeded']> } = {
  'deployment.created': { strategy: 'AllAtOnce', plan: [] },
  'deployment.started': { strategy: 'AllAtOnce', plan: [] },
  'deployment.traffic.shifted': { from: {}, to: {} },
  'deployment.succeeded': {},
  'deployment.rolled_back': { trigger: 'alarm' },
  'deployment.failed': {},
};

/**
 * A complete payload of a `deployment.*` event for tests that script a history by hand: the fields the
 * deployment recorder always writes, with `fields` over them (`deploymentId`, `service`, … as the test needs).
 */
export function deploymentPayload<T extends DeploymentType>(type: T, fields: Partial<EventPayloads[T]> & { readonly deploymentId: number }): EventPayloads[T] {
  return {
    kind: 'Deploy',
    service: 'gateway',
    environment: 'production',
    fromRevision: 'r1',
    toRevision: 'r2',
    state: type === 'deployment.succeeded' ? 'Succeeded' : type === 'deployment.rolled_back' ? 'RolledBack' : type === 'deployment.failed' ? 'Failed' : 'InProgress',
    stepIndex: 0,
    weights: {},
    reason: null,
    ...EXTRA[type],
    ...fields,
  } as EventPayloads[T];
}

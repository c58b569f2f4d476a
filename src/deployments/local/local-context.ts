import type { RevisionStore } from '../store/revision-store.js';
import type { RoutingStateStore } from '../store/routing-state-store.js';
import type { TrafficController } from '../traffic/traffic-controller.js';
import type { LocalEnvironmentsOptions } from './local-environments-options.js';

/** What the operations of the local environments share: their options, stores, routing and service ports. */
export interface LocalContext {
  readonly o: LocalEnvironmentsOptions;
  readonly revisions: RevisionStore;
  readonly state: RoutingStateStore;
  readonly traffic: TrafficController;
  /** Stable service-discovery port by `<environment>/<service>`. */
  readonly ports: Map<string, number>;
}

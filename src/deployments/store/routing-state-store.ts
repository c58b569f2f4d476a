import type { Db } from '../../core/index.js';

/**
 * Routing state the control plane must keep across restarts: the stable service-discovery port of each service in each environment. Tasks
 * get peer URLs built from these ports at start, so they must not change
 * across control-plane restarts.
 */
export class RoutingStateStore {
  constructor(private readonly db: Db) {}

  /** Every recorded port, keyed `<environment>/<service>`. */
  all(): Map<string, number> {
    const rows = this.db.prepare<[], { environment: string; service: string; port: number }>('SELECT environment, service, port FROM deploy_service_ports').all();
    return new Map(rows.map((r) => [`${r.environment}/${r.service}`, r.port]));
  }

  /** Records a port. */
  set(environment: string, service: string, port: number): void {
    this.db.prepare('INSERT INTO deploy_service_ports (environment, service, port) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET port = excluded.port').run(environment, service, port);
  }

  /** The last routing-table version this control plane pushed (0 when none). */
  routerVersion(): number {
    return this.db.prepare<[], { version: number }>('SELECT version FROM deploy_router_state WHERE id = 1').get()?.version ?? 0;
  }

  /** Records the routing-table version pushed. */
  setRouterVersion(version: number): void {
    this.db.prepare('INSERT INTO deploy_router_state (id, version) VALUES (1, ?) ON CONFLICT DO UPDATE SET version = excluded.version').run(version);
  }
}

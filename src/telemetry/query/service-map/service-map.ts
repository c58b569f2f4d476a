import type { Db } from '../../../core/index.js';
import { STATUS_CODES } from '../../store/span-columns.js';
import { MAP_CALL, MAP_ENTRY } from '../../store/write-spans.js';
import { nearestRank } from '../metrics/statistic.js';
import { findBrowserServices } from './browser-services.js';

/** What a node of the service map is: `client` is a browser (the pages of real-user monitoring). */
export type ServiceMapNodeType = 'service' | 'client' | 'database' | 'external';

/** Request statistics of a node or an edge (X-Ray's classification). */
export interface CallStats {
  /** Requests. */
  readonly requests: number;
  /** Client errors: HTTP 4xx. */
  readonly errors: number;
  /** Faults: HTTP 5xx, or status Error without a 4xx. */
  readonly faults: number;
  /** `errors / requests`. */
  readonly errorRate: number;
  /** `faults / requests`. */
  readonly faultRate: number;
  /** Median latency, ms (nearest rank). */
  readonly p50Ms: number;
  /** 99th percentile latency, ms (nearest rank). */
  readonly p99Ms: number;
}

/** A node: a service, a browser client, or a database or external endpoint it calls. */
export interface ServiceMapNode extends CallStats {
  /** Node id (its name). */
  readonly id: string;
  /** Kind of node. */
  readonly type: ServiceMapNodeType;
  /** `db.system` of a database node. */
  readonly dbSystem?: string;
}

/** An edge: calls from one node to another. */
export interface ServiceMapEdge extends CallStats {
  /** Caller node id. */
  readonly source: string;
  /** Callee node id. */
  readonly target: string;
}

/** The service map of a window. */
export interface ServiceMap {
  /** Nodes, sorted by id. */
  readonly nodes: ServiceMapNode[];
  /** Edges, sorted by source then target. */
  readonly edges: ServiceMapEdge[];
}

class Acc {
  requests = 0;
  errors = 0;
  faults = 0;
  durations: number[] = [];
  add(durationMs: number, status: number, httpStatus: number | null): void {
    this.requests++;
    this.durations.push(durationMs);
    if (httpStatus !== null && httpStatus >= 400 && httpStatus < 500) this.errors++;
    else if ((httpStatus !== null && httpStatus >= 500) || status === STATUS_CODES.Error) this.faults++;
  }
  stats(): CallStats {
    const sorted = Float64Array.from(this.durations).sort();
    return {
      requests: this.requests,
      errors: this.errors,
      faults: this.faults,
      errorRate: this.requests === 0 ? 0 : this.errors / this.requests,
      faultRate: this.requests === 0 ? 0 : this.faults / this.requests,
      p50Ms: nearestRank(sorted, 50) ?? 0,
      p99Ms: nearestRank(sorted, 99) ?? 0,
    };
  }
}

function getAcc<K>(map: Map<K, Acc>, key: K): Acc {
  let a = map.get(key);
  if (a === undefined) map.set(key, (a = new Acc()));
  return a;
}

/**
 * The service map of spans started in `[startMs, endMs)`, of one environment when `environment`
 * is given (spans whose resource's `deployment.environment.name`, else `deployment.environment`,
 * is that name; spans that name none are then left out).
 * - A service node's statistics come from its entry spans (server or consumer spans,
 *   and roots of any kind).
 * - An edge caller → callee comes from the callee's entry spans whose parent is a span
 *   of another service (resolved at ingest), with the callee's statistics.
 * - A service whose spans come from a browser (see {@link findBrowserServices}) is a `client`
 *   node: the pages of real-user monitoring, whose fetches the gateway answers.
 * - A client or producer span that no server span answered is a call to a leaf node:
 *   a database (named by `db.name`, else `db.system`) or an external endpoint
 *   (`peer.service`, `server.address`, `net.peer.name`, or the URL's host), with the
 *   client span's statistics.
 */
export function buildServiceMap(db: Db, startMs: number, endMs: number, environment?: string): ServiceMap {
  // Only with an environment are the rows read whole: the map index covers everything else.
  const inEnvironment = environment === undefined ? '' : `AND coalesce(json_extract(resource, '$."deployment.environment.name"'), json_extract(resource, '$."deployment.environment"')) = ?`;
  const params = environment === undefined ? [startMs, endMs] : [startMs, endMs, environment];
  const nodes = new Map<string, Acc>();
  const types = new Map<string, { type: ServiceMapNodeType; dbSystem?: string }>();
  const edges = new Map<string, Acc>();
  const entries = db
    .prepare(
      `SELECT service, parent_service, duration_ms, status, http_status FROM spans
       WHERE map_role = ${MAP_ENTRY} AND start_ms >= ? AND start_ms < ? ${inEnvironment}`,
    )
    .raw(true);
  const browsers = findBrowserServices(db, startMs, endMs);
  for (const [service, parentService, duration, status, http] of entries.all(...params) as Array<[string, string | null, number, number, number | null]>) {
    getAcc(nodes, service).add(duration, status, http);
    types.set(service, { type: browsers.has(service) ? 'client' : 'service' });
    if (parentService !== null && parentService !== service) getAcc(edges, `${parentService}\u0000${service}`).add(duration, status, http);
  }
  const leaves = db
    .prepare(
      `SELECT service, peer, db_system, duration_ms, status, http_status FROM spans
       WHERE map_role = ${MAP_CALL} AND start_ms >= ? AND start_ms < ? AND remote_child = 0 ${inEnvironment}`,
    )
    .raw(true);
  for (const [service, peer, dbSystem, duration, status, http] of leaves.all(...params) as Array<[string, string, string | null, number, number, number | null]>) {
    if (!types.has(service)) types.set(service, { type: 'service' });
    if (!nodes.has(service)) getAcc(nodes, service);
    getAcc(nodes, peer).add(duration, status, http);
    if (types.get(peer)?.type !== 'service') types.set(peer, dbSystem !== null ? { type: 'database', dbSystem } : { type: 'external' });
    getAcc(edges, `${service}\u0000${peer}`).add(duration, status, http);
  }
  return {
    nodes: [...nodes]
      .map(([id, acc]): ServiceMapNode => {
        const t = types.get(id) ?? { type: 'service' };
        return { id, type: t.type, ...(t.dbSystem !== undefined ? { dbSystem: t.dbSystem } : {}), ...acc.stats() };
      })
      .sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...edges]
      .map(([k, acc]): ServiceMapEdge => {
        const [source = '', target = ''] = k.split('\u0000');
        return { source, target, ...acc.stats() };
      })
      .sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target)),
  };
}

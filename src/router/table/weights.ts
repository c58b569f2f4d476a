import { InputError, NotFoundError } from '../../shared/index.js';
import type { CompiledTable } from './compiled.js';
import { serviceKey } from './parse-table.js';
import type { RoutingTable } from './schema.js';

/** A `setWeights` request: the new weight of every target group of a service. */
export interface SetWeightsRequest {
  readonly environment: string;
  readonly service: string;
  /** Target group id → integer percent; all groups of the service, summing to 100. */
  readonly weights: Readonly<Record<string, number>>;
}

/** What the data plane actually does for one service (`verifyWeights`). */
export interface EffectiveWeights {
  readonly environment: string;
  readonly service: string;
  /** Version of the table being served. */
  readonly version: number;
  /** Weights as configured. */
  readonly weights: Record<string, number>;
  /**
   * Shares new requests get now, in percent: the configured weights renormalised
   * over groups with a healthy target (ALB fails over the same way).
   */
  readonly effectiveWeights: Record<string, number>;
  /** Healthy targets per group. */
  readonly healthyHostCounts: Record<string, number>;
}

/**
 * Returns a copy of `table` with one service's weights replaced and the version
 * incremented. Throws NotFoundError for an unknown service, InputError when the
 * weights don't name every group exactly once or don't sum to 100.
 */
export function withWeights(table: RoutingTable, request: SetWeightsRequest): RoutingTable {
  const key = serviceKey(request.environment, request.service);
  const route = table.services.find((s) => s.environment === request.environment && s.service === request.service);
  if (route === undefined) throw new NotFoundError('SLW_ERR_ROUTER_SERVICE_NOT_FOUND', `no service ${key} in the routing table`);
  const ids = route.targetGroups.map((g) => g.id);
  const given = Object.keys(request.weights);
  const unknown = given.filter((id) => !ids.includes(id));
  const missing = ids.filter((id) => !given.includes(id));
  const issues = [
    ...unknown.map((id) => ({ path: `weights.${id}`, message: `no target group ${id} in ${key}` })),
    ...missing.map((id) => ({ path: `weights.${id}`, message: `missing; give every group of ${key} (${ids.join(', ')})` })),
  ];
  for (const id of ids) {
    const w = request.weights[id];
    if (w !== undefined && (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100)) issues.push({ path: `weights.${id}`, message: `expected an integer from 0 to 100, got ${JSON.stringify(w)}` });
  }
  const sum = ids.reduce((a, id) => a + (typeof request.weights[id] === 'number' ? (request.weights[id] as number) : 0), 0);
  if (issues.length === 0 && sum !== 100) issues.push({ path: 'weights', message: `weights of ${key} sum to ${sum}, not 100` });
  if (issues.length > 0) throw new InputError('SLW_ERR_ROUTER_WEIGHTS_INVALID', undefined, { issues });
  // Only weights change, each checked above, so the rest of the table stays as validated when it was applied.
  return {
    ...table,
    version: table.version + 1,
    services: table.services.map((s) =>
      s !== route ? s : { ...s, targetGroups: s.targetGroups.map((g) => ({ ...g, weightPercent: request.weights[g.id] as number })) },
    ),
  };
}

/** The configured and effective weights of a service in the table being served. */
export function effectiveWeights(table: CompiledTable, environment: string, service: string): EffectiveWeights {
  const s = table.services.get(serviceKey(environment, service));
  if (s === undefined) throw new NotFoundError('SLW_ERR_ROUTER_SERVICE_NOT_FOUND', `no service ${serviceKey(environment, service)} in the routing table`);
  const weights: Record<string, number> = {};
  const effective: Record<string, number> = {};
  const healthy: Record<string, number> = {};
  for (const g of s.groups) {
    weights[g.id] = g.weightPercent;
    healthy[g.id] = g.healthyTargets.length;
    effective[g.id] = s.weighted.includes(g) ? Math.round((g.weightPercent * 10_000) / s.totalWeight) / 100 : 0;
  }
  return { environment, service, version: table.version, weights, effectiveWeights: effective, healthyHostCounts: healthy };
}

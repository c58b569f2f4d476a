import { InputError, formatIssues, zodIssues, type Issue } from '../../shared/index.js';
import { routingTableSchema, type RoutingTable } from './schema.js';

/** Key of a service route: `environment/service`. */
export function serviceKey(environment: string, service: string): string {
  return `${environment}/${service}`;
}

/**
 * Validates a routing table at the boundary: the zod shape, then what zod cannot
 * see (weights summing to 100, references between listeners, services and groups).
 * Throws an {@link InputError} `SLW_ERR_ROUTER_TABLE_INVALID` listing every problem.
 */
export function parseRoutingTable(input: unknown): RoutingTable {
  const parsed = routingTableSchema.safeParse(input);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new InputError('SLW_ERR_ROUTER_TABLE_INVALID', `routing table: ${formatIssues(issues)}`, { issues });
  }
  const issues = checkReferences(parsed.data);
  if (issues.length > 0) throw new InputError('SLW_ERR_ROUTER_TABLE_INVALID', `routing table: ${formatIssues(issues)}`, { issues });
  return parsed.data;
}

function checkReferences(table: RoutingTable): Issue[] {
  const issues: Issue[] = [];
  const services = new Map<string, Set<string>>();
  table.services.forEach((s, i) => {
    const key = serviceKey(s.environment, s.service);
    if (services.has(key)) issues.push({ path: `services[${i}]`, message: `duplicate service ${key}` });
    const groups = new Set<string>();
    let sum = 0;
    s.targetGroups.forEach((g, j) => {
      if (groups.has(g.id)) issues.push({ path: `services[${i}].targetGroups[${j}].id`, message: `duplicate target group ${g.id}` });
      groups.add(g.id);
      sum += g.weightPercent;
      const targets = new Set<string>();
      g.targets.forEach((t, k) => {
        if (targets.has(t.id)) issues.push({ path: `services[${i}].targetGroups[${j}].targets[${k}].id`, message: `duplicate target ${t.id}` });
        targets.add(t.id);
      });
    });
    if (sum !== 100) issues.push({ path: `services[${i}].targetGroups`, message: `weights of ${key} sum to ${sum}, not 100` });
    s.headerRules.forEach((r, j) => {
      if (!groups.has(r.targetGroupId)) issues.push({ path: `services[${i}].headerRules[${j}].targetGroupId`, message: `no target group ${r.targetGroupId}` });
    });
    if (s.mirror && !groups.has(s.mirror.targetGroupId)) {
      issues.push({ path: `services[${i}].mirror.targetGroupId`, message: `no target group ${s.mirror.targetGroupId}` });
    }
    services.set(key, groups);
  });
  const ids = new Set<string>();
  const ports = new Set<number>();
  table.listeners.forEach((l, i) => {
    if (ids.has(l.id)) issues.push({ path: `listeners[${i}].id`, message: `duplicate listener ${l.id}` });
    ids.add(l.id);
    if (l.port !== 0 && ports.has(l.port)) issues.push({ path: `listeners[${i}].port`, message: `port ${l.port} used twice` });
    ports.add(l.port);
    if (l.kind === 'ingress') {
      l.rules.forEach((r, j) => {
        if (!services.has(serviceKey(l.environment, r.service))) {
          issues.push({ path: `listeners[${i}].rules[${j}].service`, message: `no service ${serviceKey(l.environment, r.service)}` });
        }
      });
      return;
    }
    const groups = l.service === undefined ? undefined : services.get(serviceKey(l.environment, l.service));
    if (groups === undefined) {
      issues.push({ path: `listeners[${i}].service`, message: `a ${l.kind} listener needs an existing service` });
    } else if (l.kind === 'test' && (l.targetGroupId === undefined || !groups.has(l.targetGroupId))) {
      issues.push({ path: `listeners[${i}].targetGroupId`, message: `a test listener needs a target group of ${l.service}` });
    }
  });
  return issues;
}

import type { CompiledListener, CompiledService, CompiledTable, CompiledTargetGroup } from './compiled.js';
import { weightedSelection } from './compile-table.js';
import { serviceKey } from './parse-table.js';

/**
 * A weight-only change of a compiled table: one service gets new group weights
 * and the table a new version, nothing else is compiled again. Targets,
 * metrics, stickiness cookies, the mirror rule's in-flight bound and every
 * other service are the objects of `table`; only the service's groups (their
 * weights), its selection and the listeners that reach it are new, so the
 * swap is one reference per listener, as with a whole table. The weights must
 * already be validated (every group of the service, integers summing to 100).
 */
export function reweightTable(table: CompiledTable, environment: string, service: string, weights: Readonly<Record<string, number>>, version: number): CompiledTable {
  const key = serviceKey(environment, service);
  const old = table.services.get(key);
  if (old === undefined) throw new Error(`reweightTable: no service ${key} in the compiled table`);
  const groups: CompiledTargetGroup[] = old.groups.map((g) => ({ ...g, weightPercent: weights[g.id] ?? g.weightPercent }));
  const groupsById = new Map(groups.map((g) => [g.id, g]));
  const regroup = (g: CompiledTargetGroup): CompiledTargetGroup => groupsById.get(g.id) as CompiledTargetGroup;
  const next: CompiledService = Object.freeze({
    ...old,
    groups,
    groupsById,
    ...weightedSelection(groups),
    headerRules: old.headerRules.map((r) => ({ ...r, group: regroup(r.group) })),
    mirror: old.mirror === undefined ? undefined : Object.freeze({ ...old.mirror, group: regroup(old.mirror.group) }),
  });
  const services = new Map(table.services);
  services.set(key, next);
  const listeners = new Map<string, CompiledListener>();
  for (const [id, l] of table.listeners) {
    const reaches = l.service === old || l.rules.some((r) => r.service === old);
    listeners.set(
      id,
      !reaches
        ? l
        : Object.freeze({
            ...l,
            rules: l.rules.map((r) => (r.service === old ? { pathPrefix: r.pathPrefix, service: next } : r)),
            service: l.service === old ? next : l.service,
            testGroup: l.testGroup === undefined || l.service !== old ? l.testGroup : regroup(l.testGroup),
          }),
    );
  }
  return Object.freeze({ version, listeners, services });
}

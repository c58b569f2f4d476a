import type { MetricsRegistry } from '../metrics/target-group-metrics.js';
import type { TargetRegistry, UpstreamTarget } from '../proxy/upstream-target.js';
import { parseShadowIgnore, type JsonPathSegment } from '../../shared/index.js';
import type { ShadowRegistry } from '../shadow/shadow-recorder.js';
import type { CompiledListener, CompiledMirror, CompiledService, CompiledStickiness, CompiledTable, CompiledTargetGroup } from './compiled.js';
import { serviceKey } from './parse-table.js';
import type { RoutingTable, ServiceRoute } from './schema.js';

/** What {@link compileTable} needs besides the table. */
export interface CompileContext {
  readonly targets: TargetRegistry;
  readonly metrics: MetricsRegistry;
  /** Response timeout of services that set none. */
  readonly upstreamTimeoutMs: number;
  /** Shadow comparisons' recorders by rule id. */
  readonly shadows: ShadowRegistry;
  readonly nowMs: () => number;
}

/** A compiled table and the targets it uses (the others are to be drained). */
export interface CompileResult {
  readonly table: CompiledTable;
  readonly usedTargets: ReadonlySet<UpstreamTarget>;
}

/**
 * Turns a validated table into the frozen form the request path reads: groups
 * with their healthy targets, renormalised cumulative weights, precomputed
 * cookies and bodies. Target and metrics objects are reused across tables.
 */
export function compileTable(table: RoutingTable, ctx: CompileContext): CompileResult {
  const used = new Set<UpstreamTarget>();
  for (const m of ctx.metrics.groups()) {
    m.healthyHostCount = 0;
    m.unhealthyHostCount = 0;
  }
  const services = new Map<string, CompiledService>();
  ctx.shadows.retain(new Set(table.services.flatMap((r) => (r.mirror?.compare === undefined ? [] : [r.mirror.compare.id]))));
  for (const route of table.services) {
    services.set(serviceKey(route.environment, route.service), compileService(route, ctx, used));
  }
  const listeners = new Map<string, CompiledListener>();
  for (const l of table.listeners) {
    const service = l.service === undefined ? undefined : services.get(serviceKey(l.environment, l.service));
    const rules = l.rules
      .map((r) => ({ pathPrefix: r.pathPrefix, service: services.get(serviceKey(l.environment, r.service)) as CompiledService }))
      .sort((a, b) => b.pathPrefix.length - a.pathPrefix.length);
    listeners.set(
      l.id,
      Object.freeze({
        id: l.id,
        port: l.port,
        kind: l.kind,
        environment: l.environment,
        rules,
        service: l.kind === 'ingress' ? undefined : service,
        testGroup: l.kind === 'test' && l.targetGroupId !== undefined ? service?.groupsById.get(l.targetGroupId) : undefined,
        metrics: ctx.metrics.listener(l.id, l.environment, l.service ?? ''),
      }),
    );
  }
  return { table: Object.freeze({ version: table.version, listeners, services }), usedTargets: used };
}

/** The part of a service's selection that follows from its groups' weights and health. */
export type WeightedSelection = Pick<CompiledService, 'weighted' | 'cumulativeWeights' | 'totalWeight'>;

/** Groups that can serve (weight > 0, a healthy target) with their cumulative weights, renormalised over them. */
export function weightedSelection(groups: readonly CompiledTargetGroup[]): WeightedSelection {
  const weighted = groups.filter((g) => g.weightPercent > 0 && g.healthyTargets.length > 0);
  const cumulativeWeights: number[] = [];
  let total = 0;
  for (const g of weighted) cumulativeWeights.push((total += g.weightPercent));
  return { weighted, cumulativeWeights, totalWeight: total };
}

function compileService(route: ServiceRoute, ctx: CompileContext, used: Set<UpstreamTarget>): CompiledService {
  const { environment, service } = route;
  const groups: CompiledTargetGroup[] = route.targetGroups.map((g) => {
    const metrics = ctx.metrics.group({ environment, service, revision: g.revision, targetGroup: g.id });
    const healthyTargets: UpstreamTarget[] = [];
    for (const t of g.targets) {
      const target = ctx.targets.obtain(t.id, t.host, t.port);
      target.healthy = t.healthy;
      used.add(target);
      if (t.healthy) healthyTargets.push(target);
    }
    metrics.healthyHostCount += healthyTargets.length;
    metrics.unhealthyHostCount += g.targets.length - healthyTargets.length;
    return { id: g.id, revision: g.revision, weightPercent: g.weightPercent, healthyTargets, metrics, cursor: 0 };
  });
  const groupsById = new Map(groups.map((g) => [g.id, g]));
  const s = route.stickiness;
  let stickiness: CompiledStickiness | undefined;
  if (s?.cookie !== undefined) {
    const maxAgeS = Math.floor(s.ttlMs / 1000);
    const setCookieByGroup = new Map(groups.map((g) => [g.id, `${s.cookie}=${encodeURIComponent(g.id)}; Max-Age=${maxAgeS}; Path=/; HttpOnly; SameSite=Lax`]));
    stickiness = { kind: 'cookie', name: s.cookie, cookiePrefix: `${s.cookie}=`, setCookieByGroup };
  } else if (s?.header !== undefined) {
    stickiness = { kind: 'header', name: s.header, cookiePrefix: '', setCookieByGroup: new Map() };
  }
  return Object.freeze({
    environment,
    service,
    groups,
    groupsById,
    ...weightedSelection(groups),
    headerRules: route.headerRules.flatMap((r) => {
      const group = groupsById.get(r.targetGroupId);
      return group === undefined ? [] : [{ header: r.header, value: r.value, group }];
    }),
    stickiness,
    mirror: compileMirror(route, groupsById, ctx),
    timeoutMs: route.timeoutMs ?? ctx.upstreamTimeoutMs,
    serviceMetrics: ctx.metrics.group({ environment, service, revision: '', targetGroup: '' }),
    noTargetBody: Buffer.from(JSON.stringify({ error: 'no healthy target', environment, service })),
  });
}

function compileMirror(route: ServiceRoute, groupsById: ReadonlyMap<string, CompiledTargetGroup>, ctx: CompileContext): CompiledMirror | undefined {
  const m = route.mirror;
  const group = m === undefined ? undefined : groupsById.get(m.targetGroupId);
  if (m === undefined || group === undefined || m.percent === 0) return undefined;
  const c = m.compare;
  const recorder = c === undefined ? undefined : ctx.shadows.obtain(c.id, route.environment, route.service, group.revision, ctx.nowMs());
  const ignoreHeaders = new Set<string>();
  const ignorePaths: (readonly JsonPathSegment[])[] = [];
  for (const entry of c?.ignore ?? []) {
    const rule = parseShadowIgnore(entry);
    if (rule.kind === 'header') ignoreHeaders.add(rule.name);
    else if (rule.kind === 'json') ignorePaths.push(rule.segments);
  }
  return Object.freeze({
    group,
    fraction: m.percent / 100,
    methods: new Set<string>(m.methods),
    maxBodyBytes: m.maxBodyBytes,
    maxConcurrent: m.maxConcurrent,
    timeoutMs: m.timeoutMs ?? route.timeoutMs ?? ctx.upstreamTimeoutMs,
    // A comparison's bound lives in its recorder, so it holds across table swaps.
    state: recorder ?? { inFlight: 0 },
    compare: c === undefined ? undefined : Object.freeze({ headers: c.headers, body: c.body, ignoreHeaders, ignorePaths }),
    recorder,
  });
}

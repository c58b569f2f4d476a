import type { RoutingTableInput } from '../../router/index.js';

/** The routing-relevant shape of one environment. */
export interface EnvironmentRouting {
  readonly name: string;
  readonly ingressPort: number;
  /** Port of the blue/green test listener. */
  readonly testPort: number;
  /** Path-prefix rules of the ingress: the services that have `ingress`. */
  readonly ingressRules: readonly { readonly pathPrefix: string; readonly service: string }[];
  /** Stable service-discovery port of each service, by service name. */
  readonly servicePorts: Readonly<Record<string, number>>;
}

/** A shadow comparison mirrored to a revision: the router's mirror rule without its target group. */
export interface ShadowRouting {
  /** The comparison's id (its report in the router). */
  readonly id: string;
  readonly percent: number;
  readonly methods: readonly string[];
  readonly maxBodyBytes: number;
  readonly maxConcurrent: number;
  readonly timeoutMs: number;
  readonly ignore: readonly string[];
  readonly headers: boolean;
  readonly body: 'auto' | 'json' | 'bytes' | 'ignore';
}

/** One revision of a service and its share of traffic. */
export interface RevisionWeight {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  readonly weightPercent: number;
  /** Whether the test listener sends to this revision (the green side of a blue/green deployment). */
  readonly testTraffic?: boolean;
  /** A shadow comparison copying requests to this revision. @default none */
  readonly shadow?: ShadowRouting | null;
}

/** A task as the routing table needs it. */
export interface RoutableTask {
  readonly id: string;
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  readonly port: number;
  readonly state: string;
}

/** The id of the target group of one revision: `<environment>.<service>.<revision>`. */
export function targetGroupId(environment: string, service: string, revision: string): string {
  return `${environment}.${service}.${revision}`;
}

/**
 * Builds the router's whole table from the desired state: listeners from the
 * environments, one target group per revision with its weight, and as targets
 * the tasks that passed their health checks. Tasks that are Starting are not
 * registered yet; Stopping tasks are left out so the router drains them;
 * Unhealthy ones stay listed as unhealthy (they count in UnHealthyHostCount).
 */
export function buildRoutingTable(version: number, environments: readonly EnvironmentRouting[], revisions: readonly RevisionWeight[], tasks: readonly RoutableTask[]): RoutingTableInput {
  const listeners: RoutingTableInput['listeners'] = [];
  const services: RoutingTableInput['services'] = [];
  for (const env of environments) {
    // A service with no revision has nothing to route to: it gets neither its listener nor ingress rules yet.
    const routed = new Set(revisions.filter((r) => r.environment === env.name).map((r) => r.service));
    listeners.push({ id: `${env.name}.ingress`, kind: 'ingress', environment: env.name, port: env.ingressPort, rules: env.ingressRules.filter((r) => routed.has(r.service)).map((r) => ({ ...r })) });
    const testRevision = revisions.find((r) => r.environment === env.name && r.testTraffic === true);
    for (const [service, port] of Object.entries(env.servicePorts)) {
      const own = revisions.filter((r) => r.environment === env.name && r.service === service);
      if (own.length === 0) continue;
      // A shadow only while its revision has no real traffic: it is compared, never served.
      const shadowed = own.find((r) => r.shadow != null && r.weightPercent === 0);
      const shadow = shadowed?.shadow;
      listeners.push({ id: `${env.name}.${service}`, kind: 'service', environment: env.name, service, port });
      services.push({
        environment: env.name,
        service,
        targetGroups: own.map((r) => ({
          id: targetGroupId(env.name, service, r.revision),
          revision: r.revision,
          weightPercent: r.weightPercent,
          targets: tasks
            .filter((t) => t.environment === env.name && t.service === service && t.revision === r.revision && (t.state === 'Healthy' || t.state === 'Unhealthy'))
            .map((t) => ({ id: t.id, host: '127.0.0.1', port: t.port, healthy: t.state === 'Healthy' })),
        })),
        ...(shadowed === undefined || shadow == null
          ? {}
          : {
              mirror: {
                targetGroupId: targetGroupId(env.name, service, shadowed.revision),
                percent: shadow.percent,
                methods: [...shadow.methods] as NonNullable<RoutingTableInput['services'][number]['mirror']>['methods'],
                maxBodyBytes: shadow.maxBodyBytes,
                maxConcurrent: shadow.maxConcurrent,
                timeoutMs: shadow.timeoutMs,
                compare: { id: shadow.id, ignore: [...shadow.ignore], headers: shadow.headers, body: shadow.body },
              },
            }),
      });
      if (testRevision?.service === service) {
        listeners.push({ id: `${env.name}.${service}.test`, kind: 'test', environment: env.name, service, port: env.testPort, targetGroupId: targetGroupId(env.name, service, testRevision.revision) });
      }
    }
  }
  return { version, listeners, services };
}

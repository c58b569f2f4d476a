import { servicesIn, type ResolvedApp } from '../../shared/index.js';
import type { EnvironmentRouting } from '../traffic/routing-table.js';

/** The routing view of each environment: ingress and test ports, ingress rules, and each service's stable port. */
export function environmentRouting(app: ResolvedApp, ports: ReadonlyMap<string, number>): EnvironmentRouting[] {
  return Object.values(app.environments).map((env) => ({
    name: env.name,
    ingressPort: env.ingressPort,
    testPort: env.testPort ?? 0,
    ingressRules: Object.values(servicesIn(app, env.name))
      .filter((s) => s.ingressPathPrefix !== undefined)
      .map((s) => ({ pathPrefix: s.ingressPathPrefix!, service: s.name })),
    servicePorts: Object.fromEntries(Object.keys(servicesIn(app, env.name)).map((s) => [s, ports.get(`${env.name}/${s}`) ?? 0])),
  }));
}

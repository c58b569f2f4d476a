import type { ResolvedApp, ResolvedService } from './resolved.js';

/**
 * The services an environment runs, by name. Every service of the app runs in every environment,
 * except in the live model the control plane composes from each environment's applied model:
 * there an environment that has not applied a commit yet keeps the services (and their
 * definitions) of the model it applied last ({@link ResolvedEnvironment.services}).
 */
export function servicesIn(app: ResolvedApp, environment: string): Readonly<Record<string, ResolvedService>> {
  return app.environments[environment]?.services ?? app.services;
}

/** One service as an environment runs it ({@link servicesIn}), or undefined. */
export function serviceIn(app: ResolvedApp, environment: string, service: string): ResolvedService | undefined {
  const services = servicesIn(app, environment);
  return Object.hasOwn(services, service) ? services[service] : undefined;
}

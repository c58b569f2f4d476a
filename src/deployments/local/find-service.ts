import { NotFoundError, serviceIn, servicesIn, type ResolvedApp } from '../../shared/index.js';

/** The service `service` of the app, checking that `environment` exists too; NotFoundError otherwise. */
export function findService(app: ResolvedApp, environment: string, service: string): ResolvedApp['services'][string] {
  if (!app.environments[environment]) throw new NotFoundError('SLW_ERR_DEPLOY_ENVIRONMENT_NOT_FOUND', `no environment "${environment}" (known: ${Object.keys(app.environments).join(', ')})`);
  const svc = serviceIn(app, environment, service);
  if (!svc) throw new NotFoundError('SLW_ERR_DEPLOY_SERVICE_NOT_FOUND', `no service "${service}" in ${environment} (known: ${Object.keys(servicesIn(app, environment)).join(', ')})`);
  return svc;
}

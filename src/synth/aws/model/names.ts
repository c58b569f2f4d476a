/** The port every ECS container and App Runner service listens on; the service's `portEnv` is set to it. */
export const CONTAINER_PORT = 8080;

/** First port of the internal load balancer's per-service listeners (one per service without an ingress). */
export const INTERNAL_LISTENER_BASE_PORT = 9000;

/** `gateway-5xx` → `Gateway5xx`: a construct-id-safe PascalCase form of a model name. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Name of the stack holding what every environment and the pipeline share (ECR, SNS, AppConfig). */
export function sharedStackName(app: string): string {
  return `${app}-shared`;
}

/** Name of one environment's stack. */
export function environmentStackName(app: string, environment: string): string {
  return `${app}-${environment}`;
}

/** Name of the pipeline's stack. */
export function pipelineStackName(app: string): string {
  return `${app}-pipeline`;
}

/** CloudWatch alarm name of a model alarm in one environment. */
export function alarmName(app: string, environment: string, alarm: string): string {
  return `${app}-${environment}-${alarm}`;
}

/** ECR repository of a service (shared by every environment: images are promoted, not rebuilt). */
export function repositoryName(app: string, service: string): string {
  return `${app}/${service}`;
}

/** Secrets Manager name a model secret is read from in one environment. */
export function secretName(app: string, environment: string, secret: string): string {
  return `${app}/${environment}/${secret}`;
}

/** ECS cluster name of an environment. */
export function clusterName(app: string, environment: string): string {
  return `${app}-${environment}`;
}

/** ECS service name (also the task definition family) of a service in one environment. */
export function ecsServiceName(app: string, environment: string, service: string): string {
  return `${app}-${environment}-${service}`;
}

/** Log group of the ADOT collector's CloudWatch EMF metrics in one environment. */
export function metricsLogGroupName(app: string, environment: string): string {
  return `/slipway/${app}/${environment}/metrics`;
}

/** CloudWatch namespace of application metrics the ADOT collector publishes. */
export function customMetricNamespace(app: string): string {
  return `Slipway/${app}`;
}

/** Truncates `name` to `max` characters, keeping a short hash of the whole so truncated names stay unique. */
export function limitName(name: string, max: number): string {
  if (name.length <= max) return name;
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const suffix = hash.toString(36).slice(0, 6);
  return `${name.slice(0, max - suffix.length - 1)}-${suffix}`;
}

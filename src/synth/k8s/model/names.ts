/** The port every container listens on (the service's `portEnv` is set to it), as on ECS. */
export const CONTAINER_PORT = 8080;

/** The port of every service's ClusterIP Services; `${services.x.url}` needs no port. */
export const SERVICE_PORT = 80;

/** The name of the app container in every pod. */
export const APP_CONTAINER = 'app';

/** Name of the OpenTelemetry Collector's Deployment and Service. */
export const COLLECTOR_NAME = 'otel-collector';

/** Name of the flagd Deployment and Service. */
export const FLAGD_NAME = 'flagd';

/** The namespace of one environment: `<app>-<env>`. */
export function namespaceName(app: string, environment: string): string {
  return `${app}-${environment}`;
}

/** The cluster DNS name of an object's Service in a namespace. */
export function clusterHost(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.cluster.local`;
}

/** `${services.<name>.url}` on Kubernetes: the stable Service, port 80. */
export function serviceUrl(service: string, namespace: string): string {
  return `http://${clusterHost(service, namespace)}`;
}

/** The labels that select a service's pods (and that every object of the service carries). */
export function selectorLabels(app: string, service: string): Record<string, string> {
  return { 'app.kubernetes.io/name': service, 'app.kubernetes.io/part-of': app };
}

/** The image name a service's pods run, without a tag (the kustomization's `images` sets the tag). */
export function imageName(registry: string, app: string, service: string): string {
  return `${registry}/${app}/${service}`;
}

/** A name usable as a Kubernetes object name (RFC 1123 label: lower case, digits, `-`, at most 63). */
export function objectName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned.slice(0, 63).replace(/-+$/, '');
}

/** Whole seconds of a duration in ms, at least `min`. */
export function seconds(ms: number, min = 1): number {
  return Math.max(min, Math.ceil(ms / 1000));
}

/** A Go duration string (`30s`, `5m`) of whole seconds, as Argo Rollouts writes them. */
export function goDuration(ms: number): string {
  const s = seconds(ms);
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

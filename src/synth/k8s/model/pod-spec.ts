import type { ResolvedService } from '../../../shared/index.js';
import { interpolateEnv } from '../../../shared/index.js';
import type { SynthWarnings } from '../../aws/model/synth-warnings.js';
import { APP_CONTAINER, CONTAINER_PORT, seconds, serviceUrl } from './names.js';

/** A Kubernetes HTTP probe, in the API's field names. */
export interface HttpProbe {
  readonly httpGet: { readonly path: string; readonly port: string };
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

/** The readiness, liveness and startup probes of a service's container. */
export interface Probes {
  readonly readinessProbe: HttpProbe;
  readonly livenessProbe: HttpProbe;
  /** Holds liveness off during `health.gracePeriod`, the way ECS's grace period does. */
  readonly startupProbe: HttpProbe | undefined;
}

/**
 * Probes from `health`: readiness with the model's interval, timeout and both thresholds (it decides
 * whether the pod gets traffic, like the router's health check); liveness on the same path with the
 * unhealthy threshold (Kubernetes requires its success threshold to be 1); the grace period becomes a
 * startup probe that allows that long before liveness starts. Kubernetes counts whole seconds.
 */
export function probesOf(service: ResolvedService, warnings: SynthWarnings): Probes {
  const h = service.health;
  const path = `services.${service.name}.health`;
  if (h.intervalMs % 1000 !== 0 || h.timeoutMs % 1000 !== 0) warnings.add(path, `Kubernetes probes count whole seconds: interval ${seconds(h.intervalMs)}s, timeout ${seconds(h.timeoutMs)}s`);
  const base = { httpGet: { path: h.path, port: 'http' }, periodSeconds: seconds(h.intervalMs), timeoutSeconds: seconds(h.timeoutMs) };
  const readinessProbe = { ...base, failureThreshold: h.unhealthyThreshold, successThreshold: h.healthyThreshold };
  const livenessProbe = { ...base, failureThreshold: h.unhealthyThreshold, successThreshold: 1 };
  const startupProbe =
    h.gracePeriodMs > 0 ? { ...base, failureThreshold: Math.max(1, Math.ceil(h.gracePeriodMs / (base.periodSeconds * 1000))), successThreshold: 1 } : undefined;
  return { readinessProbe, livenessProbe, startupProbe };
}

/**
 * Requests and limits from the task size: `cpu` units (1024 = one vCPU) as millicores, memory in Mi.
 * Requests equal limits (Guaranteed QoS), the same hard size a Fargate task has.
 */
export function resourcesOf(service: ResolvedService): { requests: Record<string, string>; limits: Record<string, string> } {
  const cpu = `${Math.round((service.cpuUnits * 1000) / 1024)}m`;
  const memory = `${service.memoryMiB}Mi`;
  return { requests: { cpu, memory }, limits: { cpu, memory } };
}

/** One container env entry. */
export type EnvVar = { readonly name: string; readonly value: string } | { readonly name: string; readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } } };

/** What the app container's env needs from its surroundings. */
export interface EnvContext {
  readonly app: string;
  readonly environment: string;
  readonly namespace: string;
  /** The OTLP/HTTP endpoint of the environment's collector. */
  readonly otlpEndpoint: string;
  /** The OFREP base URL of the environment's flagd, when the app has flags. */
  readonly flagsUrl: string | undefined;
  /** The Secret holding the service's secrets. */
  readonly secretName: string;
}

/**
 * The container env: the port variable, the model's env with `${services.x.url}` as cluster DNS, the
 * telemetry variables every pod gets, the flag endpoint and each secret from the service's Secret.
 */
export function envOf(service: ResolvedService, ctx: EnvContext): EnvVar[] {
  const env: EnvVar[] = [{ name: service.portEnv, value: String(CONTAINER_PORT) }];
  for (const [name, value] of Object.entries(service.env)) env.push({ name, value: interpolateEnv(value, (s) => serviceUrl(s, ctx.namespace)) });
  const resource = `service.name=${service.name},deployment.environment=${ctx.environment},service.namespace=${ctx.app}`;
  const platform: EnvVar[] = [
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: ctx.otlpEndpoint },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
    { name: 'OTEL_SERVICE_NAME', value: service.name },
    { name: 'OTEL_RESOURCE_ATTRIBUTES', value: resource },
    // The analysis reads `http.server.request.duration`, the stable HTTP semantic conventions.
    { name: 'OTEL_SEMCONV_STABILITY_OPT_IN', value: 'http' },
    ...(ctx.flagsUrl === undefined ? [] : [{ name: 'OFREP_ENDPOINT', value: ctx.flagsUrl }, { name: 'SLIPWAY_FLAGS_URL', value: ctx.flagsUrl }]),
  ];
  for (const e of platform) if (!(e.name in service.env) && e.name !== service.portEnv) env.push(e);
  for (const key of service.secrets) env.push({ name: key, valueFrom: { secretKeyRef: { name: ctx.secretName, key } } });
  return env;
}

/** The hardened security context of the app container: non-root, no privilege escalation, no capabilities, read-only root. */
export const CONTAINER_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 1000,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/** The pod spec of a service: one app container (the image's user is `node`, uid 1000), `/tmp` writable. */
export function podSpecOf(service: ResolvedService, image: string, env: EnvVar[], warnings: SynthWarnings): Record<string, unknown> {
  const probes = probesOf(service, warnings);
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    terminationGracePeriodSeconds: 30,
    containers: [
      {
        name: APP_CONTAINER,
        image,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: CONTAINER_PORT, protocol: 'TCP' }],
        env,
        resources: resourcesOf(service),
        readinessProbe: probes.readinessProbe,
        livenessProbe: probes.livenessProbe,
        ...(probes.startupProbe === undefined ? {} : { startupProbe: probes.startupProbe }),
        securityContext: CONTAINER_SECURITY_CONTEXT,
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
}

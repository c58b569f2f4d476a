import { InputError } from '../../shared/index.js';

/** How canary traffic is split at the ingress: the AWS Load Balancer Controller's weighted target groups, or NGINX canary annotations. */
export type TrafficRouting = 'alb' | 'nginx';

/** Where the AnalysisTemplates of `rollbackOn` alarms read their metrics. */
export type AnalysisProvider = 'prometheus' | 'cloudwatch';

/** How the services' secrets reach the pods. */
export type SecretSource = 'external-secrets' | 'placeholder';

/** Where the OpenTelemetry Collector sends traces and metrics. */
export type TelemetryExport = 'aws' | 'otlp';

/** Options of the Kubernetes synthesizer; every one has a default. */
export interface K8sOptions {
  /**
   * Ingress controller that splits canary traffic: `alb` (AWS Load Balancer Controller, weighted target
   * groups, `ingressClassName: alb`) or `nginx` (ingress-nginx canary annotations).
   * @default "alb"
   */
  readonly trafficRouting?: TrafficRouting;
  /** Metric provider of the AnalysisTemplates: `prometheus` (PromQL) or `cloudwatch` (GetMetricData). @default "prometheus" */
  readonly analysisProvider?: AnalysisProvider;
  /** Prometheus the AnalysisTemplates query. @default "http://prometheus-operated.monitoring.svc.cluster.local:9090" */
  readonly prometheusAddress?: string;
  /**
   * `external-secrets`: an `ExternalSecret` per service reading AWS Secrets Manager `<app>/<env>/<NAME>`
   * through a `SecretStore`; `placeholder`: a plain `Secret` with empty values to fill in.
   * @default "external-secrets"
   */
  readonly secrets?: SecretSource;
  /** `aws`: ADOT collector, traces to X-Ray and metrics to CloudWatch (EMF); `otlp`: any collector, OTLP out to `otlpEndpoint`. @default "aws" */
  readonly telemetry?: TelemetryExport;
  /** Where the collector forwards OTLP when `telemetry` is `otlp`. @default "http://otel-backend.observability.svc.cluster.local:4318" */
  readonly otlpEndpoint?: string;
  /** Registry host (and path) of the images `<registry>/<app>/<service>`. @default "localhost:5000" */
  readonly imageRegistry?: string;
  /** Image tag of every service; the pipeline replaces it per commit (`kustomize edit set image`). @default the environment's name */
  readonly imageTag?: string;
  /** Host names of the ingress rules; none: the rules match every host. @default [] */
  readonly hosts?: readonly string[];
  /** AWS region (Secrets Manager store, CloudWatch provider, X-Ray). @default "us-east-1" */
  readonly region?: string;
}

/** {@link K8sOptions} with every default filled in. */
export interface CompiledK8sOptions {
  readonly trafficRouting: TrafficRouting;
  readonly analysisProvider: AnalysisProvider;
  readonly prometheusAddress: string;
  readonly secrets: SecretSource;
  readonly telemetry: TelemetryExport;
  readonly otlpEndpoint: string;
  readonly imageRegistry: string;
  readonly imageTag: string | undefined;
  readonly hosts: readonly string[];
  readonly region: string;
}

const HOST = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new InputError('SLW_ERR_SYNTH_OPTION', `${name}: "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Checks the options and fills in the defaults.
 * @throws {InputError} `SLW_ERR_SYNTH_OPTION` naming the option, the value and what is allowed.
 */
export function compileK8sOptions(options: K8sOptions = {}): CompiledK8sOptions {
  const hosts = [...(options.hosts ?? [])];
  for (const h of hosts) if (!HOST.test(h)) throw new InputError('SLW_ERR_SYNTH_OPTION', `hosts: "${h}" is not a DNS host name (lower case, optionally starting with "*.")`);
  if (options.imageTag !== undefined && !TAG.test(options.imageTag)) throw new InputError('SLW_ERR_SYNTH_OPTION', `imageTag: "${options.imageTag}" is not an image tag`);
  if (options.imageTag === 'latest') throw new InputError('SLW_ERR_SYNTH_OPTION', 'imageTag: "latest" is not allowed: a moving tag cannot be rolled back');
  const registry = options.imageRegistry ?? 'localhost:5000';
  if (!/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/.test(registry)) throw new InputError('SLW_ERR_SYNTH_OPTION', `imageRegistry: "${registry}" is not a registry host (and path)`);
  for (const [name, url] of [['prometheusAddress', options.prometheusAddress], ['otlpEndpoint', options.otlpEndpoint]] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new InputError('SLW_ERR_SYNTH_OPTION', `${name}: "${url}" is not an http(s) URL`);
  }
  return {
    trafficRouting: oneOf('trafficRouting', options.trafficRouting, ['alb', 'nginx'], 'alb'),
    analysisProvider: oneOf('analysisProvider', options.analysisProvider, ['prometheus', 'cloudwatch'], 'prometheus'),
    prometheusAddress: options.prometheusAddress ?? 'http://prometheus-operated.monitoring.svc.cluster.local:9090',
    secrets: oneOf('secrets', options.secrets, ['external-secrets', 'placeholder'], 'external-secrets'),
    telemetry: oneOf('telemetry', options.telemetry, ['aws', 'otlp'], 'aws'),
    otlpEndpoint: options.otlpEndpoint ?? 'http://otel-backend.observability.svc.cluster.local:4318',
    imageRegistry: registry,
    imageTag: options.imageTag,
    hosts,
    region: options.region ?? 'us-east-1',
  };
}

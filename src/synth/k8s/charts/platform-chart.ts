import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedApp, ResolvedEnvironment } from '../../../shared/index.js';
import { customMetricNamespace, metricsLogGroupName } from '../../aws/model/names.js';
import type { SynthWarnings } from '../../aws/model/synth-warnings.js';
import type { CompiledK8sOptions } from '../options.js';
import { alarmAnalysisMetric } from '../model/analysis-template.js';
import { COLLECTOR_IMAGES, PROMETHEUS_EXPORTER_PORT, collectorConfig } from '../model/collector-config.js';
import { flagdDocument } from '../model/flagd-flags.js';
import { COLLECTOR_NAME, FLAGD_NAME, clusterHost, objectName } from '../model/names.js';
import { CONTAINER_SECURITY_CONTEXT } from '../model/pod-spec.js';

/** The flagd image (OFREP on 8016), pinned. */
export const FLAGD_IMAGE = 'ghcr.io/open-feature/flagd:v0.11.5';

/** Props of {@link PlatformChart}. */
export interface PlatformChartProps {
  readonly app: ResolvedApp;
  readonly environment: ResolvedEnvironment;
  readonly namespace: string;
  readonly options: CompiledK8sOptions;
  /** Whether a service has secrets (a SecretStore and its ServiceAccount are needed). */
  readonly needsSecretStore: boolean;
  /** Leave the ServiceAccounts that need an IAM role (the SecretStore's, the collector's) to someone else: the EKS stack creates them with their IRSA roles. @default false */
  readonly externalServiceAccount?: boolean;
  readonly warnings: SynthWarnings;
}

const HARDENED_POD = { automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } } };

/**
 * What every service of an environment shares: the namespace, the OpenTelemetry Collector (Deployment,
 * config, Service), flagd serving the flags ConfigMap over OFREP, the Secrets Manager SecretStore and one
 * AnalysisTemplate per `rollbackOn` alarm.
 */
export class PlatformChart extends Chart {
  /** The collector's OTLP/HTTP endpoint. */
  readonly otlpEndpoint: string;
  /** flagd's OFREP base URL, when the app has flags. */
  readonly flagsUrl: string | undefined;
  /** The AnalysisTemplates, one per `rollbackOn` alarm, in the model's order. */
  readonly alarmTemplates: readonly string[];
  /** The SecretStore name. */
  readonly secretStore: string;
  /** The ServiceAccount the SecretStore authenticates as (IRSA on EKS). */
  readonly secretsServiceAccount: string;
  /** The ServiceAccount of the collector, whose AWS exporters sign with it (IRSA on EKS). */
  readonly collectorServiceAccount: string = COLLECTOR_NAME;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    const { app, environment, namespace, options, warnings } = props;
    super(scope, id, { namespace, labels: { 'app.kubernetes.io/part-of': app.name, 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/environment': environment.name } });
    new ApiObject(this, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, namespace: undefined } });

    this.otlpEndpoint = `http://${clusterHost(COLLECTOR_NAME, namespace)}:4318`;
    this.addCollector(props);

    const hasFlags = Object.keys(app.flags).length > 0;
    this.flagsUrl = hasFlags ? `http://${clusterHost(FLAGD_NAME, namespace)}:8016` : undefined;
    if (hasFlags) this.addFlagd(app, environment.name);

    this.secretStore = objectName(`${app.name}-secrets-manager`);
    this.secretsServiceAccount = objectName(`${app.name}-external-secrets`);
    if (props.needsSecretStore && options.secrets === 'external-secrets') {
      if (props.externalServiceAccount !== true) {
        new ApiObject(this, 'SecretsServiceAccount', {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: this.secretsServiceAccount, annotations: { 'slipway.dev/iam': `annotate with eks.amazonaws.com/role-arn: a role that may read ${app.name}/${environment.name}/*` } },
        });
      }
      new ApiObject(this, 'SecretStore', {
        apiVersion: 'external-secrets.io/v1',
        kind: 'SecretStore',
        metadata: { name: this.secretStore },
        spec: { provider: { aws: { service: 'SecretsManager', region: options.region, auth: { jwt: { serviceAccountRef: { name: this.secretsServiceAccount } } } } } },
      });
    }

    // One AnalysisTemplate per rollbackOn alarm; blue/green runs them after promotion for the bake time.
    const strategy = environment.strategy;
    const templates: string[] = [];
    for (const name of environment.rollbackOn) {
      const alarm = app.alarms[name]!;
      const periodMs = alarm.kind === 'Composite' ? 60_000 : alarm.periodMs;
      const count = strategy.kind === 'BlueGreen' ? Math.max(1, Math.ceil(strategy.bakeTimeMs / periodMs)) : undefined;
      const metric = alarmAnalysisMetric(alarm, {
        app: app.name,
        environment: environment.name,
        provider: options.analysisProvider,
        prometheusAddress: options.prometheusAddress,
        count,
        warnings,
      });
      const template = objectName(`alarm-${name}`);
      new ApiObject(this, `Analysis-${name}`, {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: { name: template, annotations: { 'slipway.dev/alarm': name, ...(alarm.description === undefined ? {} : { 'slipway.dev/description': alarm.description }) } },
        spec: { metrics: [metric] },
      });
      templates.push(template);
    }
    this.alarmTemplates = templates;
  }

  private addCollector(props: PlatformChartProps): void {
    const { app, environment, options } = props;
    const labels = { 'app.kubernetes.io/name': COLLECTOR_NAME };
    const config = collectorConfig({
      telemetry: options.telemetry,
      analysisProvider: options.analysisProvider,
      namespace: customMetricNamespace(app.name),
      metricsLogGroupName: metricsLogGroupName(app.name, environment.name),
      region: options.region,
      otlpEndpoint: options.otlpEndpoint,
    });
    new ApiObject(this, 'CollectorConfig', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${COLLECTOR_NAME}-config` }, data: { 'config.yaml': config } });
    const prometheus = options.analysisProvider === 'prometheus';
    new ApiObject(this, 'Collector', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: COLLECTOR_NAME },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels,
            annotations: prometheus ? { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(PROMETHEUS_EXPORTER_PORT) } : {},
          },
          spec: {
            ...HARDENED_POD,
            // The AWS exporters sign their calls with this account's IRSA role on EKS.
            ...(options.telemetry === 'aws' ? { serviceAccountName: COLLECTOR_NAME, automountServiceAccountToken: true } : {}),
            containers: [
              {
                name: 'collector',
                image: COLLECTOR_IMAGES[options.telemetry],
                args: ['--config=/etc/otelcol/config.yaml'],
                ports: [
                  { name: 'otlp-grpc', containerPort: 4317 },
                  { name: 'otlp-http', containerPort: 4318 },
                  ...(prometheus ? [{ name: 'prometheus', containerPort: PROMETHEUS_EXPORTER_PORT }] : []),
                ],
                readinessProbe: { httpGet: { path: '/', port: 13133 }, periodSeconds: 10 },
                livenessProbe: { httpGet: { path: '/', port: 13133 }, periodSeconds: 10 },
                resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
                securityContext: CONTAINER_SECURITY_CONTEXT_FOR_SIDECARS,
                volumeMounts: [{ name: 'config', mountPath: '/etc/otelcol' }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: `${COLLECTOR_NAME}-config` } }],
          },
        },
      },
    });
    if (options.telemetry === 'aws' && props.externalServiceAccount !== true) {
      new ApiObject(this, 'CollectorServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: COLLECTOR_NAME } });
    }
    new ApiObject(this, 'CollectorService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: COLLECTOR_NAME },
      spec: {
        selector: labels,
        ports: [
          { name: 'otlp-grpc', port: 4317, targetPort: 'otlp-grpc' },
          { name: 'otlp-http', port: 4318, targetPort: 'otlp-http' },
          ...(prometheus ? [{ name: 'prometheus', port: PROMETHEUS_EXPORTER_PORT, targetPort: 'prometheus' }] : []),
        ],
      },
    });
  }

  private addFlagd(app: ResolvedApp, environment: string): void {
    const labels = { 'app.kubernetes.io/name': FLAGD_NAME };
    new ApiObject(this, 'Flags', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app.name}-flags` },
      // The environment's definitions: its overrides (`flags.<key>.environments.<env>`) merged in.
      data: { 'flags.flagd.json': `${JSON.stringify(flagdDocument(app.flagsByEnvironment[environment] ?? app.flags), null, 2)}\n` },
    });
    new ApiObject(this, 'Flagd', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: FLAGD_NAME },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...HARDENED_POD,
            containers: [
              {
                name: 'flagd',
                image: FLAGD_IMAGE,
                args: ['start', '--uri', 'file:/etc/flagd/flags.flagd.json'],
                ports: [
                  { name: 'eval', containerPort: 8013 },
                  { name: 'ofrep', containerPort: 8016 },
                  { name: 'health', containerPort: 8014 },
                ],
                readinessProbe: { httpGet: { path: '/readyz', port: 'health' }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 10 },
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
                securityContext: CONTAINER_SECURITY_CONTEXT_FOR_SIDECARS,
                volumeMounts: [{ name: 'flags', mountPath: '/etc/flagd', readOnly: true }],
              },
            ],
            volumes: [{ name: 'flags', configMap: { name: `${app.name}-flags` } }],
          },
        },
      },
    });
    new ApiObject(this, 'FlagdService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: FLAGD_NAME },
      spec: {
        selector: labels,
        ports: [
          { name: 'eval', port: 8013, targetPort: 'eval' },
          { name: 'ofrep', port: 8016, targetPort: 'ofrep' },
        ],
      },
    });
  }
}

const CONTAINER_SECURITY_CONTEXT_FOR_SIDECARS = { ...CONTAINER_SECURITY_CONTEXT, runAsUser: 10001 };

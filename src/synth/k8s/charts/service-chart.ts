import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedApp, ResolvedEnvironment, ResolvedService } from '../../../shared/index.js';
import { secretName as awsSecretName } from '../../aws/model/names.js';
import type { SynthWarnings } from '../../aws/model/synth-warnings.js';
import type { CompiledK8sOptions } from '../options.js';
import { thresholdMetrics } from '../model/analysis-template.js';
import { SERVICE_PORT, imageName, objectName, seconds, selectorLabels } from '../model/names.js';
import { envOf, podSpecOf } from '../model/pod-spec.js';
import { workloadStrategy, type StrategyRefs } from '../model/workload-strategy.js';

/** Props of {@link ServiceChart}. */
export interface ServiceChartProps {
  readonly app: ResolvedApp;
  readonly environment: ResolvedEnvironment;
  readonly service: ResolvedService;
  readonly namespace: string;
  readonly options: CompiledK8sOptions;
  /** AnalysisTemplates of the environment's `rollbackOn` alarms (every rollout of the environment watches them). */
  readonly alarmTemplates: readonly string[];
  /** The OTLP/HTTP endpoint of the environment's collector. */
  readonly otlpEndpoint: string;
  /** flagd's OFREP URL, when the app has flags. */
  readonly flagsUrl: string | undefined;
  /** The SecretStore ExternalSecrets read through. */
  readonly secretStore: string;
  readonly warnings: SynthWarnings;
}

/** The names of a service's objects. */
export function serviceRefs(service: ResolvedService): StrategyRefs & { readonly secret: string; readonly thresholds: string } {
  return {
    stableService: service.name,
    canaryService: `${service.name}-canary`,
    previewService: `${service.name}-preview`,
    ingress: service.ingressPathPrefix === undefined ? undefined : service.name,
    secret: `${service.name}-secrets`,
    thresholds: `${service.name}-canary-thresholds`,
  };
}

/**
 * One service in one environment: its Rollout (or Deployment), stable/canary/preview Services, the
 * HorizontalPodAutoscaler from `scaling`, a PodDisruptionBudget, its Ingress, its secrets and the
 * AnalysisTemplate of its canary thresholds.
 */
export class ServiceChart extends Chart {
  /** `Rollout` or `Deployment`. */
  readonly workloadKind: 'Rollout' | 'Deployment';
  /** The model service (also the name of its workload). */
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ServiceChartProps) {
    const { app, environment, service, namespace, options, warnings } = props;
    const labels = selectorLabels(app.name, service.name);
    super(scope, id, { namespace, labels: { ...labels, 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/environment': environment.name } });
    const refs = serviceRefs(service);

    // The canary's own thresholds, when the strategy has them.
    const templates = [...props.alarmTemplates];
    const strategy = environment.strategy;
    if ((strategy.kind === 'Canary' || strategy.kind === 'Linear') && strategy.analysis !== undefined) {
      const metrics = thresholdMetrics(
        service.name,
        strategy.analysis,
        strategy.intervalMs,
        { app: app.name, environment: environment.name, provider: options.analysisProvider, prometheusAddress: options.prometheusAddress, count: undefined, warnings },
        `environments.${environment.name}.strategy.analysis`,
      );
      if (metrics.length > 0) {
        new ApiObject(this, 'Thresholds', { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: refs.thresholds }, spec: { metrics } });
        templates.push(refs.thresholds);
      }
    }

    const plan = workloadStrategy({ service, environment, refs, trafficRouting: options.trafficRouting, analysisTemplates: templates, warnings });
    this.workloadKind = plan.kind;
    this.serviceName = service.name;

    const service80 = (name: string) =>
      new ApiObject(this, `Service-${name}`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name },
        spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'http', port: SERVICE_PORT, targetPort: 'http', protocol: 'TCP' }] },
      });
    service80(refs.stableService);
    if (plan.kind === 'Rollout') {
      if (plan.services.includes('canary')) service80(refs.canaryService);
      if (plan.services.includes('preview')) service80(refs.previewService);
    }

    if (service.secrets.length > 0) this.addSecrets(props, refs.secret);

    const image = `${imageName(options.imageRegistry, app.name, service.name)}:${options.imageTag ?? objectName(environment.name)}`;
    const env = envOf(service, { app: app.name, environment: environment.name, namespace, otlpEndpoint: props.otlpEndpoint, flagsUrl: props.flagsUrl, secretName: refs.secret });
    const template = {
      metadata: { labels, annotations: { 'slipway.dev/service': service.name } },
      spec: podSpecOf(service, image, env, warnings),
    };
    const replicas = service.scaling.min;
    if (plan.kind === 'Deployment') {
      new ApiObject(this, 'Deployment', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: service.name },
        spec: { replicas, revisionHistoryLimit: 5, selector: { matchLabels: labels }, strategy: plan.strategy, template },
      });
    } else {
      new ApiObject(this, 'Rollout', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: service.name },
        spec: { replicas, revisionHistoryLimit: 5, selector: { matchLabels: labels }, strategy: plan.strategy, template },
      });
    }

    this.addScaling(props, plan.kind);
    this.addDisruptionBudget(service, labels);
    if (service.ingressPathPrefix !== undefined) this.addIngress(props, refs, plan.kind === 'Rollout' && 'canary' in plan.strategy && plan.services.includes('canary'));
  }

  private addSecrets(props: ServiceChartProps, name: string): void {
    const { app, environment, service, options } = props;
    if (options.secrets === 'external-secrets') {
      new ApiObject(this, 'ExternalSecret', {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { name: props.secretStore, kind: 'SecretStore' },
          target: { name, creationPolicy: 'Owner' },
          data: service.secrets.map((key) => ({ secretKey: key, remoteRef: { key: awsSecretName(app.name, environment.name, key) } })),
        },
      });
    } else {
      new ApiObject(this, 'Secret', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, annotations: { 'slipway.dev/placeholder': 'fill in every value before applying (kubectl create secret … --dry-run=client -o yaml)' } },
        type: 'Opaque',
        stringData: Object.fromEntries(service.secrets.map((key) => [key, ''])),
      });
    }
  }

  private addScaling(props: ServiceChartProps, kind: 'Rollout' | 'Deployment'): void {
    const { service, environment, warnings } = props;
    const s = service.scaling;
    const path = `services.${service.name}.scaling`;
    if (s.targetRequestsPerTask !== undefined) {
      warnings.add(`${path}.targetRequestsPerTask`, 'requests per pod need a custom metrics adapter (e.g. prometheus-adapter); the HorizontalPodAutoscaler scales on CPU only');
    }
    if ((s.targets ?? []).length > 0) warnings.add(`${path}.targets`, 'custom metrics need a custom or external metrics adapter (e.g. prometheus-adapter); the HorizontalPodAutoscaler scales on CPU only');
    if ((s.schedules ?? []).length > 0) warnings.add(`${path}.schedules`, 'scheduled actions have no HorizontalPodAutoscaler counterpart (use a CronJob or KEDA\'s cron scaler); not synthesized');
    if ((s.scaledByAlarms ?? []).length > 0) warnings.add(path, `alarm scale actions (${(s.scaledByAlarms ?? []).join(', ')}) are not synthesized on Kubernetes: alarms are CloudWatch's`);
    if (s.targetCpuPercent === undefined) {
      if (s.min !== s.max) warnings.add(path, `no target metric on Kubernetes: ${environment.name} runs scaling.min (${s.min}) pods, no HorizontalPodAutoscaler`);
      return;
    }
    new ApiObject(this, 'Autoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: service.name },
      spec: {
        scaleTargetRef: kind === 'Rollout' ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: service.name } : { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
        minReplicas: Math.max(1, s.min),
        maxReplicas: Math.max(1, s.max),
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: s.targetCpuPercent } } }],
        behavior: {
          scaleUp: { stabilizationWindowSeconds: seconds(s.scaleOutCooldownMs, 0) },
          scaleDown: { stabilizationWindowSeconds: seconds(s.scaleInCooldownMs, 0) },
        },
      },
    });
  }

  private addDisruptionBudget(service: ResolvedService, labels: Record<string, string>): void {
    // One pod at a time may be evicted; with a single pod that still lets nodes drain.
    new ApiObject(this, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: service.name },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
  }

  private addIngress(props: ServiceChartProps, refs: StrategyRefs, canaryRouted: boolean): void {
    const { app, environment, service, options } = props;
    const prefix = service.ingressPathPrefix!;
    const alb = options.trafficRouting === 'alb';
    const annotations: Record<string, string> = alb
      ? {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          // Every service's Ingress joins one ALB per environment; longer prefixes are matched first.
          'alb.ingress.kubernetes.io/group.name': objectName(`${app.name}-${environment.name}`),
          'alb.ingress.kubernetes.io/group.order': String(Math.max(1, 1000 - prefix.length)),
          'alb.ingress.kubernetes.io/healthcheck-path': service.health.path,
          'alb.ingress.kubernetes.io/healthcheck-interval-seconds': String(Math.min(300, Math.max(5, seconds(service.health.intervalMs)))),
          'alb.ingress.kubernetes.io/success-codes': '200-399',
        }
      : {};
    // With ALB traffic routing Argo Rollouts writes the weighted forward action into an annotation named after the stable Service.
    const port = alb && canaryRouted ? { name: 'use-annotation' } : { number: SERVICE_PORT };
    const http = { paths: [{ path: prefix, pathType: 'Prefix', backend: { service: { name: refs.stableService, port } } }] };
    const rules = options.hosts.length === 0 ? [{ http }] : options.hosts.map((host) => ({ host, http }));
    new ApiObject(this, 'Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: refs.ingress!, annotations },
      spec: { ingressClassName: alb ? 'alb' : 'nginx', rules },
    });
  }
}

import type { Construct } from 'constructs';
import type { ResolvedApp, ResolvedEnvironment } from '../../shared/index.js';
import { InputError } from '../../shared/index.js';
import type { SynthWarnings } from '../aws/model/synth-warnings.js';
import { PlatformChart } from './charts/platform-chart.js';
import { ServiceChart, serviceRefs } from './charts/service-chart.js';
import { namespaceName, objectName } from './model/names.js';
import type { CompiledK8sOptions } from './options.js';

/** Props of {@link addEnvironmentCharts}. */
export interface EnvironmentChartsProps {
  readonly app: ResolvedApp;
  readonly environment: ResolvedEnvironment;
  readonly options: CompiledK8sOptions;
  readonly warnings: SynthWarnings;
  /** The EKS stack creates the ServiceAccounts that need IAM roles (the SecretStore's and the collector's). @default false */
  readonly externalServiceAccount?: boolean;
}

/** The charts of one environment, the platform first. */
export interface EnvironmentCharts {
  readonly namespace: string;
  readonly platform: PlatformChart;
  readonly services: readonly ServiceChart[];
}

function unmappable(path: string, reason: string): never {
  throw new InputError('SLW_ERR_SYNTH_UNMAPPABLE', `${path}: ${reason}`);
}

/**
 * Checks what Kubernetes cannot take from the model: object names that are not DNS labels, two objects
 * of the same name in one namespace (a service called `<other>-canary`), two services on one ingress path.
 * @throws {InputError} `SLW_ERR_SYNTH_UNMAPPABLE` with the field path and the reason.
 */
export function checkKubernetesNames(app: ResolvedApp, environment: ResolvedEnvironment): void {
  const ns = namespaceName(app.name, environment.name);
  if (objectName(ns) !== ns) unmappable(`environments.${environment.name}`, `namespace "${ns}" (<app>-<environment>) is not a DNS label: lower-case letters, digits and "-", at most 63`);
  const owners = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const service of Object.values(app.services)) {
    const path = `services.${service.name}`;
    if (objectName(service.name) !== service.name || service.name.length > 55) {
      unmappable(path, 'a Kubernetes Service name must be a DNS label (lower-case letters, digits and "-") short enough for its "-preview" Service (at most 55)');
    }
    const refs = serviceRefs(service);
    for (const name of new Set([refs.stableService, refs.canaryService, refs.previewService])) {
      const other = owners.get(name);
      if (other !== undefined) unmappable(path, `its Service "${name}" clashes with services.${other}'s in namespace ${ns}`);
      owners.set(name, service.name);
    }
    if (service.ingressPathPrefix !== undefined) {
      const other = prefixes.get(service.ingressPathPrefix);
      if (other !== undefined) unmappable(`${path}.ingress.pathPrefix`, `"${service.ingressPathPrefix}" is also services.${other}'s: one ingress path routes to one service`);
      prefixes.set(service.ingressPathPrefix, service.name);
    }
  }
}

/**
 * Adds one environment's charts to a cdk8s app (or, on EKS, to a cluster's scope): the platform
 * chart and one chart per service. Chart ids are the output file names.
 */
export function addEnvironmentCharts(scope: Construct, props: EnvironmentChartsProps): EnvironmentCharts {
  const { app, environment, options, warnings } = props;
  checkKubernetesNames(app, environment);
  const namespace = namespaceName(app.name, environment.name);
  const services = Object.values(app.services);
  for (const s of services) {
    if (s.platform === 'apprunner') warnings.add(`services.${s.name}.platform`, 'apprunner has no Kubernetes counterpart: the service runs as a pod like the others');
    if (s.dependsOn.length > 0) warnings.add(`services.${s.name}.dependsOn`, 'Kubernetes starts pods independently; readiness probes gate traffic instead');
  }
  for (const hook of Object.keys(environment.hooks)) {
    warnings.add(`environments.${environment.name}.hooks.${hook}`, 'lifecycle hooks are not synthesized for Argo Rollouts (use an analysis Job template)');
  }
  if (environment.requiresApproval) warnings.add(`environments.${environment.name}.requiresApproval`, 'approvals belong to the pipeline: add an approval stage');
  const platform = new PlatformChart(scope, 'platform', {
    app,
    environment,
    namespace,
    options,
    needsSecretStore: services.some((s) => s.secrets.length > 0),
    externalServiceAccount: props.externalServiceAccount,
    warnings,
  });
  const charts = services.map((service) => {
    const chart = new ServiceChart(scope, `service-${service.name}`, {
      app,
      environment,
      service,
      namespace,
      options,
      alarmTemplates: platform.alarmTemplates,
      otlpEndpoint: platform.otlpEndpoint,
      flagsUrl: platform.flagsUrl,
      secretStore: platform.secretStore,
      warnings,
    });
    chart.addDependency(platform);
    return chart;
  });
  return { namespace, platform, services: charts };
}

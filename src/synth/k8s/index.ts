// The Kubernetes synthesizer: the resolved app model as cdk8s charts (Argo Rollouts, plain YAML + kustomization).
export { synthK8s, type SynthK8sOptions, type SynthK8sResult, type SynthesizedEnvironment, type K8sObject } from './synth-k8s.js';
export { addEnvironmentCharts, checkKubernetesNames, type EnvironmentCharts, type EnvironmentChartsProps } from './slipway-k8s-environment.js';
export { PlatformChart, type PlatformChartProps } from './charts/platform-chart.js';
export { ServiceChart, serviceRefs, type ServiceChartProps } from './charts/service-chart.js';
export { compileK8sOptions, type K8sOptions, type CompiledK8sOptions, type TrafficRouting, type AnalysisProvider, type SecretSource, type TelemetryExport } from './options.js';
export { workloadStrategy, rollingBounds, type WorkloadStrategy, type CanaryStep } from './model/workload-strategy.js';
export { alarmAnalysisMetric, type AnalysisMetric } from './model/analysis-template.js';
export { flagdDocument, type FlagdDocument } from './model/flagd-flags.js';

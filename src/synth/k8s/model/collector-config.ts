import { stringify } from 'yaml';
import { ENVIRONMENT_ATTRIBUTE } from '../../aws/model/adot-config.js';
import type { AnalysisProvider, TelemetryExport } from '../options.js';

/** The collector image of each export mode, pinned (never a moving tag). */
export const COLLECTOR_IMAGES: Readonly<Record<TelemetryExport, string>> = {
  aws: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3',
  otlp: 'otel/opentelemetry-collector-contrib:0.115.1',
};

/** Port of the collector's Prometheus exporter, scraped by Prometheus for the analysis. */
export const PROMETHEUS_EXPORTER_PORT = 8889;

/** What the environment's collector needs to know. */
export interface CollectorConfigOptions {
  readonly telemetry: TelemetryExport;
  readonly analysisProvider: AnalysisProvider;
  /** CloudWatch namespace of the metrics (`aws`). */
  readonly namespace: string;
  /** Log group of the EMF metrics (`aws`). */
  readonly metricsLogGroupName: string;
  readonly region: string;
  /** Where OTLP goes (`otlp`). */
  readonly otlpEndpoint: string;
}

/**
 * The OpenTelemetry Collector configuration of one environment: OTLP in on 4317 (gRPC) and 4318 (HTTP);
 * `aws`: traces to X-Ray and metrics to CloudWatch as EMF (as the ECS sidecar does), `otlp`: both
 * forwarded over OTLP/HTTP. With Prometheus analysis the metrics are also exposed on 8889 with the
 * resource attributes as labels (`service_name`, `deployment_environment`), which the AnalysisTemplates query.
 */
export function collectorConfig(o: CollectorConfigOptions): string {
  const exporters: Record<string, unknown> = {};
  const traceExporters: string[] = [];
  const metricExporters: string[] = [];
  if (o.telemetry === 'aws') {
    exporters.awsxray = { region: o.region, indexed_attributes: [ENVIRONMENT_ATTRIBUTE, 'service.name'] };
    exporters.awsemf = {
      region: o.region,
      namespace: o.namespace,
      log_group_name: o.metricsLogGroupName,
      resource_to_telemetry_conversion: { enabled: true },
      dimension_rollup_option: 'NoDimensionRollup',
      metric_declarations: [{ dimensions: [[ENVIRONMENT_ATTRIBUTE, 'service.name']], metric_name_selectors: ['.*'] }],
    };
    traceExporters.push('awsxray');
    metricExporters.push('awsemf');
  } else {
    exporters['otlphttp'] = { endpoint: o.otlpEndpoint };
    traceExporters.push('otlphttp');
    metricExporters.push('otlphttp');
  }
  if (o.analysisProvider === 'prometheus') {
    exporters.prometheus = { endpoint: `0.0.0.0:${PROMETHEUS_EXPORTER_PORT}`, resource_to_telemetry_conversion: { enabled: true } };
    metricExporters.push('prometheus');
  }
  return stringify({
    receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
    processors: { memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 }, batch: { timeout: '5s' } },
    exporters,
    extensions: { health_check: { endpoint: '0.0.0.0:13133' } },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: traceExporters },
        metrics: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: metricExporters },
      },
    },
  });
}

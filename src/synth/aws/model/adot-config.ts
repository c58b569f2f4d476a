import { stringify } from 'yaml';

/** What the ADOT collector of one environment needs to know. */
export interface AdotConfigOptions {
  /** CloudWatch namespace of the application's metrics. */
  readonly namespace: string;
  /** Log group the EMF metrics are written to. */
  readonly metricsLogGroupName: string;
}

/** The resource attribute that names the environment in traces and metrics. */
export const ENVIRONMENT_ATTRIBUTE = 'deployment.environment';

/**
 * The collector configuration of the ADOT sidecar: OTLP in (gRPC 4317, HTTP 4318 — the same port the
 * local control plane listens on), traces to X-Ray (the environment indexed as an annotation, so X-Ray
 * groups can filter on it), metrics to CloudWatch as EMF with `deployment.environment` and `service.name`
 * as dimensions.
 */
export function adotCollectorConfig(options: AdotConfigOptions): string {
  return stringify({
    receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
    processors: { batch: { timeout: '10s' }, resourcedetection: { detectors: ['env', 'ecs'], timeout: '2s', override: false } },
    exporters: {
      awsxray: { indexed_attributes: [ENVIRONMENT_ATTRIBUTE, 'service.name'] },
      awsemf: {
        namespace: options.namespace,
        log_group_name: options.metricsLogGroupName,
        resource_to_telemetry_conversion: { enabled: true },
        dimension_rollup_option: 'NoDimensionRollup',
        metric_declarations: [{ dimensions: [[ENVIRONMENT_ATTRIBUTE, 'service.name']], metric_name_selectors: ['.*'] }],
      },
    },
    service: {
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['resourcedetection', 'batch'], exporters: ['awsxray'] },
        metrics: { receivers: ['otlp'], processors: ['resourcedetection', 'batch'], exporters: ['awsemf'] },
      },
    },
  });
}

import { InputError } from '../../shared/index.js';
import type { AnalysisProvider } from '../k8s/index.js';

/** Where the pods of an EKS environment run. */
export type EksCapacity =
  /** A managed node group runs every pod (controllers and services). */
  | 'nodegroup'
  /** The services' namespace runs on a Fargate profile; a small managed node group runs the controllers. */
  | 'fargate';

/** Options of the EKS environments (`environments.<e>.platform: 'eks'`); every one has a default. */
export interface EksOptions {
  /** Where the services' pods run. @default "nodegroup" */
  readonly capacity?: EksCapacity;
  /** Instance type of the managed node group. @default "m6i.large" */
  readonly instanceType?: string;
  /** Nodes of the managed node group (its minimum and desired size; the maximum is twice that). @default 2 */
  readonly nodes?: number;
  /**
   * Metric provider of the Rollouts' AnalysisTemplates: `prometheus` (a Prometheus you run in the
   * cluster, at `prometheusAddress`) or `cloudwatch` (the collector's EMF metrics; the Argo Rollouts
   * controller gets an IRSA role that may call `cloudwatch:GetMetricData`).
   * @default "prometheus"
   */
  readonly analysisProvider?: AnalysisProvider;
  /** Prometheus the AnalysisTemplates query. @default the Kubernetes synthesizer's default */
  readonly prometheusAddress?: string;
}

/** {@link EksOptions} with the defaults filled in. */
export interface CompiledEksOptions {
  readonly capacity: EksCapacity;
  readonly instanceType: string;
  readonly nodes: number;
  readonly analysisProvider: AnalysisProvider;
  readonly prometheusAddress: string | undefined;
}

/**
 * Checks the EKS options and fills in the defaults.
 * @throws {InputError} `SLW_ERR_SYNTH_OPTION` naming the option, the value and what is allowed.
 */
export function compileEksOptions(options: EksOptions = {}): CompiledEksOptions {
  const capacity = options.capacity ?? 'nodegroup';
  if (capacity !== 'nodegroup' && capacity !== 'fargate') throw new InputError('SLW_ERR_SYNTH_OPTION', `eks.capacity: "${String(capacity)}" is not one of nodegroup, fargate`);
  const instanceType = options.instanceType ?? 'm6i.large';
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType)) throw new InputError('SLW_ERR_SYNTH_OPTION', `eks.instanceType: "${instanceType}" is not an EC2 instance type (like m6i.large)`);
  const nodes = options.nodes ?? 2;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100) throw new InputError('SLW_ERR_SYNTH_OPTION', `eks.nodes: ${nodes} is not a whole number from 1 to 100`);
  const analysisProvider = options.analysisProvider ?? 'prometheus';
  if (analysisProvider !== 'prometheus' && analysisProvider !== 'cloudwatch') throw new InputError('SLW_ERR_SYNTH_OPTION', `eks.analysisProvider: "${String(analysisProvider)}" is not one of prometheus, cloudwatch`);
  return { capacity, instanceType, nodes, analysisProvider, prometheusAddress: options.prometheusAddress };
}

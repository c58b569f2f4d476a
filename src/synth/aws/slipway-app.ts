import type { aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InputError, type ResolvedApp } from '../../shared/index.js';
import type { VpcSource } from './environment-network.js';
import { environmentStackName, pascalCase, pipelineStackName, sharedStackName } from './model/names.js';
import { SynthWarnings } from './model/synth-warnings.js';
import type { PipelineSource } from './pipeline-source.js';
import { compileEksOptions, type EksOptions } from './eks-options.js';
import { SlipwayEksEnvironment } from './slipway-eks-environment.js';
import { SlipwayEnvironment } from './slipway-environment.js';
import { SlipwayPipeline } from './slipway-pipeline.js';
import { SlipwayShared } from './shared-stack.js';
import type { SlipwayFeatureFlags } from './feature-flags.js';

/** Options of {@link SlipwayApp}. */
export interface SlipwayAppProps {
  /** The resolved app model (`loadAppConfig()` or `resolveApp()`): the only input. */
  readonly app: ResolvedApp;
  /** AWS account of every stack. @default environment-agnostic stacks */
  readonly account?: string;
  /** AWS region of every stack; new VPCs then use its `a` and `b` zones. @default environment-agnostic stacks */
  readonly region?: string;
  /** Availability zones of new VPCs, when not `<region>a`/`<region>b`. @default `<region>a`, `<region>b`, or `Fn::GetAZs` without a region */
  readonly availabilityZones?: readonly string[];
  /** New VPCs, or existing ones given through stack parameters. @default 'create' */
  readonly vpc?: VpcSource;
  /** NAT gateways per new VPC. @default 1 */
  readonly natGateways?: number;
  /** ACM certificate ARN; every listener becomes HTTPS and port 80 redirects. @default HTTP listeners */
  readonly certificateArn?: string;
  /** Where the pipeline reads the source. @default a CodeConnections connection given through stack parameters */
  readonly source?: PipelineSource;
  /** Directory of the app definition, to find services' own Dockerfiles. @default Node services get a generated Dockerfile */
  readonly sourceDir?: string;
  /** Retention of every log group. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** ADOT collector image of the sidecars. @default the version slipway pins */
  readonly adotImage?: string;
  /**
   * The command the pipeline's `Synth` build runs at the source root (after `npm ci`) to write this app's
   * cloud assembly to `cdk.out`, whose templates the change-set actions deploy. Set it when this construct
   * sits in a CDK app of your own (`npx cdk synth -o cdk.out`).
   * @default `npx slipway synth aws --out cdk.out` with this synth's account, region and certificate
   */
  readonly synthCommand?: string;
  /** How environments of platform `eks` run: capacity, node group size, analysis provider. @default see {@link EksOptions} */
  readonly eks?: EksOptions;
}

/** The `slipway synth aws` command that rebuilds, in the pipeline, the assembly these props build. */
export function defaultSynthCommand(props: Pick<SlipwayAppProps, 'account' | 'region' | 'certificateArn' | 'eks'>): string {
  const flags = [
    ['--account', props.account],
    ['--region', props.region],
    ['--certificate-arn', props.certificateArn],
    ['--eks-capacity', props.eks?.capacity],
    ['--eks-instance-type', props.eks?.instanceType],
    ['--eks-nodes', props.eks?.nodes === undefined ? undefined : String(props.eks.nodes)],
    ['--eks-analysis', props.eks?.analysisProvider],
    ['--eks-prometheus-url', props.eks?.prometheusAddress],
    // Single-quoted for the build's shell, a quote inside closed and escaped: the value is never shell syntax.
  ].flatMap(([flag, value]) => (value === undefined ? [] : [`${flag} '${value.replaceAll("'", "'\\''")}'`]));
  return ['npx slipway synth aws --out cdk.out', ...flags].join(' ');
}

/**
 * A whole slipway app on AWS, usable inside any CDK app: a shared stack (`<app>-shared`: ECR, SNS,
 * AppConfig), one stack per environment (`<app>-<environment>`) and, when the model has a pipeline, a
 * pipeline stack (`<app>-pipeline`). `warnings` lists what the model says that AWS cannot express
 * one-to-one, each naming the model path.
 *
 * @example
 * const { app } = await loadAppConfig();
 * const cdkApp = new App();
 * new SlipwayApp(cdkApp, 'Shop', { app, region: 'eu-west-1' });
 */
export class SlipwayApp extends Construct {
  readonly shared: SlipwayShared;
  /** Environment stacks by environment name: ECS (and App Runner) or EKS, after the environment's `platform`. */
  readonly environments: Readonly<Record<string, SlipwayEnvironment | SlipwayEksEnvironment>>;
  /** The pipeline stack, when the model has a pipeline. */
  readonly pipeline: SlipwayPipeline | undefined;
  /** Differences between the model and what AWS runs, as `<model path>: <difference>`. */
  readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: SlipwayAppProps) {
    super(scope, id);
    const { app } = props;
    if (props.account !== undefined && !/^\d{12}$/.test(props.account)) throw new InputError('SLW_ERR_SYNTH_OPTION', `account must be 12 digits, got "${props.account}"`);
    if (props.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) throw new InputError('SLW_ERR_SYNTH_OPTION', `region must look like eu-west-1, got "${props.region}"`);
    const warnings = new SynthWarnings();
    const env = props.account === undefined && props.region === undefined ? undefined : { account: props.account, region: props.region };
    const availabilityZones = props.availabilityZones ?? (props.region === undefined ? undefined : [`${props.region}a`, `${props.region}b`]);
    const tags = { 'slipway:app': app.name };

    this.shared = new SlipwayShared(this, 'Shared', { app, warnings, env, stackName: sharedStackName(app.name), tags, description: `slipway ${app.name}: shared (ECR, SNS, AppConfig)` });
    const environments: Record<string, SlipwayEnvironment | SlipwayEksEnvironment> = {};
    const eks = compileEksOptions(props.eks);
    for (const [name, environment] of Object.entries(app.environments)) {
      const common = {
        app,
        environment: name,
        repositories: this.shared.repositories,
        vpc: props.vpc,
        availabilityZones,
        natGateways: props.natGateways,
        logRetention: props.logRetention,
        warnings,
        env,
        stackName: environmentStackName(app.name, name),
        tags: { ...tags, 'slipway:environment': name },
      };
      if (environment.platform === 'eks') {
        if (props.certificateArn !== undefined) warnings.add(`environments.${name}.platform`, 'the certificate is not applied on EKS: the ALB the controller creates from the Ingress listens on HTTP 80');
        if (props.vpc === 'import') warnings.add(`environments.${name}.platform`, 'an imported VPC keeps its subnet tags: tag public subnets kubernetes.io/role/elb=1 (and private ones kubernetes.io/role/internal-elb=1) for the AWS Load Balancer Controller');
      }
      const stack =
        environment.platform === 'eks'
          ? new SlipwayEksEnvironment(this, `Env${pascalCase(name)}`, { ...common, eks, description: `slipway ${app.name}: environment ${name} (EKS)` })
          : new SlipwayEnvironment(this, `Env${pascalCase(name)}`, {
        app,
        environment: name,
        repositories: this.shared.repositories,
        topics: this.shared.topics,
        vpc: props.vpc,
        availabilityZones,
        natGateways: props.natGateways,
        certificateArn: props.certificateArn,
        logRetention: props.logRetention,
        adotImage: props.adotImage,
        warnings,
        env,
        stackName: environmentStackName(app.name, name),
        tags: { ...tags, 'slipway:environment': name },
        description: `slipway ${app.name}: environment ${name}`,
            });
      stack.addStackDependency(this.shared);
      environments[name] = stack;
    }
    this.environments = environments;
    if (this.shared.flags !== undefined) watchRollbackAlarms(this.shared.flags, app, environments, warnings);
    this.pipeline =
      app.pipeline === undefined
        ? undefined
        : new SlipwayPipeline(this, 'Pipeline', {
            app,
            pipeline: app.pipeline,
            repositories: this.shared.repositories,
            deployTargets: Object.fromEntries(Object.entries(environments).map(([n, s]) => [n, s.deployTargets])),
            alarmsByEnvironment: Object.fromEntries(Object.entries(environments).map(([n, s]) => [n, Object.keys(s.alarms)])),
            stacks: { shared: this.shared, environments },
            synthCommand: props.synthCommand ?? defaultSynthCommand(props),
            source: props.source,
            sourceDir: props.sourceDir,
            warnings,
            env,
            stackName: pipelineStackName(app.name),
            tags,
            description: `slipway ${app.name}: pipeline`,
          });
    if (this.pipeline) for (const stack of Object.values(environments)) this.pipeline.addStackDependency(stack);
    this.warnings = warnings.list();
  }
}

/**
 * AppConfig watches, in each environment, the alarms a local flag rollout watches there: the
 * environment's `rollbackOn` and its canary's or linear's analysis alarms, those the environment stack
 * created (an alarm whose metric has no CloudWatch counterpart there is reported and left out).
 */
function watchRollbackAlarms(
  flags: SlipwayFeatureFlags,
  app: ResolvedApp,
  stacks: Readonly<Record<string, { readonly alarms: Readonly<Record<string, unknown>> }>>,
  warnings: SynthWarnings,
): void {
  for (const [name, environment] of Object.entries(app.environments)) {
    const strategy = environment.strategy;
    const analysis = strategy.kind === 'Canary' || strategy.kind === 'Linear' ? (strategy.analysis?.alarms ?? []) : [];
    const watched = [...new Set([...environment.rollbackOn, ...analysis])];
    const created = stacks[name]?.alarms ?? {};
    for (const alarm of watched.filter((a) => created[a] === undefined)) {
      warnings.add(`environments.${name}.rollbackOn`, `AppConfig does not watch ${alarm} during flag deployments: the alarm is not created in this environment`);
    }
    flags.monitorAlarms(name, watched.filter((a) => created[a] !== undefined));
  }
}

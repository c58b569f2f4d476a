import {
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_codebuild as codebuild,
  aws_codepipeline as codepipeline,
  aws_codepipeline_actions as actions,
  aws_ec2 as ec2,
  type aws_ecr as ecr,
  aws_iam as iam,
  aws_kms as kms,
  aws_s3 as s3,
  aws_sns as sns,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedAction, ResolvedApp, ResolvedPipeline, ResolvedStage } from '../../shared/index.js';
import { SlipwayImageBuild } from './image-build.js';
import { EKS_VERSION } from './eks-cluster.js';
import { appRunnerReleaseBuildSpec, eksDeployBuildSpec, invokeBuildSpec, scanBuildSpec, synthBuildSpec, taskDefinitionBuildSpec } from './model/buildspecs.js';
import { alarmName, limitName, pascalCase } from './model/names.js';
import { pushFilters } from './model/pipeline-triggers.js';
import type { SynthWarnings } from './model/synth-warnings.js';
import { acknowledgeChangeSetActions, acknowledgeCodeBuildProject, acknowledgeVpcCodeBuildProject, acknowledgeLogBucket, addPipelineSuppressions } from './nag-suppressions.js';
import { sourceAction, type PipelineSource } from './pipeline-source.js';
import type { ServiceDeployTarget } from './slipway-environment.js';
import { SlipwayStackChangeSet } from './stack-change-set.js';

/** Options of {@link SlipwayPipeline}. */
export interface SlipwayPipelineProps extends StackProps {
  readonly app: ResolvedApp;
  readonly pipeline: ResolvedPipeline;
  /** ECR repositories by service. */
  readonly repositories: Readonly<Record<string, ecr.IRepository>>;
  /** How each environment's services are deployed: environment → service → target. */
  readonly deployTargets: Readonly<Record<string, Readonly<Record<string, ServiceDeployTarget>>>>;
  /** The names of the alarms that exist in each environment (for `beforeEntry`). */
  readonly alarmsByEnvironment: Readonly<Record<string, readonly string[]>>;
  /** The stacks the pipeline deploys through change sets: the shared stack and one per environment. */
  readonly stacks: { readonly shared: Stack; readonly environments: Readonly<Record<string, Stack>> };
  /**
   * The command of the `Synth` build, run at the source root after `npm ci`: it must write the cloud
   * assembly of this same app to `cdk.out` (`npx cdk synth -o cdk.out` for a CDK app of your own).
   */
  readonly synthCommand: string;
  /** @default a CodeConnections source whose connection and repository are stack parameters */
  readonly source?: PipelineSource;
  /** The app definition's directory, to find services' own Dockerfiles. @default Node services get a generated Dockerfile */
  readonly sourceDir?: string;
  readonly warnings: SynthWarnings;
}

const MAX_BUILD_TIMEOUT_MINUTES = 2160;

/**
 * The model's pipeline as CodePipeline V2: Git triggers with the model's branch and tag filters, the
 * source (CodeConnections or CodeCommit), a `Synth` build that writes the commit's cloud assembly, one
 * CodeBuild project per build action running the repository's own buildspec file, an `Images` stage
 * (the shared stack's change set, then each service's image into ECR) before the first deploy, manual
 * approvals notifying an SNS topic, and per environment, where it is first deployed: its stack's
 * change set created, approved when the environment `requiresApproval`, executed, then the deploy
 * actions (CodeDeploy ECS blue/green, ECS rolling, or an App Runner release); stage conditions from
 * `beforeEntry`/`onFailure`, and an encrypted, TLS-only, private artifact bucket.
 */
export class SlipwayPipeline extends Stack {
  readonly pipeline: codepipeline.Pipeline;
  readonly artifactBucket: s3.Bucket;
  /** Topic manual approvals notify. */
  readonly approvalTopic: sns.Topic;
  /** Image build projects by service. */
  readonly imageBuilds: Readonly<Record<string, SlipwayImageBuild>>;

  /** The change set of each stack the pipeline deploys, by stack name. */
  readonly changeSets: Readonly<Record<string, SlipwayStackChangeSet>>;

  private readonly key: kms.Key;
  private readonly changeSetsByStack: Record<string, SlipwayStackChangeSet> = {};
  private readonly assembly = new codepipeline.Artifact('Assembly');
  /** `taskdef-<env>.json` of each CodeDeploy service, by `<env>/<service>`, written after the environment's change set. */
  private readonly taskDefinitions = new Map<string, codepipeline.Artifact>();

  constructor(scope: Construct, id: string, props: SlipwayPipelineProps) {
    super(scope, id, props);
    const { app, pipeline, warnings } = props;
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `slipway ${app.name}: pipeline artifacts`, removalPolicy: RemovalPolicy.RETAIN });
    const accessLogs = new s3.Bucket(this, 'ArtifactAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    acknowledgeLogBucket(accessLogs);
    this.artifactBucket = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
    });
    this.approvalTopic = new sns.Topic(this, 'Approvals', { topicName: limitName(`${app.name}-approvals`, 256), masterKey: this.key, enforceSSL: true });

    const filters = pushFilters(pipeline.trigger);
    for (const d of filters.differences) warnings.add('pipeline.trigger', d);
    const sourceOutput = new codepipeline.Artifact('Source');
    const source = sourceAction(this, props.source ?? { kind: 'connection' }, filters.defaultBranch, sourceOutput);
    if (source.connection === undefined && (pipeline.trigger.tags.length > 0 || pipeline.trigger.branches.some((b) => b !== filters.defaultBranch))) {
      warnings.add('pipeline.trigger', `a CodeCommit source follows one branch (${filters.defaultBranch}); other branch and tag filters need a connection source`);
    }

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: app.name,
      pipelineType: codepipeline.PipelineType.V2,
      executionMode: codepipeline.ExecutionMode[pipeline.executionMode],
      artifactBucket: this.artifactBucket,
      crossAccountKeys: false,
      restartExecutionOnUpdate: false,
      triggers:
        source.connection === undefined || filters.filters.length === 0
          ? undefined
          : [
              {
                providerType: codepipeline.ProviderType.CODE_STAR_SOURCE_CONNECTION,
                gitConfiguration: { sourceAction: source.connection, pushFilter: filters.filters.map((f) => ({ ...f }) as codepipeline.GitPushFilter) },
              },
            ],
    });
    this.pipeline.addStage({ stageName: 'Source', actions: [source.action] });
    // Synthesized right after the source, as CDK Pipelines does: an invalid model fails the run before any build.
    this.pipeline.addStage({
      stageName: 'Synth',
      actions: [this.codeBuild('Synth', 'synth', codebuild.BuildSpec.fromObject(synthBuildSpec(props.synthCommand)), 30 * 60_000, sourceOutput, 1, { outputs: [this.assembly] })],
    });

    const imageOutputs = new Map<string, codepipeline.Artifact>();
    const imageBuilds: Record<string, SlipwayImageBuild> = {};
    const firstDeploy = pipeline.stages.findIndex((st) => st.actions.some((a) => a.type === 'deploy'));
    pipeline.stages.forEach((stage, index) => {
      if (index === firstDeploy) this.addImagesStage(props, sourceOutput, imageOutputs, imageBuilds);
      this.addModelStage(props, stage, sourceOutput, imageOutputs);
    });
    if (firstDeploy === -1) this.addImagesStage(props, sourceOutput, imageOutputs, imageBuilds);
    this.imageBuilds = imageBuilds;
    this.changeSets = this.changeSetsByStack;
    for (const [env, stack] of Object.entries(props.stacks.environments)) {
      if (!(stack.stackName in this.changeSetsByStack)) warnings.add(`environments.${env}`, `no pipeline stage deploys it: its stack ${stack.stackName} is deployed by hand (cdk deploy)`);
    }
    addPipelineSuppressions(this, this.artifactBucket);
    acknowledgeChangeSetActions(this.pipeline, Object.keys(this.changeSetsByStack));
  }

  /** The change-set actions of a stack, from `runOrder` on. */
  private changeSet(props: SlipwayPipelineProps, target: Stack, name: string, runOrder: number, approval: boolean, modelPath: string): SlipwayStackChangeSet {
    const changeSet = new SlipwayStackChangeSet(this, `ChangeSet${pascalCase(name)}`, {
      target,
      assembly: this.assembly,
      artifactBucket: this.artifactBucket,
      name,
      runOrder,
      modelPath,
      warnings: props.warnings,
      approval: approval
        ? { topic: this.approvalTopic, additionalInformation: `Review the change set ${target.stackName} of ${props.app.name}, then approve to deploy ${name}`, timeout: Duration.days(7) }
        : undefined,
    });
    this.changeSetsByStack[target.stackName] = changeSet;
    return changeSet;
  }

  private addImagesStage(props: SlipwayPipelineProps, sourceOutput: codepipeline.Artifact, outputs: Map<string, codepipeline.Artifact>, builds: Record<string, SlipwayImageBuild>): void {
    // ECR repositories (and AppConfig) live in the shared stack: a new service's repository exists before its image is pushed.
    const shared = this.changeSet(props, props.stacks.shared, 'shared', 1, false, 'pipeline');
    const stageActions: codepipeline.IAction[] = [...shared.actions];
    for (const service of Object.values(props.app.services)) {
      const build = new SlipwayImageBuild(this, `Image${pascalCase(service.name)}`, {
        service,
        repository: props.repositories[service.name]!,
        key: this.key,
        sourceDir: props.sourceDir,
        warnings: props.warnings,
      });
      builds[service.name] = build;
      const output = new codepipeline.Artifact(`Image_${pascalCase(service.name)}`);
      outputs.set(service.name, output);
      stageActions.push(new actions.CodeBuildAction({ actionName: limitName(`image-${service.name}`, 100), project: build.project, input: sourceOutput, outputs: [output], runOrder: shared.lastRunOrder + 1 }));
    }
    this.pipeline.addStage({ stageName: 'Images', actions: stageActions });
  }

  private addModelStage(props: SlipwayPipelineProps, stage: ResolvedStage, sourceOutput: codepipeline.Artifact, images: Map<string, codepipeline.Artifact>): void {
    const environments = [...new Set(stage.actions.flatMap((a) => (a.type === 'deploy' ? [a.environment] : [])))];
    const path = `pipeline.stages.${stage.name}`;
    // An environment's stack changes where the environment is first deployed, before its services: they run on it.
    const infrastructure = environments
      .filter((env) => props.stacks.environments[env] !== undefined && !(props.stacks.environments[env]!.stackName in this.changeSetsByStack))
      .map((env) => ({ env, changeSet: this.changeSet(props, props.stacks.environments[env]!, env, 1, props.app.environments[env]?.requiresApproval === true, `environments.${env}`) }));
    const taskDefinitionActions = infrastructure.flatMap(({ env, changeSet }) => this.taskDefinitionActions(props, env, images, changeSet.lastRunOrder + 1));
    const offset = Math.max(0, ...infrastructure.map(({ changeSet }) => changeSet.lastRunOrder), ...taskDefinitionActions.map((a) => a.actionProperties.runOrder ?? 1));
    const stageActions = [...infrastructure.flatMap(({ changeSet }) => changeSet.actions), ...taskDefinitionActions, ...stage.actions.flatMap((a) => this.actionsOf(props, stage, a, sourceOutput, images, offset))];
    // A stage of plan actions only has nothing to run on AWS: the plan of an environment is its change set, made where it is deployed.
    if (stageActions.length === 0) return;
    let beforeEntry: codepipeline.Conditions | undefined;
    if (stage.beforeEntry !== undefined) {
      const envs = environments.length > 0 ? environments : Object.keys(props.app.environments);
      const rules = stage.beforeEntry.alarms.flatMap((alarm) =>
        envs
          .filter((env) => props.alarmsByEnvironment[env]?.includes(alarm))
          .map(
            (env) =>
              new codepipeline.Rule({
                name: limitName(`${alarm}-${env}`, 100),
                provider: 'CloudWatchAlarm',
                version: '1',
                configuration: { AlarmName: alarmName(props.app.name, env, alarm), AlarmStates: 'ALARM' },
              }),
          ),
      );
      if (rules.length > 0) beforeEntry = { conditions: [{ result: codepipeline.Result[stage.beforeEntry.result], rules }] };
    }
    let onFailure: codepipeline.FailureConditions | undefined;
    if (stage.onFailure.result === 'RETRY') {
      if (stage.onFailure.retries > 1) props.warnings.add(`${path}.onFailure`, `CodePipeline retries a failed stage once automatically, not ${stage.onFailure.retries} times`);
      onFailure = { result: codepipeline.Result.RETRY, retryMode: codepipeline.RetryMode.FAILED_ACTIONS };
    } else if (stage.onFailure.result === 'ROLLBACK') {
      onFailure = { result: codepipeline.Result.ROLLBACK };
    }
    this.pipeline.addStage({ stageName: stage.name, actions: stageActions, beforeEntry, onFailure });
  }

  /**
   * After an environment's change set executes, one build per CodeDeploy service writes the task
   * definition the blue/green action deploys: the revision the change set registered, so a model change
   * to the task (env, secrets, size) goes out with this very deployment.
   */
  private taskDefinitionActions(props: SlipwayPipelineProps, env: string, images: Map<string, codepipeline.Artifact>, runOrder: number): codepipeline.IAction[] {
    return Object.entries(props.deployTargets[env] ?? {}).flatMap(([service, target]) => {
      const input = images.get(service);
      if (target.kind !== 'CodeDeploy' || input === undefined) return [];
      const id = `TaskDef${pascalCase(env)}${pascalCase(service)}`;
      const output = new codepipeline.Artifact(`TaskDef_${pascalCase(env)}_${pascalCase(service)}`);
      this.taskDefinitions.set(`${env}/${service}`, output);
      return [
        this.codeBuild(id, limitName(`taskdef-${env}-${service}`, 100), codebuild.BuildSpec.fromObject(taskDefinitionBuildSpec()), 10 * 60_000, input, runOrder, {
          outputs: [output],
          environmentVariables: { TASK_FAMILY: { value: target.family }, CONTAINER_NAME: { value: service }, ENVIRONMENT: { value: env } },
          // DescribeTaskDefinition has no resource-level permissions.
          statements: [new iam.PolicyStatement({ actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] })],
        }),
      ];
    });
  }

  /** The task definition artifact of a CodeDeploy service: written in the stage that changed its environment, or an earlier one. */
  private taskDefinitionOf(env: string, service: string): codepipeline.Artifact {
    const artifact = this.taskDefinitions.get(`${env}/${service}`);
    if (artifact === undefined) throw new Error(`no task definition build for ${service} in ${env}: its environment's change set must come first`);
    return artifact;
  }

  private actionsOf(props: SlipwayPipelineProps, stage: ResolvedStage, action: ResolvedAction, sourceOutput: codepipeline.Artifact, images: Map<string, codepipeline.Artifact>, offset: number): codepipeline.IAction[] {
    const path = `pipeline.stages.${stage.name}.actions.${action.name}`;
    if (action.type !== 'approval' && action.retries > 0) props.warnings.add(path, 'CodePipeline actions have no retry count; use the stage onFailure RETRY');
    const id = `${pascalCase(stage.name)}${pascalCase(action.name)}`;
    const runOrder = action.runOrder + offset;
    switch (action.type) {
      case 'build':
        return [this.codeBuild(id, action.name, codebuild.BuildSpec.fromSourceFilename(action.buildspec), action.timeoutMs, sourceOutput, runOrder, { outputs: [new codepipeline.Artifact(`${id}Output`)] })];
      case 'scan':
        return [this.codeBuild(id, action.name, codebuild.BuildSpec.fromObject(scanBuildSpec(action.failOn)), action.timeoutMs, sourceOutput, runOrder)];
      case 'invoke':
        return [this.codeBuild(id, action.name, codebuild.BuildSpec.fromObject(invokeBuildSpec(action.command)), action.timeoutMs, sourceOutput, runOrder)];
      case 'loadtest':
        props.warnings.add(path, 'load tests run only in the local pipeline: CodePipeline gets no action for it (run your load tool from an invoke action to gate on AWS)');
        return [];
      case 'analyze':
        props.warnings.add(path, 'static analysis runs only in the local pipeline: CodePipeline gets no action for it (CodeBuild reports do not gate on SARIF levels)');
        return [];
      case 'image':
        // On AWS every service's image is built and pushed by the Images stage added before the first deploy.
        return [];
      case 'plan':
        // On AWS the plan of an environment is its CloudFormation change set, made in its deploy stage.
        return [];
      case 'approval':
        return [
          new actions.ManualApprovalAction({
            actionName: action.name,
            runOrder,
            notificationTopic: this.approvalTopic,
            additionalInformation: `Approve ${props.app.name}: ${stage.name}`,
            // CodePipeline approvals wait 5 minutes to 7 days.
            timeout: Duration.millis(Math.min(Math.max(action.timeoutMs, 5 * 60_000), 7 * 86_400_000)),
          }),
        ];
      case 'deploy': {
        const targets = props.deployTargets[action.environment] ?? {};
        const services = action.service === undefined ? Object.keys(targets) : [action.service];
        return services.flatMap((service) => {
          const target = targets[service];
          const input = images.get(service);
          if (target === undefined || input === undefined) return [];
          const actionName = limitName(action.service === undefined ? `${action.name}-${service}` : action.name, 100);
          switch (target.kind) {
            case 'EcsRolling':
              return [new actions.EcsDeployAction({ actionName, service: target.service, input, runOrder, deploymentTimeout: Duration.millis(Math.min(action.timeoutMs, 3_600_000)) })];
            case 'CodeDeploy':
              return [
                new actions.CodeDeployEcsDeployAction({
                  actionName,
                  runOrder,
                  deploymentGroup: target.deploymentGroup,
                  taskDefinitionTemplateFile: this.taskDefinitionOf(action.environment, service).atPath(`taskdef-${action.environment}.json`),
                  appSpecTemplateFile: input.atPath('appspec.yaml'),
                  containerImageInputs: [{ input, taskDefinitionPlaceholder: 'IMAGE1_NAME' }],
                }),
              ];
            case 'EksRollout':
              return [
                this.codeBuild(`${id}${pascalCase(service)}`, actionName, codebuild.BuildSpec.fromObject(eksDeployBuildSpec()), action.timeoutMs, input, runOrder, {
                  environmentVariables: {
                    CLUSTER_NAME: { value: target.clusterName },
                    DEPLOY_ROLE_ARN: { value: target.deployRole.roleArn },
                    NAMESPACE: { value: target.namespace },
                    WORKLOAD_KIND: { value: target.workloadKind },
                    WORKLOAD_NAME: { value: target.workloadName },
                    REPOSITORY_NAME: { value: props.repositories[service]!.repositoryName },
                    ENVIRONMENT: { value: action.environment },
                    KUBECTL_MINOR: { value: EKS_VERSION.version },
                  },
                  repository: props.repositories[service],
                  statements: [
                    // update-kubeconfig reads the endpoint; everything inside the cluster is done as the deploy role.
                    new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [target.clusterArn] }),
                    new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [target.deployRole.roleArn] }),
                  ],
                  vpc: { vpc: target.vpc, securityGroups: [target.securityGroup] },
                }),
              ];
            case 'AppRunner':
              return [
                this.codeBuild(`${id}${pascalCase(service)}`, actionName, codebuild.BuildSpec.fromObject(appRunnerReleaseBuildSpec()), action.timeoutMs, sourceOutput, runOrder, {
                  environmentVariables: { REPOSITORY_NAME: { value: props.repositories[service]!.repositoryName }, ENVIRONMENT: { value: action.environment } },
                  repository: props.repositories[service],
                }),
              ];
          }
        });
      }
    }
  }

  private codeBuild(
    id: string,
    actionName: string,
    buildSpec: codebuild.BuildSpec,
    timeoutMs: number,
    input: codepipeline.Artifact,
    runOrder: number,
    extra: {
      outputs?: codepipeline.Artifact[];
      environmentVariables?: Record<string, codebuild.BuildEnvironmentVariable>;
      repository?: ecr.IRepository;
      statements?: iam.PolicyStatement[];
      /** Run the build in a VPC's private subnets (to reach a private endpoint). */
      vpc?: { vpc: ec2.IVpc; securityGroups: ec2.ISecurityGroup[] };
    } = {},
  ): codepipeline.IAction {
    const project = new codebuild.PipelineProject(this, `${id}Project`, {
      description: `slipway: ${actionName}`,
      buildSpec,
      encryptionKey: this.key,
      timeout: Duration.minutes(Math.min(MAX_BUILD_TIMEOUT_MINUTES, Math.max(5, Math.ceil(timeoutMs / 60_000)))),
      environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.SMALL },
      environmentVariables: extra.environmentVariables,
      ...(extra.vpc === undefined ? {} : { vpc: extra.vpc.vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, securityGroups: extra.vpc.securityGroups }),
    });
    acknowledgeCodeBuildProject(project);
    if (extra.vpc !== undefined) acknowledgeVpcCodeBuildProject(project);
    for (const statement of extra.statements ?? []) project.addToRolePolicy(statement);
    if (extra.repository !== undefined) {
      extra.repository.grantPull(project);
      extra.repository.grant(project, 'ecr:PutImage');
    }
    return new actions.CodeBuildAction({ actionName, project, input, outputs: extra.outputs, runOrder });
  }
}

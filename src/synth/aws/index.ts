// The AWS synthesizer: the resolved app model as aws-cdk-lib constructs and a cloud assembly.
export { SlipwayApp, defaultSynthCommand, type SlipwayAppProps } from './slipway-app.js';
export { SlipwayShared, type SlipwaySharedProps } from './shared-stack.js';
export { SlipwayEnvironment, type SlipwayEnvironmentProps, type ServiceDeployTarget } from './slipway-environment.js';
export { SlipwayService, type SlipwayServiceProps, type ServiceExposure } from './slipway-service.js';
export { SlipwayAppRunnerService, type SlipwayAppRunnerServiceProps } from './app-runner-service.js';
export { SlipwayPipeline, type SlipwayPipelineProps } from './slipway-pipeline.js';
export { SlipwayStackChangeSet, CHANGE_SET_NAME, type SlipwayStackChangeSetProps } from './stack-change-set.js';
export { DEPLOY_PERMISSIONS, deployPermissions, type DeployPermissions } from './model/deploy-permissions.js';
export { SlipwayFeatureFlags, type SlipwayFeatureFlagsProps } from './feature-flags.js';
export { SlipwayNetwork, type SlipwayNetworkProps, type VpcSource } from './environment-network.js';
export type { PipelineSource } from './pipeline-source.js';
export { synthAws, type SynthAwsOptions, type SynthAwsResult, type SynthesizedStack } from './synth-aws.js';
export { readAssembly, type AssemblyStack } from './assembly/read-assembly.js';
export { diffAssemblies, formatAssemblyDiff, type AssemblyDiff, type ResourceChange } from './assembly/diff-assemblies.js';
export { planDeployment, type DeploymentPlan, type CodeDeployConfig, type PlannedDeployment } from './model/deployment-plan.js';
export { appConfigFlagDocument, type AppConfigFlagDocument } from './model/flag-document.js';
export { pushFilters, type PushFilters } from './model/pipeline-triggers.js';
export { nodeDockerfile } from './model/dockerfile.js';

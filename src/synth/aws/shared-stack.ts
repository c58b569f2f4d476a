import type { aws_sns as sns } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, Stack, type StackProps, aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedApp, ResolvedService } from '../../shared/index.js';
import { SlipwayFeatureFlags } from './feature-flags.js';
import { repositoryName, pascalCase } from './model/names.js';
import type { SynthWarnings } from './model/synth-warnings.js';
import { SlipwayNotificationTopics } from './notification-topics.js';
import { warnOncall } from './model/oncall-warning.js';

/** Options of {@link SlipwayShared}. */
export interface SlipwaySharedProps extends StackProps {
  /** The resolved app model. */
  readonly app: ResolvedApp;
  /** Where differences between the model and AWS are reported. */
  readonly warnings: SynthWarnings;
}

const DAY_MS = 86_400_000;

/**
 * What every environment and the pipeline share: a customer-managed KMS key, one ECR repository per
 * service (images are built once and promoted), the SNS topics of the model's notifications, and the
 * feature flags in AppConfig.
 */
export class SlipwayShared extends Stack {
  /** Encrypts the SNS topics. */
  readonly key: kms.Key;
  /** ECR repositories by service name. */
  readonly repositories: Readonly<Record<string, ecr.Repository>>;
  /** SNS topics by model topic name. */
  readonly topics: Readonly<Record<string, sns.Topic>>;
  /** The AppConfig flags, when the model has any. */
  readonly flags: SlipwayFeatureFlags | undefined;

  constructor(scope: Construct, id: string, props: SlipwaySharedProps) {
    super(scope, id, props);
    const { app } = props;
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `slipway ${app.name}: notifications`, removalPolicy: RemovalPolicy.RETAIN });
    const repositories: Record<string, ecr.Repository> = {};
    for (const service of Object.values(app.services)) {
      repositories[service.name] = repositoryOf(this, app, service, props.warnings);
    }
    this.repositories = repositories;
    this.topics = new SlipwayNotificationTopics(this, 'Notifications', { app, key: this.key, warnings: props.warnings }).topics;
    warnOncall(app, props.warnings, 'AWS Systems Manager Incident Manager (contacts, rotations, escalation plans) is not synthesized');
    this.flags = Object.keys(app.flags).length > 0 ? new SlipwayFeatureFlags(this, 'FeatureFlags', { app, warnings: props.warnings }) : undefined;
  }
}

/**
 * A service's ECR repository, with the settings of its `image`: tag mutability, scan on push, and
 * its lifecycle policy in ECR's own JSON (the text the local registry applies, as it was checked);
 * without a policy of its own, the artifacts policy (`artifacts.expireUntaggedAfter`, `keepLast`).
 */
function repositoryOf(scope: Construct, app: ResolvedApp, service: ResolvedService, warnings: SynthWarnings): ecr.Repository {
  const image = service.image;
  const immutable = image?.tagMutability === 'IMMUTABLE';
  const eks = Object.values(app.environments).some((e) => e.platform === 'eks');
  if (immutable && (service.platform === 'apprunner' || eks)) {
    warnings.add(
      `services.${service.name}.image.tagMutability`,
      `${eks ? 'EKS manifests' : 'App Runner'} follow a per-environment tag that each release moves; an IMMUTABLE repository refuses to move it, so releases after the first do not deploy`,
    );
  }
  const repository = new ecr.Repository(scope, `Repository${pascalCase(service.name)}`, {
    repositoryName: repositoryName(app.name, service.name),
    imageScanOnPush: image?.scanOnPush ?? true,
    imageTagMutability: immutable ? ecr.TagMutability.IMMUTABLE : ecr.TagMutability.MUTABLE,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(image?.lifecyclePolicy === undefined
      ? {
          lifecycleRules: [
            { rulePriority: 1, description: 'expire untagged images (artifacts.expireUntaggedAfter)', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(Math.max(1, Math.ceil(app.artifacts.expireUntaggedAfterMs / DAY_MS))) },
            { rulePriority: 2, description: 'keep the newest images (artifacts.keepLast)', tagStatus: ecr.TagStatus.ANY, maxImageCount: app.artifacts.keepLast },
          ],
        }
      : {}),
  });
  if (image?.lifecyclePolicy !== undefined) {
    // ECR reads the same JSON the model holds; LifecycleRule would lose tagPatternList and the rule order.
    (repository.node.defaultChild as ecr.CfnRepository).lifecyclePolicy = { lifecyclePolicyText: image.lifecyclePolicy };
  }
  return repository;
}

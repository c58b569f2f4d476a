import fs from 'node:fs';
import path from 'node:path';
import type { aws_ecr as ecr } from 'aws-cdk-lib';
import { Duration, Stage, aws_codebuild as codebuild, type aws_kms as kms, aws_s3_assets as assets } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../shared/index.js';
import { imageBuildSpec } from './model/buildspecs.js';
import { isNodeService, nodeDockerfile } from './model/dockerfile.js';
import { CONTAINER_PORT } from './model/names.js';
import { acknowledgeCodeBuildProject } from './nag-suppressions.js';
import type { SynthWarnings } from './model/synth-warnings.js';

/** Options of {@link SlipwayImageBuild}. */
export interface SlipwayImageBuildProps {
  readonly service: ResolvedService;
  readonly repository: ecr.IRepository;
  /** Encrypts build output. */
  readonly key: kms.IKey;
  /** The directory of the app definition, to find a service's own Dockerfile. @default every Node service gets a generated one */
  readonly sourceDir?: string;
  readonly warnings: SynthWarnings;
}

/**
 * The CodeBuild project that builds a service's image and pushes it to ECR. A service with its own
 * `Dockerfile` uses it; a Node service without one gets a generated Dockerfile, emitted into the cloud
 * assembly as a file asset and fetched by the image buildspec.
 */
export class SlipwayImageBuild extends Construct {
  readonly project: codebuild.PipelineProject;
  /** The generated Dockerfile, when the service has none. */
  readonly dockerfileAsset: assets.Asset | undefined;

  constructor(scope: Construct, id: string, props: SlipwayImageBuildProps) {
    super(scope, id);
    const { service } = props;
    const own = props.sourceDir !== undefined && fs.existsSync(path.join(props.sourceDir, service.path, 'Dockerfile'));
    const dockerfilePath = `${service.path.replace(/^\.\/+/, '').replace(/\/+$/, '')}/Dockerfile`;
    if (!own && !isNodeService(service)) props.warnings.add(`services.${service.name}`, `no Dockerfile found and "${service.start}" is not a Node command: the image build expects ${dockerfilePath}`);
    this.dockerfileAsset = !own && isNodeService(service) ? this.generatedDockerfile(service) : undefined;
    this.project = new codebuild.PipelineProject(this, 'Project', {
      description: `slipway: image of ${service.name}`,
      buildSpec: codebuild.BuildSpec.fromObject(imageBuildSpec()),
      encryptionKey: props.key,
      timeout: Duration.minutes(30),
      environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.SMALL, privileged: true },
      environmentVariables: {
        REPOSITORY_URI: { value: props.repository.repositoryUri },
        CONTAINER_NAME: { value: service.name },
        CONTAINER_PORT: { value: String(CONTAINER_PORT) },
        DOCKERFILE: { value: dockerfilePath },
        DOCKERFILE_S3_URI: { value: this.dockerfileAsset?.s3ObjectUrl ?? '' },
      },
    });
    acknowledgeCodeBuildProject(this.project);
    props.repository.grantPullPush(this.project);
    this.dockerfileAsset?.grantRead(this.project);
  }

  private generatedDockerfile(service: ResolvedService): assets.Asset {
    const dir = path.join(Stage.of(this)?.outdir ?? '.', '.slipway-generated', service.name);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, nodeDockerfile(service));
    return new assets.Asset(this, 'Dockerfile', { path: file });
  }
}

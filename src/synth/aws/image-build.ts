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
    const image = service.image;
    const servicePath = service.path.replace(/^\.\/+/, '').replace(/\/+$/, '');
    // The service's `image` is built exactly as `slipway up` builds it: the same Dockerfile, context, target, arguments and platforms.
    const dockerfilePath = image?.dockerfile ?? `${servicePath}/Dockerfile`;
    const own = image !== undefined || (props.sourceDir !== undefined && fs.existsSync(path.join(props.sourceDir, dockerfilePath)));
    if (image !== undefined && props.sourceDir !== undefined) checkDockerfile(props, dockerfilePath);
    if (!own && !isNodeService(service)) props.warnings.add(`services.${service.name}`, `no Dockerfile found and "${service.start}" is not a Node command: the image build expects ${dockerfilePath}`);
    this.dockerfileAsset = !own && isNodeService(service) ? this.generatedDockerfile(service) : undefined;
    const buildArgs = image?.buildArgs ?? {};
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
        BUILD_CONTEXT: { value: image?.context ?? '.' },
        BUILD_TARGET: { value: image?.target ?? '' },
        BUILD_ARG_NAMES: { value: Object.keys(buildArgs).join(' ') },
        PLATFORMS: { value: (image?.platforms ?? []).join(',') },
        ...Object.fromEntries(Object.entries(buildArgs).map(([k, v]) => [k, { value: v }])),
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

/** Build arguments CodeBuild sets itself; one of these names would change the build's own environment. */
const CODEBUILD_RESERVED = /^(PATH|HOME|SHELL|CODEBUILD_\w*|AWS_\w*|REPOSITORY_URI|CONTAINER_NAME|CONTAINER_PORT|DOCKERFILE|DOCKERFILE_S3_URI|BUILD_CONTEXT|BUILD_TARGET|BUILD_ARG_NAMES|PLATFORMS)$/;

/**
 * What the service's Dockerfile needs that CodeBuild will not have: the file itself, build
 * arguments under names the build reserves, and a base image on `localhost` (a local base, such as
 * the one `slipway images base` makes) that no build argument replaces.
 */
function checkDockerfile(props: SlipwayImageBuildProps, dockerfilePath: string): void {
  const where = `services.${props.service.name}.image`;
  const buildArgs = props.service.image?.buildArgs ?? {};
  for (const name of Object.keys(buildArgs)) {
    if (CODEBUILD_RESERVED.test(name)) props.warnings.add(`${where}.buildArgs.${name}`, `"${name}" is a variable the image build itself uses; rename the build argument`);
  }
  const file = path.join(props.sourceDir!, dockerfilePath);
  if (!fs.existsSync(file)) {
    props.warnings.add(`${where}.dockerfile`, `${dockerfilePath} does not exist: the image build will fail`);
    return;
  }
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)/gim)) {
    const [, name, value] = m;
    if (name === undefined || value === undefined || !/^localhost[/:]/.test(value) || name in buildArgs) continue;
    props.warnings.add(
      `${where}.buildArgs`,
      `${dockerfilePath} defaults ${name} to ${value}, an image only on the machine that built it; CodeBuild cannot pull it: set image.buildArgs.${name} (e.g. public.ecr.aws/docker/library/node:20-bookworm-slim)`,
    );
  }
}

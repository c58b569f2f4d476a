/**
 * Buildspecs slipway writes itself (the model's own build actions use the repository's buildspec
 * files). They read their parameters from the project's environment variables, named below.
 */

/** A buildspec as CodeBuild reads it (version 0.2). */
export type BuildSpecObject = Readonly<Record<string, unknown>>;

/**
 * Builds a service's image from the repository root and pushes it to ECR tagged with the commit,
 * then writes what the deploy actions read: `imagedefinitions.json` (ECS deploy action),
 * `imageDetail.json` and `appspec.yaml` (CodeDeploy ECS blue/green action). Environment:
 * `REPOSITORY_URI`, `CONTAINER_NAME`, `CONTAINER_PORT`, `DOCKERFILE` (path in the source) or
 * `DOCKERFILE_S3_URI` (a generated one), and as the service's `image` says: `BUILD_CONTEXT` (folder
 * in the source, default `.`), `BUILD_TARGET`, `BUILD_ARG_NAMES` (names of build arguments whose
 * values are variables of the same name, so no value is ever part of a command line) and
 * `PLATFORMS` (comma-separated; several build a manifest list with buildx and QEMU).
 */
export function imageBuildSpec(): BuildSpecObject {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      pre_build: {
        commands: [
          'aws ecr get-login-password --region "$AWS_DEFAULT_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"',
          'TAG="${CODEBUILD_RESOLVED_SOURCE_VERSION:0:12}"',
          'if [ -n "${DOCKERFILE_S3_URI:-}" ]; then aws s3 cp "$DOCKERFILE_S3_URI" Dockerfile.slipway && DOCKERFILE=Dockerfile.slipway; fi',
        ],
      },
      build: {
        commands: [
          [
            'ARGS=(--file "$DOCKERFILE" --tag "$REPOSITORY_URI:$TAG")',
            'if [ -n "${BUILD_TARGET:-}" ]; then ARGS+=(--target "$BUILD_TARGET"); fi',
            'for n in ${BUILD_ARG_NAMES:-}; do ARGS+=(--build-arg "$n"); done',
            'if [[ "${PLATFORMS:-}" == *,* ]]; then',
            '  docker run --privileged --rm docker.io/tonistiigi/binfmt --install all',
            '  docker buildx create --use --name slipway >/dev/null',
            '  docker buildx build "${ARGS[@]}" --platform "$PLATFORMS" --push "${BUILD_CONTEXT:-.}"',
            'else',
            '  docker build "${ARGS[@]}" ${PLATFORMS:+--platform "$PLATFORMS"} "${BUILD_CONTEXT:-.}"',
            'fi',
          ].join('\n'),
        ],
      },
      post_build: {
        commands: [
          // A multi-platform build pushed its manifest list itself.
          'if [[ "${PLATFORMS:-}" != *,* ]]; then docker push "$REPOSITORY_URI:$TAG"; fi',
          `printf '[{"name":"%s","imageUri":"%s"}]' "$CONTAINER_NAME" "$REPOSITORY_URI:$TAG" > imagedefinitions.json`,
          `printf '{"ImageURI":"%s"}' "$REPOSITORY_URI:$TAG" > imageDetail.json`,
          `printf 'version: 0.0\\nResources:\\n  - TargetService:\\n      Type: AWS::ECS::Service\\n      Properties:\\n        TaskDefinition: "<TASK_DEFINITION>"\\n        LoadBalancerInfo:\\n          ContainerName: "%s"\\n          ContainerPort: %s\\n' "$CONTAINER_NAME" "$CONTAINER_PORT" > appspec.yaml`,
        ],
      },
    },
    artifacts: { files: ['imagedefinitions.json', 'imageDetail.json', 'appspec.yaml'] },
  };
}

/**
 * Writes `taskdef-<ENVIRONMENT>.json` for the CodeDeploy ECS blue/green action: the latest revision of
 * the service's task family (the one the environment's change set just registered), with the
 * service container's image as the `<IMAGE1_NAME>` placeholder the action fills with the commit's image.
 * Environment: `TASK_FAMILY`, `CONTAINER_NAME`, `ENVIRONMENT`.
 */
export function taskDefinitionBuildSpec(): BuildSpecObject {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      build: {
        commands: [
          [
            'aws ecs describe-task-definition --task-definition "$TASK_FAMILY" --query taskDefinition |',
            '  jq \'{family, taskRoleArn, executionRoleArn, networkMode, containerDefinitions, volumes, requiresCompatibilities, cpu, memory, runtimePlatform}',
            '    | with_entries(select(.value != null))',
            '    | .containerDefinitions |= map(if .name == $ENV.CONTAINER_NAME then .image = "<IMAGE1_NAME>" else . end)\' > "taskdef-$ENVIRONMENT.json"',
          ].join('\n'),
        ],
      },
    },
    artifacts: { files: ['taskdef-*.json'] },
  };
}

/**
 * Deploys an App Runner service: tags the image built for this commit with the environment's name;
 * the service follows that tag (automatic deployments). Environment: `REPOSITORY_NAME`, `ENVIRONMENT`.
 */
export function appRunnerReleaseBuildSpec(): BuildSpecObject {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      build: {
        commands: [
          'TAG="${CODEBUILD_RESOLVED_SOURCE_VERSION:0:12}"',
          'MANIFEST=$(aws ecr batch-get-image --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$TAG" --query "images[0].imageManifest" --output text)',
          'aws ecr put-image --repository-name "$REPOSITORY_NAME" --image-tag "$ENVIRONMENT" --image-manifest "$MANIFEST" || echo "already tagged"',
        ],
      },
    },
  };
}

/**
 * Deploys a service on EKS: points the service's Rollout (or Deployment) at the image built for this
 * commit (`imageDetail.json` of the image build), tags that image with the environment's name (the tag
 * the stack's manifests name, so that a later re-apply runs the same image), and waits until the
 * rollout has gone through the strategy's steps — Healthy — or failed: aborted by its analysis, or
 * Degraded. Runs inside the cluster's VPC as `DEPLOY_ROLE_ARN`, which the cluster lets read and patch
 * the namespace's workloads only. Environment: `CLUSTER_NAME`, `DEPLOY_ROLE_ARN`, `NAMESPACE`,
 * `WORKLOAD_KIND` (`Rollout` or `Deployment`), `WORKLOAD_NAME`, `REPOSITORY_NAME`, `ENVIRONMENT`,
 * `KUBECTL_MINOR` (the cluster's Kubernetes minor version).
 */
export function eksDeployBuildSpec(): BuildSpecObject {
  const patch = `'[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"'"$IMAGE"'"}]'`;
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      install: {
        commands: [
          // kubectl of the cluster's minor version, checked against the release's published checksum.
          [
            'if ! command -v kubectl >/dev/null; then',
            '  V=$(curl -fsSL "https://dl.k8s.io/release/stable-$KUBECTL_MINOR.txt")',
            '  curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/$V/bin/linux/amd64/kubectl"',
            '  echo "$(curl -fsSL "https://dl.k8s.io/release/$V/bin/linux/amd64/kubectl.sha256")  /usr/local/bin/kubectl" | sha256sum --check',
            '  chmod +x /usr/local/bin/kubectl',
            'fi',
          ].join('\n'),
        ],
      },
      build: {
        commands: [
          'IMAGE=$(jq -r .ImageURI imageDetail.json)',
          // The image reference goes into a JSON patch: only registry/repository:tag characters pass.
          '[[ "$IMAGE" =~ ^[a-z0-9.-]+/[a-z0-9._/-]+:[A-Za-z0-9_.-]+$ ]] || { echo "unexpected image reference: $IMAGE"; exit 1; }',
          'aws eks update-kubeconfig --name "$CLUSTER_NAME" --role-arn "$DEPLOY_ROLE_ARN"',
          'MANIFEST=$(aws ecr batch-get-image --repository-name "$REPOSITORY_NAME" --image-ids imageTag="${IMAGE##*:}" --query "images[0].imageManifest" --output text)',
          'aws ecr put-image --repository-name "$REPOSITORY_NAME" --image-tag "$ENVIRONMENT" --image-manifest "$MANIFEST" || echo "already tagged"',
          [
            'if [ "$WORKLOAD_KIND" = Deployment ]; then',
            '  kubectl -n "$NAMESPACE" set image "deployment/$WORKLOAD_NAME" "app=$IMAGE"',
            '  kubectl -n "$NAMESPACE" rollout status "deployment/$WORKLOAD_NAME"',
            '  exit $?',
            'fi',
            `kubectl -n "$NAMESPACE" patch rollout "$WORKLOAD_NAME" --type json -p ${patch}`,
            'sleep 5',
            'while true; do',
            `  read -r PHASE ABORT STABLE CURRENT <<<"$(kubectl -n "$NAMESPACE" get rollout "$WORKLOAD_NAME" -o jsonpath='{.status.phase} {.status.abort} {.status.stableRS} {.status.currentPodHash}')"`,
            '  echo "rollout $WORKLOAD_NAME: $PHASE"',
            '  if [ "$ABORT" = true ] || [ "$PHASE" = Degraded ]; then echo "the rollout was aborted: Argo Rollouts rolled back to the stable revision"; exit 1; fi',
            '  if [ "$PHASE" = Healthy ] && [ -n "$STABLE" ] && [ "$STABLE" = "$CURRENT" ]; then exit 0; fi',
            '  sleep 10',
            'done',
          ].join('\n'),
        ],
      },
    },
  };
}

/** The model's `scan` action: `npm audit` at the model's `failOn` severity, when the source has a lockfile. */
export function scanBuildSpec(failOn: 'low' | 'medium' | 'high' | 'critical'): BuildSpecObject {
  return {
    version: '0.2',
    phases: {
      build: {
        commands: [`if [ -f package-lock.json ]; then npm audit --omit=dev --audit-level=${failOn}; else echo "no package-lock.json: nothing to audit"; fi`],
      },
    },
  };
}

/** The model's `invoke` action: its command, run in the source. */
export function invokeBuildSpec(command: string): BuildSpecObject {
  return { version: '0.2', phases: { build: { commands: [command] } } };
}

/** Where the synth build writes the cloud assembly, relative to the source root. */
export const ASSEMBLY_DIR = 'cdk.out';

/**
 * Synthesizes the cloud assembly of the commit, offline, for the CloudFormation change-set actions:
 * installs the source's dependencies (`npm ci` with a lockfile) and runs `command`, which must write
 * the assembly to {@link ASSEMBLY_DIR}; the whole directory is the build's output artifact.
 */
export function synthBuildSpec(command: string): BuildSpecObject {
  return {
    version: '0.2',
    phases: {
      install: { commands: ['if [ -f package-lock.json ]; then npm ci; else npm install --no-audit --no-fund; fi'] },
      build: { commands: [command] },
    },
    artifacts: { 'base-directory': ASSEMBLY_DIR, files: ['**/*'] },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/index.js';
import { resolveApp } from '../../src/shared/index.js';
import { synthAws, type SynthAwsResult } from '../../src/synth/index.js';
import { imageBuildSpec } from '../../src/synth/aws/model/buildspecs.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('slipway-synth-images-');
afterAll(() => dir.cleanup());

const POLICY = {
  rules: [
    { rulePriority: 1, description: 'keep the last 3 prod images', selection: { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'imageCountMoreThan', countNumber: 3 }, action: { type: 'expire' } },
    { rulePriority: 2, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
  ],
};

function templateOf(result: SynthAwsResult, stackName: string): Template {
  const stack = result.stacks.find((s) => s.name === stackName)!;
  return Template.fromJSON(JSON.parse(fs.readFileSync(stack.templateFile, 'utf8')) as Record<string, unknown>);
}

/** The environment variables of the image build project of a service, by name. */
function buildEnv(pipeline: Template, service: string): Record<string, string> {
  const projects = Object.values(pipeline.findResources('AWS::CodeBuild::Project')) as { Properties: { Description?: string; Environment: { EnvironmentVariables: { Name: string; Value: unknown }[] } } }[];
  const project = projects.find((p) => p.Properties.Description === `slipway: image of ${service}`)!;
  return Object.fromEntries(project.Properties.Environment.EnvironmentVariables.filter((v) => typeof v.Value === 'string').map((v) => [v.Name, v.Value as string]));
}

describe('slipway synth aws: images as the model builds them', () => {
  let result: SynthAwsResult;
  let shared: Template;
  let prod: Template;
  let pipeline: Template;

  beforeAll(() => {
    // GIVEN services with Dockerfiles of their own: one with every image setting, one multi-platform, one without an image
    const src = path.join(dir.path, 'src');
    fs.mkdirSync(path.join(src, 'services', 'api'), { recursive: true });
    fs.writeFileSync(path.join(src, 'services', 'api', 'Dockerfile.prod'), 'ARG BASE=localhost/debian-node:bookworm\nFROM ${BASE} AS runtime\nCOPY . /app\nCMD ["node", "/app/api.js"]\n');
    fs.mkdirSync(path.join(src, 'services', 'web'), { recursive: true });
    fs.writeFileSync(path.join(src, 'services', 'web', 'Dockerfile'), 'ARG BASE=localhost/debian-node:bookworm\nFROM ${BASE}\nCOPY . /app\n');
    const app = resolveApp({
      name: 'imgs',
      services: {
        api: {
          path: 'services/api',
          start: 'node api.js',
          ingress: { pathPrefix: '/' },
          image: { dockerfile: 'Dockerfile.prod', target: 'runtime', buildArgs: { NODE_ENV: 'production' }, platforms: ['linux/arm64'], tagMutability: 'IMMUTABLE', scanOnPush: false, lifecyclePolicy: POLICY },
        },
        web: { path: 'services/web', start: 'node web.js', image: { context: '..', dockerfile: 'web/Dockerfile', platforms: ['linux/amd64', 'linux/arm64'], buildArgs: { BASE: 'public.ecr.aws/docker/library/node:20-bookworm-slim' } } },
        plain: { path: 'services/plain', start: 'node plain.js' },
      },
      environments: { prod: { ingressPort: 8080, strategy: 'CodeDeployDefault.AllAtOnce' } },
      artifacts: { keepLast: 7, expireUntaggedAfter: '2d' },
      pipeline: { stages: [{ name: 'Build', actions: [{ type: 'build' }] }, { name: 'Prod', actions: [{ type: 'deploy', environment: 'prod' }] }] },
    });
    result = synthAws({ app, outDir: path.join(dir.path, 'cdk.out'), sourceDir: src });
    shared = templateOf(result, 'imgs-shared');
    prod = templateOf(result, 'imgs-prod');
    pipeline = templateOf(result, 'imgs-pipeline');
  }, 120_000);

  it("gives each ECR repository the service's tag mutability, scan on push and lifecycle policy, in ECR's JSON", () => {
    // THEN api's repository is immutable, not scanned on push, with the model's policy text as it is
    shared.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'imgs/api',
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: false },
      LifecyclePolicy: { LifecyclePolicyText: JSON.stringify(POLICY) },
    });
    // AND a service without a policy of its own keeps the artifacts policy, mutable and scanned
    shared.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'imgs/plain',
      ImageTagMutability: 'MUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countType":"imageCountMoreThan","countNumber":7') },
    });
  });

  it('builds each image from the same Dockerfile, context, target, arguments and platforms as slipway up', () => {
    expect(buildEnv(pipeline, 'api')).toMatchObject({
      DOCKERFILE: 'services/api/Dockerfile.prod',
      BUILD_CONTEXT: 'services/api',
      BUILD_TARGET: 'runtime',
      BUILD_ARG_NAMES: 'NODE_ENV',
      NODE_ENV: 'production',
      PLATFORMS: 'linux/arm64',
      DOCKERFILE_S3_URI: '',
    });
    expect(buildEnv(pipeline, 'web')).toMatchObject({ DOCKERFILE: 'services/web/Dockerfile', BUILD_CONTEXT: 'services', BUILD_TARGET: '', BUILD_ARG_NAMES: 'BASE', PLATFORMS: 'linux/amd64,linux/arm64' });
    // AND a service without an image still gets the generated Dockerfile
    expect(buildEnv(pipeline, 'plain')).toMatchObject({ DOCKERFILE: 'services/plain/Dockerfile', BUILD_CONTEXT: '.', PLATFORMS: '' });
  });

  it('runs an arm64-only image on Graviton, anything else on x86_64', () => {
    const arch = (family: string) =>
      (Object.values(prod.findResources('AWS::ECS::TaskDefinition', { Properties: { Family: family } }))[0] as { Properties: { RuntimePlatform: { CpuArchitecture: string } } }).Properties.RuntimePlatform.CpuArchitecture;
    expect(arch('imgs-prod-api')).toBe('ARM64');
    expect(arch('imgs-prod-web')).toBe('X86_64');
    expect(arch('imgs-prod-plain')).toBe('X86_64');
  });

  it('warns when a Dockerfile defaults its base to a local image that no build argument replaces', () => {
    expect(result.warnings).toContainEqual(expect.stringMatching(/^services\.api\.image\.buildArgs: services\/api\/Dockerfile\.prod defaults BASE to localhost\/debian-node:bookworm.*set image\.buildArgs\.BASE/));
    expect(result.warnings.filter((w) => w.startsWith('services.web.'))).toEqual([]);
  });

  it('passes the arguments to docker as the buildspec says, values by name only', async () => {
    // GIVEN the image buildspec's build phase and a docker that prints what it was asked
    const bin = path.join(dir.path, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'docker'), '#!/bin/bash\nfor a in "$@"; do printf "[%s]" "$a"; done; echo; echo "NODE_ENV=$NODE_ENV"\n', { mode: 0o755 });
    const spec = imageBuildSpec() as { phases: { build: { commands: string[] } } };
    const run = (env: Record<string, string>) =>
      exec('bash', ['-c', spec.phases.build.commands.join('\n')], { env: { PATH: `${bin}:${process.env.PATH}`, REPOSITORY_URI: 'r/api', TAG: 'abc', DOCKERFILE: 'services/api/Dockerfile.prod', ...env } });
    // WHEN one platform, a target and a build argument THEN one docker build with each, the value only in the environment
    const one = await run({ BUILD_CONTEXT: 'services/api', BUILD_TARGET: 'runtime', BUILD_ARG_NAMES: 'NODE_ENV', NODE_ENV: 'production', PLATFORMS: 'linux/arm64' });
    expect(one.stdout.split('\n')[0]).toBe('[build][--file][services/api/Dockerfile.prod][--tag][r/api:abc][--target][runtime][--build-arg][NODE_ENV][--platform][linux/arm64][services/api]');
    expect(one.stdout).toContain('NODE_ENV=production');
    // WHEN several platforms THEN QEMU is registered and buildx builds and pushes the list
    const many = await run({ BUILD_CONTEXT: '.', PLATFORMS: 'linux/amd64,linux/arm64' });
    const calls = many.stdout.split('\n').filter((l) => l.startsWith('['));
    expect(calls[0]).toBe('[run][--privileged][--rm][docker.io/tonistiigi/binfmt][--install][all]');
    // (buildx create prints nothing: its output goes to /dev/null)
    expect(calls[1]).toBe('[buildx][build][--file][services/api/Dockerfile.prod][--tag][r/api:abc][--platform][linux/amd64,linux/arm64][--push][.]');
    // WHEN nothing is set THEN the build is the plain one of before, from the repository root
    const plain = await run({});
    expect(plain.stdout.split('\n')[0]).toBe('[build][--file][services/api/Dockerfile.prod][--tag][r/api:abc][.]');
  });
});

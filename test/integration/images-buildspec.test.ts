import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRegistry, findRegistryBinary, readRecordedPushes, runEngine, writeBuildShims, type CompiledEngine, type RegistryHandle } from '../../src/images/index.js';
import { runBuild, staticSecretStore } from '../../src/pipelines/index.js';
import { containerEngineOrSkip } from '../support/container-engine.js';
import { buildHostNodeImage } from '../support/host-node-image.js';

// In shape, the buildspec of the AWS tutorial "Tutorial: Amazon ECS Standard Deployment with CodePipeline":
// log in to ECR, build and tag, push both tags, write imagedefinitions.json. Unchanged but for the
// container name; REPOSITORY_URI comes from the build environment, as a CodeBuild project's variable would.
const TUTORIAL_BUILDSPEC = `version: 0.2

phases:
  pre_build:
    commands:
      - echo Logging in to Amazon ECR...
      - aws --version
      - aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $AWS_ACCOUNT_ID.dkr.ecr.$AWS_DEFAULT_REGION.amazonaws.com
      - COMMIT_HASH=$(echo $CODEBUILD_RESOLVED_SOURCE_VERSION | cut -c 1-7)
      - IMAGE_TAG=\${COMMIT_HASH:=latest}
  build:
    commands:
      - echo Build started on \`date\`
      - echo Building the Docker image...
      - docker build -t $REPOSITORY_URI:latest .
      - docker tag $REPOSITORY_URI:latest $REPOSITORY_URI:$IMAGE_TAG
  post_build:
    commands:
      - echo Build completed on \`date\`
      - echo Pushing the Docker images...
      - docker push $REPOSITORY_URI:latest
      - docker push $REPOSITORY_URI:$IMAGE_TAG
      - echo Writing image definitions file...
      - printf '[{"name":"web","imageUri":"%s"}]' $REPOSITORY_URI:$IMAGE_TAG > imagedefinitions.json
artifacts:
  files: imagedefinitions.json
`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-buildspec-images-'));
const base = `localhost/slipway-test/buildspec-base:${process.pid}`;
let engine: CompiledEngine | undefined;
let registry: RegistryHandle | undefined;

beforeAll(async () => {
  if (findRegistryBinary() === undefined) {
    process.stderr.write('SKIPPED images-buildspec: no distribution registry installed (apt-get install -y docker-registry).\n');
    return;
  }
  engine = await containerEngineOrSkip('images-buildspec');
  if (!engine) return;
  registry = await ensureRegistry({ stateDir: path.join(tmp, 'registry') });
  await buildHostNodeImage(engine, base, {}, ['/usr/bin/node']);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  if (engine && registry) {
    const images = await runEngine(engine, ['images', '-q', '--filter', `reference=${registry.client.host}/shop/web`]);
    await runEngine(engine, ['rmi', '-f', base, ...images.stdout.trim().split('\n').filter((l) => l !== '')]);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a container buildspec written for CodeBuild', () => {
  it('runs unchanged: logs in, builds, pushes both tags to the local registry and writes imagedefinitions.json', async (t) => {
    if (!engine || !registry) return t.skip();
    // GIVEN a service folder with a Dockerfile and the tutorial's buildspec
    const src = path.join(tmp, 'src');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'server.mjs'), "import http from 'node:http'; http.createServer((q, r) => r.end('hi')).listen(Number(process.env.PORT));\n");
    fs.writeFileSync(path.join(src, 'Dockerfile'), `FROM ${base}\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    fs.writeFileSync(path.join(src, 'buildspec.yml'), TUTORIAL_BUILDSPEC);
    const pushes = path.join(tmp, 'pushes.jsonl');
    const env = writeBuildShims({ dir: path.join(tmp, 'shims'), engine, registry: registry.client.host, token: 'local-token', pushesFile: pushes, repositories: { web: 'shop/web' }, path: process.env.PATH ?? '/usr/bin:/bin' });
    const lines: string[] = [];
    const sha = 'abcdef1234567890abcdef1234567890abcdef12';
    // WHEN it runs as a build
    const result = await runBuild({ buildId: 'shop:b-1', buildNumber: 1, sourceDir: src, commitSha: sha, env, secrets: staticSecretStore({}), onLogLine: (l) => lines.push(l) });
    // THEN it succeeds, having logged in with the password aws printed
    expect(result.status, `${JSON.stringify(result).slice(0, 1500)}\n${lines.slice(-15).join('\n')}`).toBe('Succeeded');
    expect(lines).toContain('Login Succeeded');
    expect(lines.some((l) => l.startsWith('aws-cli/'))).toBe(true);
    // AND both tags are in the local registry, on one digest, and each push was recorded
    expect((await registry.client.tags('shop/web')).sort()).toEqual(['abcdef1', 'latest']);
    const digest = await registry.client.digestOf('shop/web', 'abcdef1');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registry.client.digestOf('shop/web', 'latest')).toBe(digest);
    expect(readRecordedPushes(pushes).map((p) => [p.repository, p.tag, p.digest])).toEqual([['shop/web', 'latest', digest], ['shop/web', 'abcdef1', digest]]);
    // AND imagedefinitions.json names the image by the registry's URI, as the deploy stage reads it
    expect(JSON.parse(fs.readFileSync(path.join(src, 'imagedefinitions.json'), 'utf8'))).toEqual([{ name: 'web', imageUri: `${registry.client.host}/shop/web:abcdef1` }]);
    expect(result.artifactFiles.map((f) => f.path)).toEqual(['imagedefinitions.json']);
  }, 180_000);

  it('refuses to push a tag an immutable repository already has, before anything is pushed', async (t) => {
    if (!engine || !registry) return t.skip();
    // GIVEN shop/web holds `latest` (the first test) and is immutable, and a changed image is built under that tag
    const before = await registry.client.digestOf('shop/web', 'latest');
    if (before === undefined) return t.skip();
    const src = path.join(tmp, 'immutable');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'server.mjs'), "console.log('another image');\n");
    fs.writeFileSync(path.join(src, 'Dockerfile'), `FROM ${base}\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    fs.writeFileSync(path.join(src, 'buildspec.yml'), 'version: 0.2\nphases:\n  build:\n    commands:\n      - docker build -t $REPOSITORY_URI:latest .\n      - docker push $REPOSITORY_URI:latest\n');
    const env = writeBuildShims({ dir: path.join(tmp, 'shims3'), engine, registry: registry.client.host, token: 'local-token', pushesFile: path.join(tmp, 'p3'), repositories: { web: 'shop/web' }, immutableRepositories: ['shop/web'], path: process.env.PATH ?? '/usr/bin:/bin' });
    const lines: string[] = [];
    // WHEN it is pushed THEN the build fails in ECR's words, and `latest` is still on the image it was on
    const result = await runBuild({ buildId: 'shop:b-3', buildNumber: 3, sourceDir: src, commitSha: 'abcdef1234567890abcdef1234567890abcdef12', env, secrets: staticSecretStore({}), onLogLine: (l) => lines.push(l) });
    expect(result.status).toBe('Failed');
    expect(lines.join('\n')).toContain("tag invalid: The image tag 'latest' already exists in the 'shop/web' repository and cannot be overwritten because the repository is immutable.");
    expect(await registry.client.digestOf('shop/web', 'latest')).toBe(before);
    expect(readRecordedPushes(path.join(tmp, 'p3'))).toEqual([]);
  }, 120_000);

  it('refuses a login with another password, as a registry would', async (t) => {
    if (!engine || !registry) return t.skip();
    const src = path.join(tmp, 'login');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'buildspec.yml'), 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo wrong | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com\n');
    const env = writeBuildShims({ dir: path.join(tmp, 'shims2'), engine, registry: registry.client.host, token: 'local-token', pushesFile: path.join(tmp, 'p2'), path: process.env.PATH ?? '/usr/bin:/bin' });
    const lines: string[] = [];
    const result = await runBuild({ buildId: 'shop:b-2', buildNumber: 2, sourceDir: src, commitSha: 'abcdef1234567890abcdef1234567890abcdef12', env, secrets: staticSecretStore({}), onLogLine: (l) => lines.push(l) });
    expect(result.status).toBe('Failed');
    expect(lines.join('\n')).toContain('login attempt to https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/ failed with status: 401 Unauthorized');
  }, 60_000);
});

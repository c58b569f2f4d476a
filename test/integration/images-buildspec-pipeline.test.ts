import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/index.js';
import { findRegistryBinary, runEngine, type CompiledEngine } from '../../src/images/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import type { DeploymentDto, ImageRepositoryListDto, PipelineRunDto } from '../../src/shared/index.js';
import { slipway } from '../support/cli.js';
import { containerEngineOrSkip } from '../support/container-engine.js';
import { killDataPlane } from '../support/data-plane.js';
import { buildHostNodeImage } from '../support/host-node-image.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// In shape, the buildspec of the AWS tutorial "Tutorial: Amazon ECS Standard Deployment with CodePipeline",
// unchanged but for the container name. REPOSITORY_URI, AWS_ACCOUNT_ID and AWS_DEFAULT_REGION come from the
// build's environment, as a CodeBuild project's variables would.
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
      - docker build -t $REPOSITORY_URI:latest services/web
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

const server = (greeting: string) => `import http from 'node:http';
const server = http.createServer((req, res) => res.end(req.url === '/healthz' ? 'ok' : '${greeting}'));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await exec('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * The ECS tutorial's buildspec as a build action of a real control plane's pipeline: `docker` and
 * `aws` work against the local registry, both tags are pushed and recorded, and the deploy stage
 * runs the image its `imagedefinitions.json` names.
 */
describe('a CodeBuild container buildspec in a pipeline run', () => {
  const tmp = tempDir('slipway-buildspec-pipeline-');
  const repo = path.join(tmp.path, 'repo');
  const dataDir = path.join(tmp.path, 'data');
  const base = `localhost/slipway-test/buildspec-pipeline-base:${process.pid}`;
  let engine: CompiledEngine | undefined;
  let cp: ControlPlane | undefined;
  let ingress = 0;

  const call = async <T>(method: 'GET' | 'POST', url: string): Promise<T> => {
    const res = await cp!.app.inject({ method, url, headers: { authorization: `Bearer ${cp!.token}` } });
    return res.json<T>();
  };
  const runEnded = (id: number) =>
    waitFor(`run ${id} to end`, async () => {
      const r = await cp!.app.inject({ method: 'GET', url: `/api/v1/pipeline/runs/${id}`, headers: { authorization: `Bearer ${cp!.token}` } });
      const run = r.statusCode === 200 ? r.json<PipelineRunDto>() : undefined;
      return run !== undefined && ['Succeeded', 'Failed', 'Stopped'].includes(run.status) ? run : undefined;
    }, 150_000, 100);
  const answer = async () => (await fetch(`http://127.0.0.1:${ingress}/`).then((r) => r.text()).catch(() => ''));

  beforeAll(async () => {
    if (findRegistryBinary() === undefined) {
      process.stderr.write('SKIPPED images-buildspec-pipeline: no distribution registry installed (apt-get install -y docker-registry).\n');
      return;
    }
    engine = await containerEngineOrSkip('images-buildspec-pipeline');
    if (!engine) return;
    await buildHostNodeImage(engine, base, {}, ['/usr/bin/node']);
    const web = path.join(repo, 'services', 'web');
    fs.mkdirSync(web, { recursive: true });
    fs.writeFileSync(path.join(web, 'server.mjs'), server('v1'));
    fs.writeFileSync(path.join(web, 'Dockerfile'), `FROM ${base}\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    fs.writeFileSync(path.join(repo, 'buildspec.yml'), TUTORIAL_BUILDSPEC);
    fs.writeFileSync(
      path.join(repo, 'slipway.config.ts'),
      `import { defineApp } from 'slipway';
export default defineApp({
  name: 'tutorial',
  services: {
    web: {
      path: 'services/web', start: 'node server.mjs', runtime: 'container', image: {}, ingress: { pathPrefix: '/' },
      health: { interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '10s' },
    },
  },
  environments: { production: { ingressPort: 0, strategy: 'CodeDeployDefault.AllAtOnce' } },
  pipeline: {
    trigger: { branches: ['main'] },
    stages: [
      { name: 'Build', actions: [{ type: 'build', buildspec: 'buildspec.yml' }] },
      { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
    ],
  },
});
`,
    );
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'web v1');
    cp = await startControlPlane({ dataDir, port: 0, configFile: path.join(repo, 'slipway.config.ts'), drainMs: 100, otlpPort: null, xrayPort: null, pollIntervalMs: 200 });
    const st = await call<{ runtime: { router: { listeners: { kind: string; port: number }[] } } }>('GET', '/api/v1/status');
    ingress = st.runtime.router.listeners.find((l) => l.kind === 'ingress')!.port;
    await waitFor('v1 to answer', async () => ((await answer()) === 'v1' ? true : undefined), 120_000, 200);
  }, 240_000);

  afterAll(async () => {
    await cp?.close({ stopTasks: true });
    killDataPlane(dataDir);
    if (engine) {
      const left = await runEngine(engine, ['ps', '-a', '-q', '--filter', 'label=io.slipway.app=tutorial']);
      if (left.stdout.trim() !== '') await runEngine(engine, ['rm', '-f', '-t', '0', ...left.stdout.trim().split('\n')]);
      const images = await runEngine(engine, ['images', '-q', '--filter', 'reference=localhost/slipway/tutorial/*']);
      const pushed = await runEngine(engine, ['images', '-q', '--filter', 'reference=127.0.0.1:*/tutorial/*']);
      await runEngine(engine, ['rmi', '-f', base, ...`${images.stdout}\n${pushed.stdout}`.split('\n').filter((l) => l.trim() !== '')]);
    }
    tmp.cleanup();
  });

  it('runs unchanged, pushes both tags to the local registry, and the deploy stage runs the image of imagedefinitions.json', { timeout: 240_000 }, async (t) => {
    if (!engine || !cp) return t.skip();
    // GIVEN the first run is done WHEN a new revision is committed
    const first = await runEnded(1);
    const firstLogs = (await call<{ lines: { line: string }[] }>('GET', '/api/v1/pipeline/runs/1/logs?limit=10000')).lines.map((l) => l.line);
    expect(first.status, `${JSON.stringify(first.stages.map((s) => [s.name, s.status, s.reason]))}\n${firstLogs.slice(-30).join('\n')}`).toBe('Succeeded');
    fs.writeFileSync(path.join(repo, 'services', 'web', 'server.mjs'), server('v2 from the tutorial'));
    await git(repo, 'commit', '-qam', 'web v2');
    const sha = await git(repo, 'rev-parse', 'HEAD');
    await waitFor('run 2', async () => (cp!.delivery!.pipelines!.listRuns().some((r) => r.id === 2) ? true : undefined), 30_000, 100);
    const run = await runEnded(2);
    const build = run.stages[0]!.actions[0]!;
    const logs = await call<{ lines: { line: string }[] }>('GET', '/api/v1/pipeline/runs/2/logs?limit=10000');
    const text = logs.lines.map((l) => l.line).join('\n');
    // THEN the run succeeds: aws printed a password that docker login took, and both pushes were recorded
    expect(run.status, `${JSON.stringify(run.stages.map((s) => [s.name, s.status, s.reason]))}\n${text.slice(-3000)}`).toBe('Succeeded');
    expect(text).toContain('Login Succeeded');
    const host = (await call<ImageRepositoryListDto>('GET', '/api/v1/images')).registry!;
    const tag = sha.slice(0, 7);
    const pushed = build.output.pushedImages as string[];
    expect(pushed.map((p) => p.replace(/@sha256:[0-9a-f]{64}$/, ''))).toEqual(['tutorial/web:latest', `tutorial/web:${tag}`]);
    const digest = pushed[1]!.split('@')[1]!;
    expect(pushed[0]!.endsWith(digest)).toBe(true);
    const { repositories } = await call<ImageRepositoryListDto>('GET', '/api/v1/images?repository=tutorial/web');
    const image = repositories[0]!.images.find((i) => i.digest === digest)!;
    expect(image.tags).toEqual([tag, 'latest'].sort());
    // AND scanned on push, as ECR scans what a build pushes: clean, with its SBOM stored beside it
    expect(image.scan?.status).toBe('Passed');
    expect(image.hasSbom).toBe(true);
    // AND the deploy stage ran the image imagedefinitions.json names, and it serves
    const { deployments } = await call<{ deployments: DeploymentDto[] }>('GET', '/api/v1/deployments?service=web');
    const d = deployments.find((x) => x.toRevision === sha.slice(0, 12))!;
    expect(d).toMatchObject({ state: 'Succeeded', image: `${host}/tutorial/web:${tag}` });
    expect(await answer()).toBe('v2 from the tutorial');
    // AND `slipway images list` shows the repository with both tags on that digest
    const cli = await slipway(['images', 'list', '--url', cp.url], { env: { ...process.env, SLIPWAY_TOKEN: cp.token } });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`tutorial/web +${digest.slice(0, 19)} +${[tag, 'latest'].sort().join(', ')}`));
    // AND the image was pulled from the registry, not built from the source
    const built = await runEngine(engine, ['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=localhost/slipway/tutorial/web']);
    expect(built.stdout).not.toContain(sha.slice(0, 12));
  });

  it('fails the build when an image it pushed has a key in a layer, naming the layer and the file, and nothing deploys it', { timeout: 240_000 }, async (t) => {
    if (!engine || !cp) return t.skip();
    // GIVEN a commit whose image copies a file with an AWS access key into a layer
    const key = ['AKIA', 'Q3EGRTWXK7PZ4M2N'].join('');
    fs.writeFileSync(path.join(repo, 'services', 'web', 'app.env'), `AWS_ACCESS_KEY_ID=${key}\n`);
    fs.writeFileSync(path.join(repo, 'services', 'web', 'Dockerfile'), `FROM ${base}\nCOPY app.env /app/app.env\nCOPY server.mjs /app/server.mjs\nCMD ["/usr/bin/node", "/app/server.mjs"]\n`);
    fs.writeFileSync(path.join(repo, 'services', 'web', 'server.mjs'), server('v3 with a key'));
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'web v3: configuration file');
    await waitFor('run 3', async () => (cp!.delivery!.pipelines!.listRuns().some((r) => r.id === 3) ? true : undefined), 30_000, 100);
    // WHEN its build pushes the image
    const run = await runEnded(3);
    // THEN the build fails, naming the layer and the file, and the deploy stage never runs
    expect(run.status).toBe('Failed');
    expect(run.stages[0]!.reason ?? run.stages[0]!.actions[0]!.reason).toMatch(/the image tutorial\/web:\S+ the build pushed has 1 secret finding\(s\) at or above high: aws-access-key-id in layer 2 \(sha256:[0-9a-f]{64}\) at app\/app\.env:1/);
    expect(run.stages[1]!.status).not.toBe('Succeeded');
    // AND production still serves the previous image
    expect(await answer()).toBe('v2 from the tutorial');
  });
});
